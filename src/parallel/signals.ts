/**
 * One signal that aborts when any of several do, with an owner that detaches it: the attempt
 * of a job must stop when the run stops (`--halt now`, the caller's signal) or when the
 * consumer stops iterating (the call's own signal). Built on core's `abort-watch` so that
 * thousands of attempts on the run's one signal share one listener, and disposed in `finally`
 * (Node's `AbortSignal.any` keeps its followers attached until garbage collection).
 *
 * @module
 */

import { unwatchAbort, watchAbort, type AbortWatcher } from '../core/abort-watch.js';

/** A signal aborted with the reason of the first of `signals` to abort. Dispose it when done. */
export class AnySignal implements Disposable {
  readonly #controller = new AbortController();
  readonly #watchers: AbortWatcher[] = [];

  constructor(signals: readonly AbortSignal[]) {
    for (const signal of signals) {
      if (signal.aborted) {
        this.#controller.abort(signal.reason);
        return;
      }
    }
    for (const signal of signals) this.#watchers.push(watchAbort(signal, () => this.#abort(signal.reason)));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  #abort(reason: unknown): void {
    this[Symbol.dispose]();
    this.#controller.abort(reason);
  }

  [Symbol.dispose](): void {
    for (const watcher of this.#watchers.splice(0)) unwatchAbort(watcher);
  }
}
