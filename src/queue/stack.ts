/**
 * The LIFO store: an array used as a stack, like Python's `queue.LifoQueue` (`list.append` /
 * `list.pop`). Both ends of the work happen at the array's tail, which V8 does in O(1)
 * amortized without moving anything.
 *
 * @module
 */

import type { Store } from './store.js';

/** Items handed out newest first. */
export class Stack<T> implements Store<T> {
  /** Bottom (oldest) to top (next out). */
  #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    this.#items.push(item);
  }

  take(): T {
    // `as`: callers only take from a non-empty store, so `pop` finds an item (which may itself be undefined).
    return this.#items.pop() as T;
  }

  /** The top of a stack is its front: a returned item is the next one out. */
  putBack(item: T): void {
    this.#items.push(item);
  }

  clear(): void {
    this.#items = [];
  }
}
