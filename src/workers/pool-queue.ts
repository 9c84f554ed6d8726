/**
 * The pool's FIFO of tasks waiting for a thread.
 *
 * An array with a moving head: `push` and `shift` are O(1) amortised, and a task that leaves
 * early (aborted, or its future cancelled) is only marked `done` and skipped when it reaches
 * the head, so removal is O(1) too. `size` counts live tasks only, which is what `maxQueue`
 * and backpressure need. Rejected: a linked list (a node per task on the hottest path).
 *
 * @module
 */

import type { PoolTask } from './pool-task.js';

/**
 * The FIFO of tasks waiting for a thread (internal).
 *
 * @example
 * ```ts
 * const queue = new PoolQueue();
 * queue.push(task);
 * const next = queue.shift();
 * ```
 */
export class PoolQueue {
  #items: PoolTask[] = [];
  /** Index of the oldest entry not yet shifted; entries before it are garbage awaiting compaction. */
  #head = 0;
  /** Entries at or after `#head` whose task is still `queued`. */
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(task: PoolTask): void {
    this.#items.push(task);
    this.#size++;
  }

  /** The oldest queued task, removed; `undefined` when none is left. */
  shift(): PoolTask | undefined {
    while (this.#head < this.#items.length) {
      const task = this.#items[this.#head++] as PoolTask; // #head < length
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      if (task.state !== 'queued') continue;
      this.#size--;
      return task;
    }
    return undefined;
  }

  /** Accounts for a queued task that left early; the caller has already marked it `done`. */
  removed(): void {
    this.#size--;
  }

  /** Empties the queue, returning the tasks still queued in order. */
  drain(): PoolTask[] {
    const live = this.#items.slice(this.#head).filter((task) => task.state === 'queued');
    this.#items = [];
    this.#head = 0;
    this.#size = 0;
    return live;
  }
}
