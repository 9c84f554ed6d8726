/**
 * `map(items, fn, { concurrency, signal, timeout })`: bounded fan-out with results in input
 * order, like `p-map` and Python's `Executor.map`, but structured: it never settles while a
 * call it started is still running.
 *
 * The engine is the worker loop of the hand-written limit it is benchmarked against: up to
 * `concurrency` async workers, each taking the next item when its previous call finished. Per
 * item that is one `await` and a flag check — no closure, no promise of our own, no
 * `AbortController` — because all calls share one `Deadline` (the run's cancellation scope,
 * which also merges the caller's `signal` and `timeout`). Arrays take a fast path whose shared
 * state lives in closure variables, as in the limit. Other iterables are pulled lazily, one item
 * per free worker, so no more than `concurrency` items are ever pulled and unfinished. Pulls
 * from an async source are chained one after another: an async iterator need not support
 * overlapping `next()` calls.
 *
 * On the first failure (of a call, or of the source) the run stops pulling, aborts the shared
 * signal (reason: a `CancelledError` whose `cause` is that error), waits for the running calls,
 * closes the source (`return()`, as `for...of` does on `break`) and rejects with that first
 * error itself, as p-map does; later failures are dropped. Rejected alternative: rejecting at
 * once (p-map's way) — it leaves calls running after the caller was told the map is over.
 *
 * @module
 */

import { Deadline, type WaitOptions } from '../core/deadline.js';
import { CancelledError } from '../core/errors.js';
import { checkFunction, checkInteger, checkWaitOptions, expectation } from '../core/validate.js';
import { MapRun } from './map-run.js';
import { rejected } from './sleep.js';

/** Options of {@link map}. */
export interface MapOptions extends WaitOptions {
  /** At most this many calls run at once: an integer >= 1, or `Infinity` (the default, like p-map's). */
  readonly concurrency?: number | undefined;
}

/** The function {@link map} and `mapIter` call for each item: its index in the source, and the run's signal. */
export type Mapper<T, R> = (item: T, index: number, signal: AbortSignal) => R | PromiseLike<R>;

/** Throws unless `value` is an iterable or an async iterable. Internal: shared with `mapIter`. */
export function checkItems(value: unknown): asserts value is Iterable<unknown> | AsyncIterable<unknown> {
  const source = value as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null | undefined;
  if (typeof source?.[Symbol.iterator] === 'function' || typeof source?.[Symbol.asyncIterator] === 'function') return;
  throw new TypeError(expectation('items', 'an iterable or async iterable', value));
}

/**
 * Calls `fn(item, index, signal)` for every item of `items` with at most `concurrency` calls
 * running at once, and resolves with the results in input order.
 *
 * - `items`: an array, any iterable, or an async iterable (pulled lazily: never more than
 *   `concurrency` items pulled and unfinished; an infinite source needs a finite
 *   `concurrency`). Items are passed as they are, not awaited.
 * - On the first failure it starts no new call, aborts `signal`, waits for the running calls,
 *   closes the source and rejects with that first error. Errors after it are dropped.
 * - `opts.signal` already aborted: rejects at once, pulling nothing. Aborted later: running
 *   calls see `signal` abort with the same reason; once they have finished the call rejects
 *   with it. `opts.timeout` does the same with a `TimeoutError` (`map timed out after N milliseconds`).
 *
 * @throws {TypeError | RangeError} synchronously, for bad `items`, `fn` or options
 *   (``Expected `concurrency` to be an integer >= 1 or Infinity, got `0` (number)``).
 * @example
 * ```ts
 * import { map } from 'loom';
 * const pages = await map(['a', 'b', 'c'], async (name, _index, signal) => {
 *   const response = await fetch(`https://example.com/${name}`, { signal });
 *   return response.text();
 * }, { concurrency: 2 });
 * ```
 */
export function map<T, R>(items: Iterable<T> | AsyncIterable<T>, fn: Mapper<T, R>, opts?: MapOptions): Promise<R[]> {
  checkItems(items);
  checkFunction('fn', fn);
  checkWaitOptions(opts);
  const concurrency = opts?.concurrency ?? Infinity;
  checkInteger('concurrency', concurrency, 1, true);
  if (opts?.signal?.aborted) return rejected(opts.signal.reason);
  if (Array.isArray(items)) return mapArray(items as readonly T[], fn, concurrency, new Deadline(opts, 'map')); // isArray drops the element type
  return new MapRun(items, fn, concurrency, opts).promise;
}

/**
 * The array fast path: the hand-written limit's loop (workers sharing an index in closure
 * variables, which are cheaper per item than an object's fields) plus the stop flag, the
 * shared signal and first-error bookkeeping. Never reads past the end, never starts a call
 * after a failure or an abort, and settles only once every worker has returned.
 */
async function mapArray<T, R>(array: readonly T[], fn: Mapper<T, R>, concurrency: number, scope: Deadline): Promise<R[]> {
  const { signal } = scope;
  const results = new Array<R>(array.length);
  let next = 0;
  /** Mirrors `signal.aborted` (a variable read is cheaper per item than the getter). */
  let stopped = signal.aborted;
  let failed = false;
  let firstError: unknown;
  const stop = (): void => {
    stopped = true;
  };
  signal.addEventListener('abort', stop, { once: true });
  const worker = async (): Promise<void> => {
    try {
      while (!stopped && next < array.length) {
        const index = next++;
        results[index] = await fn(array[index] as T, index, signal); // in bounds, just checked
      }
    } catch (error) {
      if (stopped) return; // already stopping: the first error, or the caller's abort, stands
      failed = true;
      firstError = error;
      scope.abort(new CancelledError('map stopped because a call failed', { cause: error }));
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency && i < array.length; i++) workers.push(worker());
  await Promise.all(workers);
  signal.removeEventListener('abort', stop);
  scope.dispose();
  if (failed) throw firstError;
  if (signal.aborted) throw signal.reason;
  return results;
}
