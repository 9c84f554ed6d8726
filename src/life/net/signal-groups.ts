/**
 * Items grouped by the `AbortSignal` that cancels them, behind one `abort` listener per
 * signal rather than one per item: a generation's 10,000 cell requests share one signal, and
 * 10,000 listeners on it would cost an `addEventListener`/`removeEventListener` pair each (and a
 * `MaxListenersExceededWarning`). The listener is added with the first item of a signal and
 * removed with its last, so `abortListeners(signal) === 0` once nothing is pending.
 *
 * The items are the list nodes (intrusive, like core's `abort-watch.ts`): each carries its
 * neighbours in its group, so adding and removing is O(1) and allocates nothing, where a `Set`
 * per signal cost a hash entry per request. The group of the last signal used is remembered,
 * since consecutive requests almost always share one (the generation's).
 *
 * @module
 */

/** What an item carries to be linked into its signal's group; owned by {@link SignalGroups}. */
export interface SignalLinked<T> {
  /** The group the item is in; `undefined` while it is in none. */
  group: SignalGroup<T> | undefined;
  prev: T | undefined;
  next: T | undefined;
}

/** The items of one signal, oldest first; both ends `undefined` exactly when it is empty. */
export interface SignalGroup<T> {
  readonly signal: AbortSignal;
  head: T | undefined;
  tail: T | undefined;
}

/** Items by signal; `onAbort(signal, items)` runs when a signal with items aborts. */
export class SignalGroups<T extends SignalLinked<T>> {
  /** A signal is a key exactly while it has items, and has the listener exactly then. */
  readonly #groups = new Map<AbortSignal, SignalGroup<T>>();
  /** The group last added to, while it is in `#groups`. */
  #last: SignalGroup<T> | undefined;
  readonly #onAbort: (signal: AbortSignal, items: readonly T[]) => void;

  constructor(onAbort: (signal: AbortSignal, items: readonly T[]) => void) {
    this.#onAbort = onAbort;
  }

  /** Watches `item` (in no group now) under `signal`. */
  add(signal: AbortSignal, item: T): void {
    let group = this.#last?.signal === signal ? this.#last : this.#groups.get(signal);
    if (group === undefined) {
      group = { signal, head: undefined, tail: undefined };
      this.#groups.set(signal, group);
      signal.addEventListener('abort', this.#listener);
    }
    this.#last = group;
    item.group = group;
    item.prev = group.tail;
    item.next = undefined;
    if (group.tail === undefined) group.head = item;
    else group.tail.next = item;
    group.tail = item;
  }

  /** Stops watching `item`; idempotent. The last item of a signal takes the listener with it. */
  delete(item: T): void {
    const { group } = item;
    if (group === undefined) return;
    unlink(group, item);
    if (group.head !== undefined) return;
    this.#drop(group);
  }

  #drop(group: SignalGroup<T>): void {
    this.#groups.delete(group.signal);
    if (this.#last === group) this.#last = undefined;
    group.signal.removeEventListener('abort', this.#listener);
  }

  /** One listener for every signal; `event.target` says which one aborted. */
  readonly #listener = (event: Event): void => {
    // The listener is only ever added to AbortSignals (see add).
    const group = this.#groups.get(event.target as AbortSignal);
    if (group === undefined) return;
    this.#drop(group);
    const items: T[] = [];
    for (let item = group.head; item !== undefined; item = group.head) {
      unlink(group, item);
      items.push(item);
    }
    this.#onAbort(group.signal, items);
  };
}

function unlink<T extends SignalLinked<T>>(group: SignalGroup<T>, item: T): void {
  if (item.prev === undefined) group.head = item.next;
  else item.prev.next = item.next;
  if (item.next === undefined) group.tail = item.prev;
  else item.next.prev = item.prev;
  item.group = undefined;
  item.prev = undefined;
  item.next = undefined;
}
