/**
 * The FIFO store: a growable ring buffer (a deque, like the `collections.deque` under Python's
 * `queue.Queue`). `Array.prototype.shift` was rejected: it moves every remaining element (or
 * makes V8 left-trim the backing store) on each take, which is what a bounded queue does a
 * million times a second. The capacity is a power of two so that wrapping is a bit mask; it
 * doubles when full and halves when a quarter full (never below {@link MIN_CAPACITY}), so a
 * burst does not pin its peak memory for the life of the queue. Taken slots are cleared so
 * the buffer never keeps a consumed item alive.
 *
 * @module
 */

import type { Store } from './store.js';

/** The smallest capacity, and the one a new or cleared buffer starts with. A power of two. */
const MIN_CAPACITY = 16;

/** A FIFO of items with O(1) add and take at the two ends. */
export class RingBuffer<T> implements Store<T> {
  /** Length is a power of two >= MIN_CAPACITY; slots outside the live range hold `undefined`. */
  #slots: (T | undefined)[] = emptySlots(MIN_CAPACITY);
  /** Index of the oldest item; always < `#slots.length`. */
  #head = 0;
  /** Live items, at `#head`, `#head + 1`, ... (mod the capacity). Always <= `#slots.length`. */
  #size = 0;
  /**
   * How many items at the front were put back ({@link putBack}), in hand-out order. Always
   * <= `#size`. Getters woken in one tick resume in the order they were woken, so returned
   * items arrive in hand-out order too, and each goes behind the ones returned before it.
   */
  #returned = 0;

  get size(): number {
    return this.#size;
  }

  add(item: T): void {
    if (this.#size === this.#slots.length) this.#resize(this.#slots.length * 2);
    const slots = this.#slots;
    slots[(this.#head + this.#size) & (slots.length - 1)] = item;
    this.#size++;
  }

  take(): T {
    const slots = this.#slots;
    const head = this.#head;
    // `as`: callers only take from a non-empty store, so the head slot is live (its item may itself be undefined).
    const item = slots[head] as T;
    slots[head] = undefined;
    this.#head = (head + 1) & (slots.length - 1);
    this.#size--;
    if (this.#returned > 0) this.#returned--;
    if (slots.length > MIN_CAPACITY && this.#size <= slots.length >>> 2) this.#resize(slots.length >>> 1);
    return item;
  }

  putBack(item: T): void {
    if (this.#size === this.#slots.length) this.#resize(this.#slots.length * 2);
    const slots = this.#slots;
    const mask = slots.length - 1;
    this.#head = (this.#head - 1) & mask;
    // The items returned earlier move one slot towards the head, opening the slot behind them.
    let at = this.#head;
    for (let i = 0; i < this.#returned; i++) {
      const next = (at + 1) & mask;
      slots[at] = slots[next];
      at = next;
    }
    slots[at] = item;
    this.#size++;
    this.#returned++;
  }

  clear(): void {
    this.#slots = emptySlots(MIN_CAPACITY);
    this.#head = 0;
    this.#size = 0;
    this.#returned = 0;
  }

  /** Moves the live items, in order, to the start of a fresh array of `capacity` slots. */
  #resize(capacity: number): void {
    const slots = emptySlots<T>(capacity);
    const old = this.#slots;
    const mask = old.length - 1;
    for (let i = 0; i < this.#size; i++) slots[i] = old[(this.#head + i) & mask];
    this.#slots = slots;
    this.#head = 0;
  }
}

/** A packed array of `undefined` (`fill` keeps V8's fast elements kind, unlike a holey `new Array(n)`). */
function emptySlots<T>(capacity: number): (T | undefined)[] {
  return new Array<T | undefined>(capacity).fill(undefined);
}
