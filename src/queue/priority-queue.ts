/**
 * `PriorityQueue`: smallest first, like Python's `queue.PriorityQueue`, on a stable binary
 * heap (see `heap.ts`). Python orders entries with `<`, which for tuples is lexicographic;
 * JavaScript's `<` on arrays compares their string forms (`[10] < [9]`), so anything but
 * numbers, bigints, strings and Dates needs a `comparator`.
 *
 * @module
 */

import { checkFunction } from '../core/validate.js';
import { BaseQueue, type QueueOptions } from './base-queue.js';
import { Heap, type Comparator } from './heap.js';

/** Options of {@link PriorityQueue}'s constructor. */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders two items: negative when `a` comes out first, positive when `b` does, 0 for a tie
   * (ties come out in the order they were put). Default: ascending by `<` and `>`, right for
   * numbers, bigints, strings (by UTF-16 code units) and Dates. It must not change its answer
   * for the same two items; if it throws, the call that ran it fails with that error and the
   * queue is left as it was.
   */
  readonly comparator?: Comparator<T> | undefined;
}

/** Ascending by the relational operators. */
function ascending(a: unknown, b: unknown): number {
  // `as`: `<` and `>` order numbers, bigints, strings and Dates natively; the documented
  // contract limits the default to those, so the cast only quiets the compiler.
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/**
 * A priority queue: `get` returns the smallest item by `comparator` (default ascending), and
 * items that tie come out in the order they were put. Bounded, closable, with
 * `taskDone()`/`join()` and `for await`, exactly like {@link Queue}.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from 'loom/queue';
 * interface Job { priority: number; name: string }
 * const jobs = new PriorityQueue<Job>({ comparator: (a, b) => a.priority - b.priority });
 * jobs.putNowait({ priority: 2, name: 'backup' });
 * jobs.putNowait({ priority: 1, name: 'page the on-call' });
 * jobs.getNowait().name; // 'page the on-call'
 * ```
 */
export class PriorityQueue<T> extends BaseQueue<T> {
  /**
   * @param options `maxsize` (an integer >= 0, default 0: unbounded) and `comparator`.
   * @throws TypeError/RangeError synchronously on a bad `maxsize`, `comparator` or options.
   */
  constructor(options?: PriorityQueueOptions<T>) {
    const comparator = options?.comparator ?? ascending;
    checkFunction('comparator', comparator);
    super(new Heap<T>(comparator), options);
  }
}
