/**
 * `mapIter(items, fn, { concurrency, ordered, signal, timeout })`: the streaming form of `map`,
 * an async iterable of results with bounded read-ahead, like p-map's `pMapIterable` and
 * Python's `Executor.map` (which also yields in input order).
 *
 * Read-ahead is bounded by one number: at most `concurrency` items are held — pulled from the
 * source and not yet handed to the consumer, whether their call is running or finished and
 * waiting (for its turn in input order, or for the consumer to ask). So memory stays bounded
 * even when the consumer is slow or, in input order, when one early item is slow; the price
 * is that a slow head item holds back the pulls behind it. Rejected alternative: p-map's
 * separate `backpressure` count, a second knob for the same bound.
 *
 * It is an async generator, so a consumer that breaks or throws runs its `finally`: the run
 * stops pulling, aborts the calls in flight (reason: a `CancelledError`), waits for them and
 * for a pull in progress, and closes the source with `return()`. The first failure ends the
 * iteration the same way and is thrown from the consumer's next `next()`; results not yet
 * yielded are dropped with it, as `map` drops them. Nothing starts before the first `next()`.
 *
 * @module
 */

import { Deadline } from '../core/deadline.js';
import { CancelledError } from '../core/errors.js';
import { checkFunction, checkInteger, checkWaitOptions, expectation } from '../core/validate.js';
import { checkItems, type MapOptions, type Mapper } from './map.js';
import { rejected } from './sleep.js';

/** Options of {@link mapIter}. */
export interface MapIterOptions extends MapOptions {
  /** `true` (the default): results come in input order; `false`: in the order the calls finish. */
  readonly ordered?: boolean | undefined;
}

/** What `take` returns once the source is done and every result was handed out. */
const END = Symbol('end');

/**
 * Calls `fn(item, index, signal)` for the items of `items`, at most `concurrency` at once, and
 * yields the results: in input order by default, in completion order with `ordered: false`.
 *
 * - At most `concurrency` items are pulled and not yet yielded (`Infinity`, the default,
 *   reads the whole source ahead; an infinite source needs a finite `concurrency`).
 * - Breaking out of the loop (or throwing in it) stops pulling, aborts the calls in flight,
 *   waits for them and closes the source; an error from the source's `return()` then reaches
 *   the consumer as it would from `for...of`.
 * - The first failure stops the run the same way and is thrown from the next `next()`.
 * - An iteration abandoned without `break`/`return()` keeps its calls' results and its listener
 *   on `signal` until it is closed, like any suspended async generator.
 * - `signal` aborted (before the first `next()` or later): the iteration throws
 *   `signal.reason` once the calls in flight have finished. `timeout` bounds the whole
 *   iteration with a `TimeoutError` (`mapIter timed out after N milliseconds`).
 *
 * @throws {TypeError | RangeError} synchronously, for bad `items`, `fn` or options.
 * @example
 * ```ts
 * import { mapIter } from 'loom';
 * const names = ['a', 'b', 'c', 'd'];
 * for await (const size of mapIter(names, async (name, _index, signal) => {
 *   const response = await fetch(`https://example.com/${name}`, { signal });
 *   return (await response.arrayBuffer()).byteLength;
 * }, { concurrency: 2, ordered: false })) {
 *   console.log(size);
 * }
 * ```
 */
export function mapIter<T, R>(items: Iterable<T> | AsyncIterable<T>, fn: Mapper<T, R>, opts?: MapIterOptions): AsyncGenerator<R, void, undefined> {
  checkItems(items);
  checkFunction('fn', fn);
  checkWaitOptions(opts);
  const concurrency = opts?.concurrency ?? Infinity;
  checkInteger('concurrency', concurrency, 1, true);
  const ordered = opts?.ordered ?? true;
  if (typeof ordered !== 'boolean') throw new TypeError(expectation('ordered', 'a boolean', ordered));
  return iterate(items, fn, concurrency, ordered, opts);
}

async function* iterate<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: Mapper<T, R>,
  concurrency: number,
  ordered: boolean,
  opts: MapIterOptions | undefined,
): AsyncGenerator<R, void, undefined> {
  if (opts?.signal?.aborted) throw opts.signal.reason;
  const run = new MapIterRun(items, fn, concurrency, ordered, opts);
  try {
    for (;;) {
      const next = await run.take();
      if (next === END) return;
      yield next;
    }
  } finally {
    await run.close();
  }
}

/** The state of one iteration: the source, the calls in flight, the finished results. */
class MapIterRun<T, R> {
  readonly #fn: Mapper<T, R>;
  readonly #concurrency: number;
  readonly #ordered: boolean;
  /** The one signal every call gets: aborted by the first failure, an early stop, the caller's signal or the timeout. */
  readonly #scope: Deadline;
  #iterator: Iterator<T> | undefined;
  #asyncIterator: AsyncIterator<T> | undefined;
  /** Items pulled and not yet handed out (running, or finished and waiting), plus a pull in progress. Never above `#concurrency`. */
  #held = 0;
  /** Calls started and not yet settled. */
  #running = 0;
  /** True while a pull from the async source is in progress (there is never more than one). */
  #pulling = false;
  /** The index the next pulled item gets. */
  #next = 0;
  /** The source must be neither pulled nor closed again: it reported done, threw, or was never opened. */
  #exhausted = false;
  /** True once a call or the source failed; `#error` is then that first error. */
  #failed = false;
  #error: unknown;
  /** True when the consumer stopped before the end, so the abort reason is the run's own. */
  #stoppedEarly = false;
  /** Finished results not yet handed out, by index (in insertion order, which is completion order). */
  readonly #finished = new Map<number, R>();
  /** In input order: the index the consumer gets next. */
  #turn = 0;
  /** Wakes the one waiter (`take`, or `close` after it) when anything changes; set only while it waits. */
  #wake: (() => void) | undefined;

