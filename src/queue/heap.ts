/**
 * The priority store: a binary min-heap, like the `heapq` under Python's `queue.PriorityQueue`,
 * with two differences.
 *
 * - It is stable: items that compare equal come out in the order they were put, so a
 *   priority queue degrades to a FIFO instead of an arbitrary order (Python's documentation
 *   asks callers to add a counter to their tuples for this). Each item carries a sequence
 *   number in a parallel array, which costs no allocation per item. Returned items (see
 *   `Store.putBack`) draw from a second counter below every normal one, so they precede their
 *   equals, in the order they were returned.
 * - It is exception-safe: every comparison a sift needs is made before anything moves, so a
 *   comparator that throws leaves the heap exactly as it was and the error reaches the caller.
 *
 * A sorted array with binary-search insertion (p-queue's choice) was rejected: O(n) inserts.
 *
 * @module
 */

import type { Store } from './store.js';

/** Orders two items: negative when `a` comes out first, positive when `b` does, 0 when equal. */
export type Comparator<T> = (a: T, b: T) => number;

/**
 * A heap of items, smallest first by a comparator, ties in insertion order. Every index read
 * below is < `#items.length`, so each `as T` / `as number` only drops the `undefined` that
 * `noUncheckedIndexedAccess` adds (an item may itself be undefined; that is fine).
 */
export class Heap<T> implements Store<T> {
  readonly #compare: Comparator<T>;
  /** Heap-ordered: no item precedes its parent at `(i - 1) >> 1`. */
  #items: T[] = [];
  /** `#seqs[i]` is the sequence number of `#items[i]`; same length. */
  #seqs: number[] = [];
  #nextSeq = 0;
  /** Below every `#nextSeq` value, so returned items win ties. */
  #nextReturnSeq = Number.MIN_SAFE_INTEGER;
  /** Scratch for {@link take}: the child indexes a sift-down walks. Reused to avoid allocation. */
  readonly #path: number[] = [];

  constructor(compare: Comparator<T>) {
    this.#compare = compare;
  }

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    this.#insert(item, this.#nextSeq++);
  }

  putBack(item: T): void {
    this.#insert(item, this.#nextReturnSeq++);
  }

  take(): T {
    const items = this.#items;
    const seqs = this.#seqs;
    const last = items.length - 1;
    // `as`: callers only take from a non-empty store (the item may itself be undefined).
    const top = items[0] as T;
    const item = items[last] as T;
    const seq = seqs[last] as number;
    // Walk down from the root with `item` as the candidate, comparing only: no writes yet.
    const path = this.#path;
    path.length = 0;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && this.#precedes(right, left) ? right : left;
      if (!this.#precedesItem(child, item, seq)) break;
      path.push(child);
      i = child;
    }
    let hole = 0;
    for (const child of path) {
      items[hole] = items[child] as T;
      seqs[hole] = seqs[child] as number;
      hole = child;
    }
    items[hole] = item;
    seqs[hole] = seq;
    items.pop();
    seqs.pop();
    return top;
  }

  clear(): void {
    this.#items = [];
    this.#seqs = [];
  }

  #insert(item: T, seq: number): void {
    const items = this.#items;
    const seqs = this.#seqs;
    const end = items.length;
    // Find how far up the new item rises before moving anything.
    let target = end;
    while (target > 0) {
      const parent = (target - 1) >> 1;
      if (!this.#itemPrecedes(item, seq, parent)) break;
      target = parent;
    }
    items.push(item);
    seqs.push(seq);
    let hole = end;
    while (hole > target) {
      const parent = (hole - 1) >> 1;
      items[hole] = items[parent] as T;
      seqs[hole] = seqs[parent] as number;
      hole = parent;
    }
    items[hole] = item;
    seqs[hole] = seq;
  }

  /** True when the item at index `i` comes out before the one at `j`. */
  #precedes(i: number, j: number): boolean {
    const order = this.#compare(this.#items[i] as T, this.#items[j] as T);
    return order < 0 || (order === 0 && (this.#seqs[i] as number) < (this.#seqs[j] as number));
  }

  /** True when the item at index `i` comes out before `item` (with sequence `seq`). */
  #precedesItem(i: number, item: T, seq: number): boolean {
    const order = this.#compare(this.#items[i] as T, item);
    return order < 0 || (order === 0 && (this.#seqs[i] as number) < seq);
  }

  /** True when `item` (with sequence `seq`) comes out before the item at index `i`. */
  #itemPrecedes(item: T, seq: number, i: number): boolean {
    const order = this.#compare(item, this.#items[i] as T);
    return order < 0 || (order === 0 && seq < (this.#seqs[i] as number));
  }
}
