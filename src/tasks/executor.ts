/**
 * `Executor`: Python's `concurrent.futures.ThreadPoolExecutor` (`Lib/concurrent/futures/
 * thread.py`) for async functions on the event loop. At most `maxWorkers` submitted functions
 * run at once; the rest wait in FIFO order, each behind a pending (so still cancellable)
 * {@link Future}.
 *
 * Design notes:
 *
 * - A function starts synchronously inside `submit` when a slot is free, so the returned
 *   future is already running; only futures that had to queue can be cancelled. Its outcome
 *   is taken through `new Promise((resolve) => resolve(fn(...args))).then(...)`, so even a
 *   synchronous throw settles the future a microtask later: finishing one task never starts
 *   the next one on the same stack, and a long run of synchronously failing tasks cannot
 *   overflow it.
 * - `maxWorkers` defaults to `Infinity`, not Python's `min(32, cpus + 4)`: that figure sizes
 *   a pool of threads, while a waiting async function costs next to nothing. Pass a bound
 *   whenever the work holds something scarce (sockets, file handles, a remote rate limit).
 * - Submitted functions get exactly the arguments given (`fn(...args)`), as in Python; there is
 *   no implicit `AbortSignal`. A function that wants one takes it as an argument; work that
 *   owns child tasks belongs in a `TaskGroup`, which does pass signals.
 * - Cancelled futures stay in the queue and are skipped when reached (Python's way):
 *   removing them on `cancel()` would need a done callback per queued task. `shutdown({
 *   cancelFutures: true })` empties the queue at once.
 * - `shutdown()` stops new submissions; queued work still runs unless `cancelFutures` is set
 *   (Python's meaning). Running functions cannot be stopped from outside, so waiting for them
 *   is all `wait` can mean; `signal`/`timeout` give up that wait, never the work.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import { InvalidStateError } from '../core/errors.js';
import { checkFunction, checkInteger, checkOptions, checkWaitOptions, expectation } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { Future } from './future.js';
import type { ExecutorLike, ShutdownOptions } from './executor-like.js';
import { mapResults } from './executor-map.js';

/** Options of `new Executor()`. */
export interface ExecutorOptions {
  /** The most submitted functions running at once: an integer >= 1, or `Infinity`. Default `Infinity`. */
  readonly maxWorkers?: number | undefined;
}

/** A submitted call waiting for a slot; `future` is pending or cancelled while it is queued. */
interface WorkItem {
  readonly future: Future<unknown>;
  readonly fn: (...args: unknown[]) => unknown;
  readonly args: unknown[];
  next: WorkItem | undefined;
}

/**
 * Runs submitted async (or plain) functions with at most `maxWorkers` at once, each behind a
 * {@link Future}; like Python's `ThreadPoolExecutor`, on the event loop.
 *
 * @example
 * ```ts
 * import { Executor } from 'loom';
 * await using executor = new Executor({ maxWorkers: 4 });
 * const future = executor.submit(async (a: number, b: number) => a + b, 1, 2);
 * console.log(await future); // 3
 * for await (const status of executor.map(async (url: string) => (await fetch(url)).status, ['https://example.com'])) {
 *   console.log(status);
 * }
 * ```
 */
export class Executor implements ExecutorLike<(...args: never[]) => unknown> {
  readonly #maxWorkers: number;
  /** Functions started and not yet settled; always <= `#maxWorkers`. */
  #running = 0;
  /** Oldest queued item; the queue is non-empty only while `#running === #maxWorkers` (or while draining). */
  #head: WorkItem | undefined;
  /** Newest queued item; `undefined` exactly when `#head` is. */
  #tail: WorkItem | undefined;
  #shutdown = false;
  /** `shutdown({ wait: true })` callers, woken whenever nothing is running or queued. */
  readonly #idle = new WaitQueue<undefined>();

  /**
   * @param opts `maxWorkers`: the most functions running at once (default `Infinity`).
   * @throws RangeError/TypeError for a `maxWorkers` that is not an integer >= 1 or `Infinity`.
   */
  constructor(opts?: ExecutorOptions) {
    checkOptions('options', opts);
    const maxWorkers = opts?.maxWorkers ?? Infinity;
    checkInteger('maxWorkers', maxWorkers, 1, true);
    this.#maxWorkers = maxWorkers;
  }

  /** The most functions this executor runs at once. */
  get maxWorkers(): number {
    return this.#maxWorkers;
  }

