/**
 * Structured fan-out: `TaskGroup` and `taskGroup(body)`, after Python's `asyncio.TaskGroup`
 * (`Lib/asyncio/taskgroups.py`) and Go's `errgroup.WithContext` (`errgroup/errgroup.go`).
 *
 * The rules, all of them asyncio's:
 *
 * - The group waits for every child, including children spawned by children while it waits.
 * - The first failure (a child's, or the body's) aborts the group's one signal, which every
 *   child and the body received; the group then still waits for all of them.
 * - The group rejects with a `TaskGroupError` holding every failure in the order it happened,
 *   except the cancellations the group itself caused: a child (or body) rejecting with the
 *   group's abort reason — or with an `AbortError` whose `cause` is that reason, as Node's own
 *   `timers/promises` and `events.once` produce — was cancelled, not failing. Errors thrown
 *   while cleaning up after the abort are kept (asyncio's `test_taskgroup_19`).
 * - Cancelled from outside (the `signal` option aborts, or the `timeout` elapses), the group
 *   aborts the children and rejects with that reason — unless some child failed for real, in
 *   which case those errors win and the reason is the `TaskGroupError`'s `cause` (asyncio:
 *   "except if there are other errors -- those have priority").
 * - Once the group is failing or has finished, `spawn` throws an `InvalidStateError` at once
 *   and never calls the function (asyncio: "is shutting down" / "is finished").
 *
 * One `Deadline` is the group's scope: it owns the listener on the caller's signal and the
 * timer, and is also what the group aborts on the first failure, so there is one signal for
 * everything and nothing per child beyond the child's own promise. Errgroup's `Wait` returns
 * only the first error; asyncio's (and trio's) keep all, which is what the `TaskGroupError`
 * carries. Errgroup also cancels its context when `Wait` returns successfully; loom does not
 * abort the signal of a group that succeeded, since nothing the group owns is left running.
 *
 * Children start synchronously inside `spawn` (like calling an async function), not on a
 * later tick as asyncio schedules them: the function's synchronous part runs before `spawn`
 * returns, and a synchronous throw becomes that task's rejection.
 *
 * @module
 */

import { Deadline, type WaitOptions } from '../core/deadline.js';
import { CancelledError, InvalidStateError, TaskGroupError } from '../core/errors.js';
import { checkFunction, checkWaitOptions } from '../core/validate.js';
import { rejected } from './sleep.js';
import { settleTask, Task } from './task.js';

/** Options of {@link TaskGroup} and {@link taskGroup}. */
export type TaskGroupOptions = WaitOptions;

/** Records an error of the body of {@link taskGroup} (the group's side; not public). */
let bodyFailed: (group: TaskGroup, error: unknown) => void;

/**
 * A set of child tasks that succeed or fail together.
 *
 * `spawn(fn)` starts `fn(signal)` at once and returns its {@link Task}. `[Symbol.asyncDispose]`
 * (what `await using` calls) waits for every child and then rejects with a `TaskGroupError`
 * if any failed, or with the `signal` option's reason (or a `TimeoutError`, message
 * `TaskGroup timed out after N milliseconds`) if the group was cancelled from outside.
 *
 * Prefer {@link taskGroup}: with `await using`, an error thrown by the block itself does not
 * reach the group (`Symbol.asyncDispose` is not told about it), so the children are not
 * aborted and the block's error is reported next to the group's in a `SuppressedError`.
 *
 * A group that is never disposed keeps its listener on the `signal` option and its timer.
 *
 * @example
 * ```ts
 * import { TaskGroup, sleep } from 'loom';
 * {
 *   await using group = new TaskGroup({ timeout: 5000 });
 *   group.spawn((signal) => sleep(100, { signal }));
 *   group.spawn((signal) => sleep(200, { signal }));
 * } // waits for both here
 * ```
 */
export class TaskGroup implements AsyncDisposable {
  /** The group's one cancellation scope: aborted by the first failure, the caller's signal or the timeout. */
  readonly #scope: Deadline;
  /** `#scope.signal`, read once per spawn: a field, not two getters with brand checks. */
  readonly #signal: AbortSignal;
  /** Children whose promise has not settled yet. */
  #running = 0;
  /** Every failure that was not a cancellation the group caused, in the order it happened. */
  readonly #errors: unknown[] = [];
  /** True once the group aborted its own scope because of a failure (so the abort reason is the group's, not the caller's). */
  #failing = false;
  /** Set on the first dispose; the group has finished once it is set and `#running` is 0. */
  #closed: Promise<void> | undefined;
  /** Wakes the dispose that waits for `#running` to reach 0; set only while one waits. */
  #wake: (() => void) | undefined;

  static {
    bodyFailed = (group, error) => {
      group.#failed(error);
    };
  }

  /**
   * @param opts `signal`: aborting it cancels the group (children's signal aborts with its reason);
   *   `timeout`: cancels the group with a `TimeoutError` after that many milliseconds.
   * @throws {TypeError | RangeError} for bad options.
   */
  constructor(opts?: TaskGroupOptions) {
    checkWaitOptions(opts);
    this.#scope = new Deadline(opts, 'TaskGroup');
    this.#signal = this.#scope.signal;
  }

  /** The signal every child receives: aborted once the group is failing or cancelled from outside. */
  get signal(): AbortSignal {
    return this.#scope.signal;
  }

