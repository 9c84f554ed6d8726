/**
 * `WorkerPool`: runs the exported functions of an ES module on a pool of worker threads, in
 * parallel for real — the parallelism the seed's item 53 shows Python threads lack, with the
 * surface of Python's `concurrent.futures` executors and of piscina.
 *
 * Dispatch: a task goes to an idle thread if there is one, else to a new thread while fewer
 * than `size` exist, else to the least loaded thread with fewer than
 * `concurrentTasksPerWorker` tasks in flight; otherwise it waits in the pool's FIFO queue.
 * Several tasks in flight per thread, and one message per thread per turn (see
 * `pool-worker.ts`), make tiny tasks cheap; `map` goes further and sends items in chunks.
 *
 * Cancellation is cooperative first: the task function's last argument is `{ signal }`, and
 * aborting the caller's signal (or its timeout) aborts that signal in the thread. The caller's
 * promise rejects at once; if the task has not stopped `abortGrace` ms later, its thread is
 * terminated (and replaced on demand) and the other tasks in flight on that thread reject with
 * a `WorkerError` that says why. A thread that crashes, exits or runs out of memory is handled
 * the same way: its tasks reject with a `WorkerError`, nothing else is affected.
 *
 * Ending: `shutdown()` is `concurrent.futures`' `shutdown(wait, cancel_futures)`: no new tasks,
 * queued ones still run unless cancelled, idle threads end, and `wait` waits for the rest; with
 * a `timeout`, whatever still runs after it is terminated. `terminate()` ends everything now,
 * also a thread blocked in `Atomics.wait`. Neither starts a thread again.
 *
 * The task module may be TypeScript in tests (loaded in each thread through tsx) and compiled
 * JavaScript in production; `spawn.ts` says how, and why `execArgv: ['--import', 'tsx']` is not
 * the way on Node 20. The engine (threads, queue, dispatch, failures) is in `dispatcher.ts`.
 *
 * @module
 */

import type { TransferListItem } from 'node:worker_threads';
import { Deadline, isForever, type WaitOptions } from '../core/deadline.js';
import { CancelledError, InvalidStateError, QueueFull } from '../core/errors.js';
import { checkInteger, checkOptions, checkWaitOptions, expectation } from '../core/validate.js';
import type { ExecutorLike, ShutdownOptions } from '../tasks/executor-like.js';
import { Future } from '../tasks/future.js';
import { Dispatcher, terminated } from './dispatcher.js';
import { settingsOf, type WorkerPoolOptions } from './options.js';
import { mapInChunks, type MapOptions } from './pool-map.js';
import { PoolTask } from './pool-task.js';

/** Options of one task: `{ signal, timeout }` as everywhere, and objects to transfer rather than copy. */
export interface WorkerTaskOptions extends WaitOptions {
  /** `ArrayBuffer`s, `MessagePort`s … among the arguments to move to the thread (they become unusable here). */
  readonly transfer?: readonly TransferListItem[] | undefined;
}

/** Options of {@link WorkerPool.shutdown}, with `concurrent.futures` meanings. */
export interface WorkerPoolShutdownOptions extends ShutdownOptions {
  /** Wait until every task settled and every thread ended (default true). */
  readonly wait?: boolean | undefined;
  /** Cancel the queued tasks instead of running them (default false). */
  readonly cancelFutures?: boolean | undefined;
  /** Terminate whatever still runs this many milliseconds after the call (default: never). */
  readonly timeout?: number | undefined;
  /** Stops waiting (the call rejects with `signal.reason`); the pool still shuts down. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A pool of worker threads running the functions exported by one ES module.
 *
 * @example
 * ```ts
 * // tasks.ts:  export function add(a: number, b: number) { return a + b; }
 * import { WorkerPool } from 'loom/workers';
 * await using pool = new WorkerPool({ module: new URL('./tasks.js', import.meta.url) });
 * console.log(await pool.run('add', [1, 2])); // 3
 * console.log(await pool.map('double', [1, 2, 3])); // one argument per item
 * ```
 */
export class WorkerPool implements ExecutorLike<string> {
  /** The threads, the queue and the rules; see `dispatcher.ts`. */
  readonly #dispatch: Dispatcher;

  /** @param options see {@link WorkerPoolOptions}; `module` is required. */
  constructor(options: WorkerPoolOptions) {
    this.#dispatch = new Dispatcher(settingsOf(options));
  }
  /** The most threads this pool runs at once. @example `pool.size` */
  get size(): number {
    return this.#dispatch.settings.size;
  }