  constructor(items: Iterable<T> | AsyncIterable<T>, fn: Mapper<T, R>, concurrency: number, ordered: boolean, opts: MapIterOptions | undefined) {
    this.#fn = fn;
    this.#concurrency = concurrency;
    this.#ordered = ordered;
    this.#scope = new Deadline(opts, 'mapIter');
    this.#scope.signal.addEventListener('abort', this.#notify);
    try {
      if (this.#scope.signal.aborted) this.#exhausted = true; // timeout 0: the source is not even opened
      else if (Symbol.asyncIterator in items) this.#asyncIterator = items[Symbol.asyncIterator]();
      else this.#iterator = items[Symbol.iterator]();
    } catch (error) {
      this.#exhausted = true;
      this.#fail(error);
    }
  }

  /** The next result in the chosen order, or `END`; throws the first failure or the abort reason. */
  async take(): Promise<R | typeof END> {
    const signal = this.#scope.signal;
    for (;;) {
      this.#pump();
      if (this.#failed) throw this.#error;
      if (signal.aborted) throw signal.reason;
      const index = this.#ordered ? this.#turn : this.#finished.keys().next().value;
      if (index !== undefined && this.#finished.has(index)) {
        const value = this.#finished.get(index) as R; // present, just checked
        this.#finished.delete(index);
        if (this.#ordered) this.#turn++;
        this.#held--;
        this.#pump(); // refills the freed slot while the consumer works on the value
        return value;
      }
      if (this.#exhausted && this.#held === 0) return END;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Stops the run unless it ended, waits for every call and pull, releases the scope and closes the source. */
  async close(): Promise<void> {
    const signal = this.#scope.signal;
    if (!signal.aborted && !(this.#exhausted && this.#held === 0)) {
      this.#stoppedEarly = true;
      this.#scope.abort(new CancelledError('mapIter stopped because its consumer stopped iterating'));
    }
    while (this.#running > 0 || this.#pulling) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    signal.removeEventListener('abort', this.#notify);
    this.#scope.dispose();
    const source = this.#exhausted ? undefined : (this.#asyncIterator ?? this.#iterator);
    try {
      await source?.return?.();
    } catch (error) {
      // After a failure or an abort the iteration reports that; after a plain early stop, the
      // consumer hears of it, as `for...of` reports a failing `return()` after `break`.
      if (this.#stoppedEarly) throw error;
    }
  }

  /** Pulls and starts calls while there is room; a pull from an async source is one at a time. */
  #pump(): void {
    const signal = this.#scope.signal;
    while (!signal.aborted && !this.#exhausted && !this.#pulling && this.#held < this.#concurrency) {
      this.#held++;
      if (this.#asyncIterator !== undefined) {
        this.#pulling = true;
        let pull: Promise<IteratorResult<T>>;
        try {
          pull = Promise.resolve(this.#asyncIterator.next());
        } catch (error) {
          pull = rejected(error);
        }
        pull.then(this.#pulled, this.#pullFailed);
        return;
      }
      let step: IteratorResult<T>;
      try {
        step = (this.#iterator as Iterator<T>).next(); // the source is sync when there is no async iterator
      } catch (error) {
        this.#held--;
        this.#exhausted = true;
        this.#fail(error);
        return;
      }
      if (step.done === true) {
        this.#held--;
        this.#exhausted = true;
        return;
      }
      this.#call(step.value);
    }
  }

  readonly #pulled = (step: IteratorResult<T>): void => {
    this.#pulling = false;
    if (step.done === true) this.#exhausted = true;
    if (step.done === true || this.#scope.signal.aborted) this.#held--; // nothing to run, or stopping: the item is dropped
    else this.#call(step.value);
    this.#notify();
    this.#pump(); // keeps reading ahead while the consumer is busy with a value
  };

  readonly #pullFailed = (error: unknown): void => {
    this.#pulling = false;
    this.#held--;
    this.#exhausted = true;
    this.#fail(error);
    this.#notify();
  };

  #call(item: T): void {
    const index = this.#next++;
    this.#running++;
    let result: Promise<R>;
    try {
      result = Promise.resolve(this.#fn(item, index, this.#scope.signal));
    } catch (error) {
      result = rejected(error);
    }
    result.then(
      (value) => {
        this.#running--;
        if (!this.#scope.signal.aborted) this.#finished.set(index, value);
        this.#notify();
      },
      (error: unknown) => {
        this.#running--;
        this.#fail(error);
        this.#notify();
      },
    );
  }

  #fail(error: unknown): void {
    if (this.#scope.signal.aborted) return; // already stopping: the first error, or the abort, stands
    this.#failed = true;
    this.#error = error;
    this.#scope.abort(new CancelledError('mapIter stopped because a call failed', { cause: error }));
  }

  readonly #notify = (): void => {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  };
}