  /** The number of children still running. */
  get size(): number {
    return this.#running;
  }

  /**
   * Starts `fn(signal)` now as a child of the group and returns its {@link Task}. `fn` may
   * return a value or a promise; a synchronous throw is the task's rejection.
   *
   * @throws {InvalidStateError} at once, without calling `fn`, when the group is failing or
   *   cancelled ("Cannot spawn into a TaskGroup that is shutting down", with the abort reason as
   *   `cause`) or has finished ("Cannot spawn into a TaskGroup that has finished").
   * @throws {TypeError} when `fn` is not a function.
   */
  spawn<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>): Task<T> {
    checkFunction('fn', fn);
    if (this.#closed !== undefined && this.#running === 0) throw new InvalidStateError('Cannot spawn into a TaskGroup that has finished');
    const signal = this.#signal;
    if (signal.aborted) throw new InvalidStateError('Cannot spawn into a TaskGroup that is shutting down', { cause: signal.reason });
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(fn(signal));
    } catch (error) {
      promise = rejected(error);
    }
    const task = new Task(promise);
    this.#running++;
    promise.then(
      (value) => {
        settleTask(task, 'fulfilled', value, false);
        this.#settled();
      },
      (error: unknown) => {
        const cancelled = this.#isCancellation(error);
        settleTask(task, 'rejected', error, cancelled);
        if (!cancelled) this.#failed(error);
        this.#settled();
      },
    );
    return task;
  }

  /**
   * Waits for every child (children spawned meanwhile included), then rejects with a
   * `TaskGroupError` if any failed, or with the cancellation reason if the group was cancelled
   * from outside. Idempotent: later calls return the same promise. After it, the group has
   * finished and `spawn` throws.
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    if (this.#running > 0) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    this.#scope.dispose();
    const { signal } = this.#scope;
    if (this.#errors.length > 0) {
      const count = this.#errors.length;
      const first = describeError(this.#errors[0]);
      const message = count === 1 ? `TaskGroup failed: ${first}` : `TaskGroup failed with ${count} errors, the first: ${first}`;
      throw new TaskGroupError([...this.#errors], message, this.#failing ? undefined : { cause: signal.reason });
    }
    if (signal.aborted) throw signal.reason;
  }

  #settled(): void {
    this.#running--;
    if (this.#running === 0 && this.#wake !== undefined) this.#wake();
  }

  #failed(error: unknown): void {
    if (this.#isCancellation(error)) return;
    if (this.#errors.includes(error)) return; // the body rethrowing a child's error: one failure, reported once
    this.#errors.push(error);
    if (this.#scope.signal.aborted) return;
    this.#failing = true;
    this.#scope.abort(new CancelledError('TaskGroup is shutting down because a task failed', { cause: error }));
  }

  #isCancellation(error: unknown): boolean {
    const { signal } = this.#scope;
    if (!signal.aborted) return false;
    const reason: unknown = signal.reason;
    return error === reason || (error instanceof Error && error.name === 'AbortError' && error.cause === reason);
  }
}

/**
 * Runs `body(group)` in a new {@link TaskGroup} and waits for the body and every child; resolves
 * with the body's value when all succeeded.
 *
 * - The first failure of a child or of the body aborts `group.signal`, which every child and
 *   the body see; once all have finished, the call rejects with a `TaskGroupError` holding
 *   every failure (the cancellations the group caused left out; errors thrown during cleanup
 *   kept; a body rethrowing a child's error counted once).
 * - `signal` already aborted: rejects at once with `signal.reason`; the body never runs.
 *   Aborted later: the children's signal aborts with the same reason, and once all have
 *   finished the call rejects with it. `timeout` does the same with a `TimeoutError`
 *   (`TaskGroup timed out after N milliseconds`).
 * - The call never settles while a child is still running: a child that ignores its signal
 *   keeps the group waiting, as structured concurrency requires.
 *
 * @throws {TypeError | RangeError} synchronously, for a bad `body` or bad options.
 * @example
 * ```ts
 * import { taskGroup } from 'loom';
 * const [a, b] = await taskGroup(async (group) => {
 *   const first = group.spawn((signal) => fetch('https://example.com/a', { signal }));
 *   const second = group.spawn((signal) => fetch('https://example.com/b', { signal }));
 *   return [await first, await second];
 * });
 * ```
 */
export function taskGroup<T>(body: (group: TaskGroup) => T | PromiseLike<T>, opts?: TaskGroupOptions): Promise<T> {
  checkFunction('body', body);
  const group = new TaskGroup(opts);
  // Born aborted (signal already aborted, or timeout 0), the group holds no listener or timer.
  return group.signal.aborted ? rejected(group.signal.reason) : runBody(group, body);
}

async function runBody<T>(group: TaskGroup, body: (group: TaskGroup) => T | PromiseLike<T>): Promise<T> {
  let outcome: { value: T } | undefined;
  try {
    outcome = { value: await body(group) };
  } catch (error) {
    bodyFailed(group, error);
  }
  await group[Symbol.asyncDispose]();
  // Set: a body that threw left the group failing or cancelled, so the dispose above rejected.
  return outcome!.value;
}

/** `Error: boom` for an error, the value itself otherwise: enough to tell failures apart in a log. */
function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