  /** Threads alive now. @example `pool.threadCount` */
  get threadCount(): number {
    return this.#dispatch.threadCount;
  }

  /** Tasks waiting for a thread. @example `pool.queueSize` */
  get queueSize(): number {
    return this.#dispatch.queueSize;
  }

  /**
   * Runs the exported function `name` with `args` (and, last, `{ signal }`) in a thread and
   * returns what it returns (awaited, structured-cloned). Rejects with the function's own error,
   * with a `WorkerError` when its thread died, with `signal.reason` or a `TimeoutError`
   * (`WorkerPool.run timed out after N milliseconds`) when given up, and with
   * `InvalidStateError` after `shutdown()`. Waits for room when the queue is full.
   *
   * @example
   * ```ts
   * import type { WorkerPool } from 'loom/workers';
   * declare const pool: WorkerPool;
   * const factors = await pool.run('factorize', [2139079], { timeout: 5000 });
   * ```
   */
  run<T = unknown>(name: string, args: readonly unknown[] = [], opts?: WorkerTaskOptions): Promise<T> {
    checkTask(name, args, opts);
    if (this.#dispatch.closed) return Promise.reject(new InvalidStateError(`WorkerPool.run cannot start task "${name}": the pool is shut down`));
    if (opts?.signal?.aborted) return Promise.reject(opts.signal.reason as Error);
    if (isForever(opts) && !this.#dispatch.full()) {
      return new Promise<T>((resolve, reject) => {
        this.#dispatch.enqueue(new PoolTask(this.#dispatch.nextId(), name, args, false, undefined, opts?.transfer, resolve as (value: unknown) => void, reject, undefined));
      });
    }
    return this.#runSlow<T>(name, args, false, opts, 'WorkerPool.run');
  }

  /**
   * Like {@link run} but returns a {@link Future} at once, like `Executor.submit`. Throws
   * `InvalidStateError` after `shutdown()` and `QueueFull` when the queue is full (it cannot
   * wait). `future.cancel()` succeeds while the task is still queued.
   *
   * @example
   * ```ts
   * import type { WorkerPool } from 'loom/workers';
   * declare const pool: WorkerPool;
   * const future = pool.submit('factorize', [2139079]);
   * console.log(await future);
   * ```
   */
  submit<T = unknown>(name: string, args: readonly unknown[] = [], opts?: WorkerTaskOptions): Future<T> {
    checkTask(name, args, opts);
    if (this.#dispatch.closed) throw new InvalidStateError(`WorkerPool.submit cannot start task "${name}": the pool is shut down`);
    if (this.#dispatch.full()) {
      throw new QueueFull(`WorkerPool queue is full: ${this.#dispatch.queueSize} tasks waiting (maxQueue ${this.#dispatch.settings.maxQueue})`);
    }
    const future = new Future<T>();
    if (opts?.signal?.aborted) {
      future.setRunningOrNotifyCancel();
      future.setException(opts.signal.reason);
      return future;
    }
    const deadline = isForever(opts) ? undefined : new Deadline(opts, 'WorkerPool.submit');
    const task = new PoolTask(
      this.#dispatch.nextId(),
      name,
      args,
      false,
      deadline,
      opts?.transfer,
      (value) => future.setResult(value as T), // the task module's contract gives T
      (error) => future.setException(error),
      future,
    );
    future.addDoneCallback(() => {
      if (!future.cancelled() || task.state !== 'queued') return;
      task.state = 'done';
      task.deadline?.dispose();
      this.#dispatch.left();
    });
    this.#dispatch.enqueue(task);
    return future;
  }

  /**
   * Calls `name` once per item (the item is its one argument, `{ signal }` the last) and
   * returns the results in input order. Items travel in chunks (`chunkSize`, default about a
   * quarter of `items / size`, at most 4096) so that millions of tiny items cost a few
   * thousand messages. On the first failure the other chunks are aborted and `map` rejects with
   * that error (like p-map); signal and timeout (`WorkerPool.map timed out after N
   * milliseconds`) cover the whole call.
   *
   * @example
   * ```ts
   * import type { WorkerPool } from 'loom/workers';
   * declare const pool: WorkerPool;
   * const squares = await pool.map<number>('square', [1, 2, 3, 4]);
   * ```
   */
  map<R = unknown>(name: string, items: Iterable<unknown>, opts?: MapOptions): Promise<R[]> {
    checkTask(name, [], opts);
    if (opts?.chunkSize !== undefined) checkInteger('chunkSize', opts.chunkSize, 1);
    if (this.#dispatch.closed) return Promise.reject(new InvalidStateError(`WorkerPool.map cannot start task "${name}": the pool is shut down`));
    return mapInChunks<R>(items, opts, this.#dispatch.settings.size, (chunk, signal) => this.#runSlow<R[]>(name, [chunk], true, { signal }, 'WorkerPool.map'));
  }

  /**
   * Stops taking tasks; like `concurrent.futures`' `Executor.shutdown`. Queued tasks still run
   * unless `cancelFutures` (they then reject with `CancelledError`); idle threads end at once,
   * busy ones when their tasks are done. With `wait` (default) resolves once every task settled
   * and every thread ended; past `timeout` ms, calls {@link terminate}. Idempotent.
   *
   * @example
   * ```ts
   * import type { WorkerPool } from 'loom/workers';
   * declare const pool: WorkerPool;
   * await pool.shutdown({ timeout: 10_000 });
   * ```
   */
  async shutdown(opts?: WorkerPoolShutdownOptions): Promise<void> {
    checkOptions('options', opts);
    const { wait = true, cancelFutures = false, timeout, signal } = opts ?? {};
    if (typeof wait !== 'boolean') throw new TypeError(expectation('wait', 'a boolean', wait));
    if (typeof cancelFutures !== 'boolean') throw new TypeError(expectation('cancelFutures', 'a boolean', cancelFutures));
    checkWaitOptions({ timeout, signal });
    this.#dispatch.close();
    if (cancelFutures) this.#dispatch.cancelQueued((name) => new CancelledError(`Task "${name}" was cancelled: WorkerPool.shutdown({ cancelFutures: true }) was called`));
    if (timeout !== undefined && timeout !== Infinity) this.#dispatch.terminateAfter(timeout);
    this.#dispatch.reap();
    if (!wait) return;
    if (signal === undefined) await this.#dispatch.drained;
    else await untilAborted(this.#dispatch.drained as Promise<void>, signal); // set by #close
  }

  /**
   * Ends everything now: queued and running tasks reject with `CancelledError`, and every
   * thread is terminated, even one blocked in `Atomics.wait` or an endless loop. Resolves once
   * all threads exited. Idempotent.
   *
   * @example
   * ```ts
   * import type { WorkerPool } from 'loom/workers';
   * declare const pool: WorkerPool;
   * await pool.terminate();
   * ```
   */
  async terminate(): Promise<void> {
    this.#dispatch.close();
    this.#dispatch.terminateAll(terminated);
    this.#dispatch.reap();
    await this.#dispatch.drained;
  }

  /** `await using pool = new WorkerPool(…)` calls `shutdown()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  async #runSlow<T>(name: string, args: readonly unknown[], batch: boolean, opts: WorkerTaskOptions | undefined, what: string): Promise<T> {
    const deadline = isForever(opts) ? undefined : new Deadline(opts, what);
    try {
      while (this.#dispatch.full()) {
        await this.#dispatch.waitForRoom(deadline?.signal, what, name);
      }
      if (deadline?.signal.aborted) throw deadline.signal.reason;
    } catch (error) {
      deadline?.dispose();
      throw error;
    }
    return new Promise<T>((resolve, reject) => {
      const task = new PoolTask(this.#dispatch.nextId(), name, args, batch, deadline, opts?.transfer, resolve as (value: unknown) => void, reject, undefined);
      if (deadline !== undefined) {
        const { signal } = deadline;
        signal.addEventListener('abort', () => this.#dispatch.onAbort(task, signal.reason), { once: true });
      }
      this.#dispatch.enqueue(task);
    });
  }
}

/** `promise`, or a rejection with `signal.reason` once `signal` aborts, whichever comes first; leaves no listener. */
async function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  let onAbort!: () => void;
  try {
    await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function checkTask(name: unknown, args: unknown, opts: unknown): void {
  if (typeof name !== 'string') throw new TypeError(expectation('name', 'the name of an exported function', name));
  if (!Array.isArray(args)) throw new TypeError(expectation('args', 'an array of arguments', args));
  checkWaitOptions(opts);
  const transfer = (opts as WorkerTaskOptions | undefined)?.transfer;
  if (transfer !== undefined && !Array.isArray(transfer)) throw new TypeError(expectation('transfer', 'an array', transfer));
}
