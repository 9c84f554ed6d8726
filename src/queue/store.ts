/**
 * The storage strategy behind every queue: `BaseQueue` owns waiting, closing and task
 * counting, and asks a `Store` only to keep items in its order (FIFO ring buffer, LIFO stack,
 * stable binary heap). Like the `_init`/`_put`/`_get` hooks of Python's `queue.Queue`, but as
 * an object passed to the base class rather than methods overridden in a subclass, so the base
 * never calls into a half-built subclass from its constructor.
 *
 * @module
 */

/** Items in the order one queue kind hands them out. */
export interface Store<T> {
  /** The number of items held. */
  readonly size: number;
  /** Adds an item put by a producer. */
  add(item: T): void;
  /** Removes and returns the next item. Only called when `size > 0`. */
  take(): T;
  /**
   * Returns an item that was taken (or handed to a getter) but not used, so that it comes out
   * next: before every item added after it was handed out, and after items returned before it.
   */
  putBack(item: T): void;
  /** Drops every item. */
  clear(): void;
}
