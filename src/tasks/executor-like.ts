/**
 * The surface `Executor` and `WorkerPool` share, in a file of its own so that a module can
 * type against it without loading either implementation.
 *
 * The two differ in how a task is named (a function, or the name of a function exported by a
 * worker module) and in how arguments travel, so the interface is generic in the task and
 * only promises what both can keep: submit a task and shut down with `concurrent.futures`
 * meanings. `map` is left out on purpose: `Executor.map` streams results like Python's, while
 * `WorkerPool.map` batches many tiny items per message and returns them all at once.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import type { Future } from './future.js';

/** Options of `shutdown()`: Python's `wait` and `cancel_futures`, plus a bound on the wait. */
export interface ShutdownOptions extends WaitOptions {
  /** Resolve only once every running and queued task has finished. Default `true`. */
  readonly wait?: boolean | undefined;
  /** Cancel every queued (not yet running) future first. Default `false`. */
  readonly cancelFutures?: boolean | undefined;
}

/**
 * What `Executor` and `WorkerPool` share: submit work as a `Future` and shut
 * down (`await using` does `shutdown()`). `Task` is what names the work: a function for
 * `Executor`, an exported function's name for `WorkerPool`. How a task's arguments are passed
 * differs between implementations, so generic code submits tasks that take none.
 *
 * @example
 * ```ts
 * import { Executor, type ExecutorLike } from 'loom';
 * async function firstOf(executor: ExecutorLike<() => Promise<number>>, task: () => Promise<number>) {
 *   await using _executor = executor;
 *   return executor.submit(task).result();
 * }
 * console.log(await firstOf(new Executor({ maxWorkers: 2 }), async () => 42));
 * ```
 */
export interface ExecutorLike<Task = never> extends AsyncDisposable {
  /** Schedules `task` and returns its future; throws once the executor is shut down. */
  submit(task: Task, ...args: never[]): Future<unknown>;
  /** Stops taking work; see {@link ShutdownOptions}. Idempotent. */
  shutdown(opts?: ShutdownOptions): Promise<void>;
}
