/**
 * `LifoQueue`: the last-in, first-out queue, like Python's `queue.LifoQueue`, on an array
 * stack. Everything but the order is `BaseQueue`'s.
 *
 * @module
 */

import { BaseQueue, type QueueOptions } from './base-queue.js';
import { Stack } from './stack.js';

/**
 * A LIFO queue (a stack): `get` returns the most recently added item. Bounded, closable,
 * with `taskDone()`/`join()` and `for await`, exactly like {@link Queue}. An item handed to
 * a getter that gave up goes back on top.
 *
 * @example
 * ```ts
 * import { LifoQueue } from 'loom/queue';
 * const pages = new LifoQueue<string>();
 * pages.putNowait('/');
 * pages.putNowait('/about');
 * pages.getNowait(); // '/about'
 * ```
 */
export class LifoQueue<T> extends BaseQueue<T> {
  /**
   * @param options `maxsize`: the most items held, an integer >= 0 (default 0: unbounded).
   * @throws TypeError/RangeError synchronously on a bad `maxsize` or options.
   */
  constructor(options?: QueueOptions) {
    super(new Stack<T>(), options);
  }
}
