/**
 * `Task<T>`: the handle `TaskGroup.spawn` returns, like the `asyncio.Task` that
 * `asyncio.TaskGroup.create_task` returns — awaitable, and with `done()`, `cancelled()`,
 * `result()` and `exception()` for code that looks after the group has finished.
 *
 * A task is a thin view over the child's promise. The group has already attached its handler
 * to that promise, so a failed task that nobody awaits is never an unhandled rejection (the
 * group reports it), and awaiting it gives the same error again.
 *
 * Rejected alternatives: making `Task` a `Promise` subclass (every `then` would run the
 * subclass constructor, and `Promise` statics would return tasks), and a per-task `cancel()`
 * (it needs an `AbortController` per task; the group's signal is the one cancellation scope,
 * and a task that needs its own scope can make a nested group).
 *
 * @module
 */

import { InvalidStateError } from '../core/errors.js';

/** Where a {@link Task} stands: running, or how it ended. */
export type TaskState = 'running' | 'fulfilled' | 'rejected';

/** Settles `task` (the group's side of the handle; not part of the public surface). */
export let settleTask: <T>(task: Task<T>, state: 'fulfilled' | 'rejected', outcome: unknown, cancelled: boolean) => void;

/**
 * A child of a `TaskGroup`: awaitable, and inspectable once it has ended.
 *
 * Tasks are created by `TaskGroup.spawn`, never directly.
 *
 * @example
 * ```ts
 * import { taskGroup, type Task } from 'loom';
 * let task: Task<number> | undefined;
 * await taskGroup((group) => {
 *   task = group.spawn(async () => 42);
 * });
 * console.log(task?.done(), task?.result()); // true 42
 * ```
 */
export class Task<T> implements PromiseLike<T> {
  readonly #promise: Promise<T>;
  #state: TaskState = 'running';
  /** The value when `#state` is `'fulfilled'`, the error when `'rejected'`, `undefined` while running. */
  #outcome: unknown;
  /** True only when the task rejected with a cancellation its group caused. */
  #cancelled = false;

  static {
    settleTask = (task, state, outcome, cancelled) => {
      task.#state = state;
      task.#outcome = outcome;
      task.#cancelled = cancelled;
    };
  }

  /** @internal Called by `TaskGroup.spawn` with the child's promise. */
  constructor(promise: Promise<T>) {
    this.#promise = promise;
  }

  /** `'running'` until the task's function settles, then `'fulfilled'` or `'rejected'`. */
  get state(): TaskState {
    return this.#state;
  }

  /** True once the task's function has settled (however it ended). Like `asyncio.Task.done()`. */
  done(): boolean {
    return this.#state !== 'running';
  }

  /**
   * True when the task rejected with the cancellation its group caused (the group's abort
   * reason, or an `AbortError` whose `cause` is that reason, as Node's own APIs produce). Such
   * errors are not part of the group's `TaskGroupError`. Like `asyncio.Task.cancelled()`.
   */
  cancelled(): boolean {
    return this.#cancelled;
  }

  /**
   * The task's value. Like `asyncio.Task.result()`: throws the task's error when it rejected,
   * and an `InvalidStateError` ("Task is still running") when it has not ended yet.
   */
  result(): T {
    if (this.#state === 'fulfilled') return this.#outcome as T; // `#outcome` holds the value in this state
    if (this.#state === 'rejected') throw this.#outcome;
    throw new InvalidStateError('Task is still running');
  }

  /**
   * The task's error, or `undefined` when it fulfilled. Like `asyncio.Task.exception()`: throws
   * an `InvalidStateError` ("Task is still running") when it has not ended yet.
   */
  exception(): unknown {
    if (this.#state === 'running') throw new InvalidStateError('Task is still running');
    return this.#state === 'rejected' ? this.#outcome : undefined;
  }

  /** Awaiting a task gives its value or rejects with its error. */
  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#promise.then(onfulfilled, onrejected);
  }
}