  /**
   * Schedules `fn(...args)` and returns its future. `fn` starts at once, synchronously, when
   * fewer than `maxWorkers` functions are running; otherwise it waits its turn (FIFO) and its
   * future can be cancelled until then. The future gets `fn`'s (awaited) return value, or
   * what it threw or rejected with.
   *
   * @throws InvalidStateError (`Cannot schedule new futures after shutdown`) once
   *   `shutdown()` was called, as Python raises `RuntimeError`; TypeError when `fn` is not a function.
   * @example
   * ```ts
   * import { Executor } from 'loom';
   * await using executor = new Executor({ maxWorkers: 4 });
   * const future = executor.submit(Math.pow, 2, 8);
   * console.log(await future.result()); // 256
   * ```
   */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    checkFunction('fn', fn);
    if (this.#shutdown) throw new InvalidStateError('Cannot schedule new futures after shutdown');
    const future = new Future<Awaited<R>>();
    // Erased to unknown for the queue: only `#run` calls `fn`, with its own `args`, and only
    // `#finish` settles `future`, with what `fn` produced.
    const item: WorkItem = { future, fn: fn as (...args: unknown[]) => unknown, args, next: undefined };
    if (this.#running < this.#maxWorkers) this.#run(item);
    else this.#enqueue(item);
    return future;
  }

  /**
   * Calls `fn(item)` for every item, submitting them all at once (like Python's
   * `Executor.map`), and yields the results in input order. A failure is thrown when its
   * turn comes; leaving the loop early (by `break`, a throw, a failure, a timeout or an abort)
   * cancels the calls that have not started.
   *
   * `timeout` bounds the whole iteration, counted from the first `next()` (Python counts from
   * the call; starting the clock lazily means an iterator never iterated arms no timer): past
   * it, iteration throws `TimeoutError` (`Executor.map timed out after N milliseconds`).
   * `signal` aborts the iteration with `signal.reason`; when it is already aborted nothing is
   * submitted.
   *
   * @throws InvalidStateError after shutdown; TypeError for bad arguments (at the call).
   * @example
   * ```ts
   * import { Executor } from 'loom';
   * await using executor = new Executor({ maxWorkers: 4 });
   * for await (const square of executor.map(async (n: number) => n * n, [1, 2, 3], { timeout: 5000 })) {
   *   console.log(square);
   * }
   * ```
   */
  map<A, R>(fn: (item: A) => R, items: Iterable<A>, opts?: WaitOptions): AsyncGenerator<Awaited<R>, void, undefined> {
    checkFunction('fn', fn);
    if (typeof (items as Partial<Iterable<A>> | null | undefined)?.[Symbol.iterator] !== 'function') {
      throw new TypeError(expectation('items', 'an iterable', items));
    }
    checkWaitOptions(opts);
    if (this.#shutdown) throw new InvalidStateError('Cannot schedule new futures after shutdown');
    const futures: Future<Awaited<R>>[] = [];
    if (!opts?.signal?.aborted) {
      try {
        for (const item of items) futures.push(this.submit(fn, item));
      } catch (error) {
        for (const future of futures) future.cancel();
        throw error;
      }
    }
    return mapResults(futures, opts);
  }

  /**
   * Stops accepting work: later `submit`/`map` calls throw. With `cancelFutures`, every queued
   * future is cancelled first; running functions always finish. With `wait` (the default),
   * resolves once nothing is running or queued. `signal`/`timeout` bound only that wait (the
   * shutdown itself has happened): past `timeout`, rejects with `TimeoutError`
   * (`Executor.shutdown timed out after N milliseconds`); an aborted `signal` rejects with its
   * reason. Idempotent: a later call can still cancel the queue or wait.
   *
   * @example
   * ```ts
   * import { Executor } from 'loom';
   * const executor = new Executor({ maxWorkers: 4 });
   * await executor.shutdown({ cancelFutures: true });
   * ```
   */
  shutdown(opts?: ShutdownOptions): Promise<void> {
    checkWaitOptions(opts);
    const { wait = true, cancelFutures = false } = opts ?? {};
    if (typeof wait !== 'boolean') throw new TypeError(expectation('wait', 'a boolean', wait));
    if (typeof cancelFutures !== 'boolean') throw new TypeError(expectation('cancelFutures', 'a boolean', cancelFutures));
    this.#shutdown = true;
    if (cancelFutures) {
      for (let item = this.#head; item !== undefined; item = item.next) item.future.cancel();
      this.#head = this.#tail = undefined;
    }
    return wait ? this.#waitIdle(opts) : Promise.resolve();
  }

  /** `shutdown()` with its defaults: waits for every running and queued function. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  async #waitIdle(opts: WaitOptions | undefined): Promise<void> {
    if (opts?.signal?.aborted) throw opts.signal.reason;
    if (this.#running === 0 && this.#head === undefined) return;
    await this.#idle.park(opts, 'Executor.shutdown');
  }

  #enqueue(item: WorkItem): void {
    if (this.#tail === undefined) this.#head = item;
    else this.#tail.next = item;
    this.#tail = item;
  }

  #run(item: WorkItem): void {
    // The executor-side setters are public: a queued future that a consumer already settled,
    // cancelled or marked running is not ours to run any more.
    if (item.future.done() || item.future.running()) return;
    item.future.setRunningOrNotifyCancel(); // pending, so it returns true
    this.#running++;
    // The executor callback turns a synchronous throw into a rejection.
    const outcome = new Promise<unknown>((resolve) => {
      resolve(item.fn(...item.args));
    });
    outcome.then(
      (value) => this.#finish(item.future, true, value),
      (error: unknown) => this.#finish(item.future, false, error),
    );
  }

  #finish(future: Future<unknown>, ok: boolean, outcome: unknown): void {
    // The setters are public, so a consumer may have settled the future already; theirs wins.
    if (!future.done()) {
      if (ok) future.setResult(outcome);
      else future.setException(outcome);
    }
    this.#running--;
    while (this.#running < this.#maxWorkers && this.#head !== undefined) {
      const item = this.#head;
      this.#head = item.next;
      if (this.#head === undefined) this.#tail = undefined;
      item.next = undefined;
      this.#run(item);
    }
    if (this.#running === 0 && this.#head === undefined) this.#idle.wakeAll(undefined);
  }
}
