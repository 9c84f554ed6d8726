/**
 * The unfinished-task count behind `taskDone()` and `join()`, like the `unfinished_tasks`
 * counter and `all_tasks_done` condition of Python's `queue.Queue`. `join()` waiters park on
 * the one fair `WaitQueue` and are all woken, with nothing to hand over, when the count
 * reaches zero; a waiter that aborts in the same tick has nothing to pass on.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import { InvalidStateError } from '../core/errors.js';
import { WaitQueue } from '../core/wait-queue.js';

/** Counts items put and not yet marked done; wakes joiners at zero. */
export class TaskCounter {
  /** Items counted in and not yet done. Always >= 0. */
  #unfinished = 0;
  readonly #joiners = new WaitQueue<void>();

  /** Counts one more unfinished item. */
  add(): void {
    this.#unfinished++;
  }

  /**
   * Marks one item done.
   *
   * @param owner names the queue in the error (`LifoQueue`).
   * @throws InvalidStateError when nothing is unfinished.
   */
  done(owner: string): void {
    if (this.#unfinished === 0) throw new InvalidStateError(`${owner}.taskDone() called more times than items were put`);
    if (--this.#unfinished === 0) this.#joiners.wakeAll(undefined);
  }

  /**
   * Marks `count` items done without `done()` calls (items dropped by an immediate close).
   * Never goes below zero: items already marked done early are not counted twice, as in
   * Python's `shutdown(immediate=True)`.
   */
  drop(count: number): void {
    if (count === 0) return;
    this.#unfinished = Math.max(0, this.#unfinished - count);
    if (this.#unfinished === 0) this.#joiners.wakeAll(undefined);
  }

  /** Resolves when nothing is unfinished; `opts` and `what` as in `WaitQueue.park`. */
  join(opts: WaitOptions | undefined, what: string): Promise<void> {
    if (this.#unfinished === 0) return Promise.resolve();
    return this.#joiners.park(opts, what);
  }
}
