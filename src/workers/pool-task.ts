/**
 * One task of a `WorkerPool`, from `run`/`submit`/`map` until it settles.
 *
 * A task is `queued` (in the pool's queue), `running` (posted to a worker, which has not
 * answered), or `done` (settled). It settles exactly once: the first of its result, its
 * failure, its abort or the pool's end wins, and later ones are ignored. An aborted running
 * task is `done` for its caller at once, but stays in its worker's in-flight map (so it keeps
 * its slot) until the worker reports it or is terminated.
 *
 * @module
 */

import type { TransferListItem } from 'node:worker_threads';
import type { Deadline } from '../core/deadline.js';
import type { Future } from '../tasks/future.js';
import { TASK_BATCH, TASK_CANCELLABLE } from './protocol.js';

/** Where a task is in its life; see the module header. */
export type TaskState = 'queued' | 'running' | 'done';

/**
 * One task from submission until it settles (internal); settles exactly once.
 *
 * @example
 * ```ts
 * const task = new PoolTask(1, 'add', [1, 2], false, undefined, undefined, console.log, console.error, undefined);
 * task.resolve(3);
 * ```
 */
export class PoolTask {
  state: TaskState = 'queued';
  /** Set while `running` (and for an aborted task until its worker lets go of it). */
  graceTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly args: readonly unknown[],
    readonly batch: boolean,
    /** The cancellation scope of a task with a signal or timeout; `undefined` for the others. */
    readonly deadline: Deadline | undefined,
    readonly transfer: readonly TransferListItem[] | undefined,
    /** Settles the caller's promise or future with the result. */
    readonly onResult: (value: unknown) => void,
    /** Settles the caller's promise or future with the failure. */
    readonly onError: (error: unknown) => void,
    /** The future `submit` returned, whose cancellation the pool checks before posting the task. */
    readonly future: Future<unknown> | undefined,
  ) {}

  /** The task's flags in a `RunMessage`. */
  get flags(): number {
    return (this.batch ? TASK_BATCH : 0) | (this.deadline === undefined ? 0 : TASK_CANCELLABLE);
  }

  resolve(value: unknown): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.deadline?.dispose();
    this.onResult(value);
  }

  reject(error: unknown): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.deadline?.dispose();
    this.onError(error);
  }
}
