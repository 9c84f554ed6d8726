/**
 * The putters blocked on a full queue, with their items. They park on the one fair
 * `WaitQueue` (FIFO, abort and timeout handled there); this class keeps each one's item beside
 * it, in the same order, so that the take that frees a slot can insert the oldest putter's
 * item itself, at once, the way a Go channel admits a blocked sender.
 *
 * The items sit in an insertion-ordered `Set` of entries: O(1) removal when a putter gives up
 * (a ring buffer with tombstones would need compaction, the pile-up trio's parking lot and
 * our `WaitQueue` avoid), and O(1) access to the oldest. An entry leaves the set in the same
 * synchronous abort dispatch in which its waiter leaves the `WaitQueue`, so between any two
 * statements of the queue the two hold the same putters in the same order.
 *
 * `park` is async on both paths so that an admitted putter resumes after the code that
 * admitted it has gone on (its `await queue.get()` returns first), which is asyncio's order,
 * where a `get` that finds an item does not yield: the seed's "Consumer got 1" before
 * "Producer put 2". The item itself is in the queue from the admission on either way.
 *
 * No `passOn`: a putter's work is done when it is admitted (its item is in the queue), so an
 * abort that lands after the admission but before the putter resumes loses, and the put
 * resolves, exactly as if the abort had come after the `await`.
 *
 * @module
 */

import { Deadline, isForever, type WaitOptions } from '../core/deadline.js';
import { WaitQueue } from '../core/wait-queue.js';

/** A parked putter's item; the object's identity keys the entry, since items may repeat. */
interface Entry<T> {
  readonly item: T;
}

/** A FIFO of parked putters and their items. */
export class ParkedPuts<T> {
  /** Same length and order as `#entries` (see the module comment). */
  readonly #waiters = new WaitQueue<void>();
  readonly #entries = new Set<Entry<T>>();

  /** The number of putters parked now. */
  get size(): number {
    return this.#waiters.size;
  }

  /**
   * Parks a putter with `item` until {@link admitOldest} takes the item (resolves) or it gives
   * up: abort or timeout per `opts` (rejects; the item is forgotten) or {@link rejectAll}.
   *
   * @param what names the operation in a timeout message (`Queue.put`).
   */
  async park(item: T, opts: WaitOptions | undefined, what: string): Promise<void> {
    if (isForever(opts)) {
      this.#entries.add({ item });
      await this.#waiters.park(undefined, what);
    } else {
      await this.#parkCancellable(item, opts, what);
    }
  }

  /** Removes the oldest putter's item and resolves its put. Only called when `size > 0`. */
  admitOldest(): T {
    // `as`: the set mirrors `#waiters`, which is not empty.
    const entry = this.#entries.values().next().value as Entry<T>;
    this.#entries.delete(entry);
    this.#waiters.wakeOne(undefined);
    return entry.item;
  }

  /** Rejects every parked putter, each with its own error; their items are forgotten. */
  rejectAll(makeError: () => unknown): void {
    this.#entries.clear();
    this.#waiters.rejectAll(makeError);
  }

  async #parkCancellable(item: T, opts: WaitOptions | undefined, what: string): Promise<void> {
    const deadline = new Deadline(opts, what);
    try {
      const { signal } = deadline;
      if (signal.aborted) throw signal.reason;
      const entry: Entry<T> = { item };
      this.#entries.add(entry);
      // Added before `park` adds its own listener to the same signal, so the entry leaves in
      // the dispatch that unlinks the waiter. It goes away with the deadline's signal, which
      // nothing references once this call returns.
      signal.addEventListener('abort', () => this.#entries.delete(entry), { once: true });
      await this.#waiters.park({ signal }, what);
    } finally {
      deadline.dispose();
    }
  }
}
