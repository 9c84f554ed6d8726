/**
 * Items grouped by the `AbortSignal` that cancels them, behind one `abort` listener per
 * signal rather than one per item: a generation's 10,000 cell requests share one signal, and
 * 10,000 listeners on it would cost an `addEventListener`/`removeEventListener` pair each (and a
 * `MaxListenersExceededWarning`). The listener is added with the first item of a signal and
 * removed with its last, so `abortListeners(signal) === 0` once nothing is pending.
 *
 * @module
 */

/** Items by signal; `onAbort(signal, items)` runs when a signal with items aborts. */
export class SignalGroups<T> {
  /** A signal is a key exactly while it has items, and has the listener exactly then. */
  readonly #groups = new Map<AbortSignal, Set<T>>();
  readonly #onAbort: (signal: AbortSignal, items: readonly T[]) => void;

  constructor(onAbort: (signal: AbortSignal, items: readonly T[]) => void) {
    this.#onAbort = onAbort;
  }

  /** Watches `item` under `signal`. */
  add(signal: AbortSignal, item: T): void {
    let group = this.#groups.get(signal);
    if (group === undefined) {
      group = new Set();
      this.#groups.set(signal, group);
      signal.addEventListener('abort', this.#listener);
    }
    group.add(item);
  }

  /** Stops watching `item`; the last item of a signal takes the listener with it. */
  delete(signal: AbortSignal, item: T): void {
    const group = this.#groups.get(signal);
    if (group === undefined || !group.delete(item) || group.size > 0) return;
    this.#groups.delete(signal);
    signal.removeEventListener('abort', this.#listener);
  }

  /** One listener for every signal; `event.target` says which one aborted. */
  readonly #listener = (event: Event): void => {
    // The listener is only ever added to AbortSignals (see add).
    const signal = event.target as AbortSignal;
    const group = this.#groups.get(signal);
    if (group === undefined) return;
    this.#groups.delete(signal);
    signal.removeEventListener('abort', this.#listener);
    this.#onAbort(signal, [...group]);
  };
}
