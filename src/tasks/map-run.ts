/**
 * The engine of `map` over an iterator (sync or async); arrays take `map`'s own fast path.
 * See `map.ts` for the design: up to `concurrency` workers sharing one `Deadline`, lazy pulls
 * (one item per free worker), chained pulls from an async source, and on the first failure:
 * stop, abort, wait for the running calls, close the source, reject with that error.
 *
 * @module
 */

import { Deadline, type WaitOptions } from '../core/deadline.js';
import { CancelledError } from '../core/errors.js';
import type { Mapper } from './map.js';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** One call of `map` over a (sync or async) iterator: the workers, the results and the one cancellation scope. */
export class MapRun<T, R> {
  readonly promise: Promise<R[]>;
  readonly #fn: Mapper<T, R>;
  readonly #concurrency: number;
  /** The run's one signal, given to every call: aborted by the first failure, the caller's signal or the timeout. */
  readonly #scope: Deadline;
  /** Slot `i` receives the result of item `i`; complete once every worker has exited without a failure or abort. */
  readonly #results: R[] = [];
  /** Exactly one of the two is set once started (unless the run was born aborted). */
  #iterator: Iterator<T> | undefined;
  #asyncIterator: AsyncIterator<T> | undefined;
  /** The index the next pulled item gets, so also the number of items pulled. */
  #next = 0;
  /** The source must be neither pulled nor closed again: it reported done, or it threw. */
  #exhausted = false;
  /** Workers started and not yet exited; each holds at most one pulled item. The run finishes when it drops to 0. */
  #workers = 0;
  /** True once a call or the source failed; `#error` is then that first error. */
  #failed = false;
  #error: unknown;
  /** Mirrors `#scope.signal.aborted` (set by a listener on the run's own signal): a field read is cheaper per item than the getter. */
  #stopped = false;
  /** The latest pull from an async source; the next one starts after it settles. */
  #lastPull: Promise<unknown> = Promise.resolve();
  #resolve!: (results: R[]) => void; // both assigned by the executor, which runs synchronously
  #reject!: (error: unknown) => void;

  constructor(items: Iterable<T> | AsyncIterable<T>, fn: Mapper<T, R>, concurrency: number, opts: WaitOptions | undefined) {
    this.promise = new Promise<R[]>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#fn = fn;
    this.#concurrency = concurrency;
    this.#scope = new Deadline(opts, 'map');
    this.#stopped = this.#scope.signal.aborted;
    this.#scope.signal.addEventListener('abort', this.#stop, { once: true });
    this.#start(items);
  }

  #start(items: Iterable<T> | AsyncIterable<T>): void {
    this.#workers++; // the starter counts as a worker, so the run cannot finish under it
    try {
      if (this.#stopped) this.#exhausted = true; // timeout 0: the source is not even opened
      else if (Symbol.asyncIterator in items) {
        this.#asyncIterator = items[Symbol.asyncIterator]();
        this.#spawnAsync();
      } else this.#iterator = items[Symbol.iterator]();
      if (this.#asyncIterator === undefined) this.#fillSync();
    } catch (error) {
      this.#exhausted = true; // the source could not be opened, or threw on a pull
      this.#fail(error);
    }
    this.#exit();
  }

  /** Starts workers for a sync iterator until `concurrency` run or the source is done. */
  #fillSync(): void {
    // `#workers` includes the starter, hence `<=`.
    while (this.#workers <= this.#concurrency && !this.#stopped) {
      const step = this.#pullSync();
      if (step.done === true) return;
      this.#workers++;
      void this.#workIterator(step.value, this.#next++);
    }
  }

  /** A worker over a sync iterator: the same loop, pulling the next item instead. Never rejects. */
  async #workIterator(item: T, index: number): Promise<void> {
    const signal = this.#scope.signal;
    try {
      for (;;) {
        this.#results[index] = await this.#fn(item, index, signal);
        if (this.#stopped) break;
        const step = this.#pullSync();
        if (step.done === true) break;
        index = this.#next++;
        item = step.value;
      }
    } catch (error) {
      this.#fail(error);
    }
    this.#exit();
  }

  #pullSync(): IteratorResult<T> {
    try {
      const step = (this.#iterator as Iterator<T>).next(); // the source is an iterator when this is called
      if (step.done === true) this.#exhausted = true;
      return step;
    } catch (error) {
      this.#exhausted = true;
      throw error;
    }
  }

  #spawnAsync(): void {
    this.#workers++;
    void this.#workAsync();
  }

  /** A worker over an async source; starts a sibling after each pull while there is room. Never rejects. */
  async #workAsync(): Promise<void> {
    const signal = this.#scope.signal;
    try {
      for (;;) {
        // Chained pulls resolve in call order and each worker resumes before the next pull
        // starts, so indexes are handed out in source order.
        const pull = this.#lastPull.then(this.#pullAsync, this.#pullAsync);
        this.#lastPull = pull;
        const step = await pull;
        if (step.done === true || this.#stopped) break;
        const index = this.#next++;
        if (this.#workers < this.#concurrency && !this.#exhausted) this.#spawnAsync();
        this.#results[index] = await this.#fn(step.value, index, signal);
        if (this.#stopped) break;
      }
    } catch (error) {
      this.#fail(error);
    }
    this.#exit();
  }

  /** One pull from the async source, unless the run is stopping or the source is done. */
  readonly #pullAsync = async (): Promise<IteratorResult<T>> => {
    if (this.#exhausted || this.#stopped) return DONE;
    try {
      const step = await (this.#asyncIterator as AsyncIterator<T>).next(); // only async workers pull this way
      if (step.done === true) this.#exhausted = true;
      return step;
    } catch (error) {
      this.#exhausted = true;
      throw error;
    }
  };

  readonly #stop = (): void => {
    this.#stopped = true;
  };

  #fail(error: unknown): void {
    if (this.#stopped) return; // already stopping: the first error, or the caller's abort, stands
    this.#failed = true;
    this.#error = error;
    this.#scope.abort(new CancelledError('map stopped because a call failed', { cause: error }));
  }

  #exit(): void {
    if (--this.#workers === 0) void this.#finish();
  }

  /** Runs once, after the last worker exited: closes an unfinished source, releases the scope, settles. */
  async #finish(): Promise<void> {
    const source = this.#exhausted ? undefined : (this.#asyncIterator ?? this.#iterator);
    if (source !== undefined) {
      try {
        await source.return?.();
      } catch {
        // The run already failed or was aborted and reports that; a failing return() adds nothing.
      }
    }
    this.#scope.signal.removeEventListener('abort', this.#stop);
    this.#scope.dispose();
    if (this.#failed) this.#reject(this.#error);
    else if (this.#scope.signal.aborted) this.#reject(this.#scope.signal.reason);
    else this.#resolve(this.#results);
  }
}
