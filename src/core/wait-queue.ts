/**
 * The one fair wait queue under every primitive (after trio's `_core/_parking_lot.py`).
 *
 * Mutex, Semaphore, Event, Condition, Barrier and the queues' blocked getters and putters all
 * park here, so FIFO fairness and cancellation are solved once:
 *
 * - Waiters are woken strictly in arrival order. A wake-up carries a value (the lock, a permit,
 *   an item) straight to the waiter; nothing can barge in between.
 * - A waiter whose signal aborts while parked leaves the queue at once (O(1), it is a doubly
 *   linked list) and rejects with `signal.reason`; it never holds anything afterwards.
 * - The race every hand-written async queue gets wrong (see CPython's `asyncio/queues.py`): a
 *   waiter can be woken and aborted in the same tick, before its continuation runs. It then owns
 *   a value it no longer wants. `park` checks the signal once more after the wake-up and, if it
 *   aborted, gives the value to the owner's `passOn` (which releases the lock, returns the
 *   permit, puts the item back at the front) before rejecting.
 *
 * Rejected alternatives: an array with lazy deletion (cheaper nodes, but aborted waiters pile
 * up behind a long-parked head), and wake-ups without a value that make the waiter retry
 * (asyncio's way; it lets a newcomer barge in and is not FIFO).
 *
 * @module
 */

import { Deadline, isForever, type WaitOptions } from './deadline.js';

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
  prev: Waiter<T> | undefined;
  next: Waiter<T> | undefined;
  /** True exactly while the node is in the list. */
  linked: boolean;
}

/** A FIFO of parked waiters, each woken with a value of type `T`. */
export class WaitQueue<T> {
  /** Oldest waiter; `undefined` exactly when `#size === 0`. */
  #head: Waiter<T> | undefined;
  /** Newest waiter; `undefined` exactly when `#size === 0`. */
  #tail: Waiter<T> | undefined;
  #size = 0;

  /** The number of parked waiters. */
  get size(): number {
    return this.#size;
  }

  /**
   * Parks the caller until {@link wakeOne}/{@link wakeAll} hands it a value.
   *
   * The caller must already have checked that it cannot proceed without waiting, and must
   * have checked `opts.signal` for the already-aborted phase if it wants that to win over an
   * available resource.
   *
   * @param what names the operation in a timeout message (`Mutex.acquire timed out after 5 milliseconds`).
   * @param passOn receives a value handed to a waiter that aborted before it could resume;
   *   without it, a wake-up wins over a late abort and the value is returned.
   */
  park(opts: WaitOptions | undefined, what: string, passOn?: (value: T) => void): Promise<T> {
    if (isForever(opts)) {
      return new Promise<T>((resolve, reject) => {
        this.#push({ resolve, reject, prev: undefined, next: undefined, linked: false });
      });
    }
    return this.#parkCancellable(opts, what, passOn);
  }

  /** Wakes the oldest waiter with `value`. Returns false (and does nothing) when none is parked. */
  wakeOne(value: T): boolean {
    const waiter = this.#head;
    if (waiter === undefined) return false;
    this.#unlink(waiter);
    waiter.resolve(value);
    return true;
  }

  /** Wakes every waiter parked now with `value`; returns how many. */
  wakeAll(value: T): number {
    let woken = 0;
    while (this.wakeOne(value)) woken++;
    return woken;
  }

  /** Rejects every waiter parked now, each with its own error from `makeError`. */
  rejectAll(makeError: () => unknown): number {
    let rejected = 0;
    for (let waiter = this.#head; waiter !== undefined; waiter = this.#head) {
      this.#unlink(waiter);
      waiter.reject(makeError());
      rejected++;
    }
    return rejected;
  }

  async #parkCancellable(opts: WaitOptions | undefined, what: string, passOn?: (value: T) => void): Promise<T> {
    const deadline = new Deadline(opts, what);
    try {
      const { signal } = deadline;
      if (signal.aborted) throw signal.reason;
      const value = await new Promise<T>((resolve, reject) => {
        const waiter: Waiter<T> = { resolve, reject, prev: undefined, next: undefined, linked: false };
        this.#push(waiter);
        // Removed by deadline.dispose()'s controller going away with it: the listener lives on
        // the deadline's own signal, which nothing else references once this call returns.
        signal.addEventListener(
          'abort',
          () => {
            if (!waiter.linked) return; // already woken: the check after the await decides
            this.#unlink(waiter);
            reject(signal.reason);
          },
          { once: true },
        );
      });
      if (signal.aborted && passOn !== undefined) {
        passOn(value);
        throw signal.reason;
      }
      return value;
    } finally {
      deadline.dispose();
    }
  }

  #push(waiter: Waiter<T>): void {
    waiter.linked = true;
    waiter.prev = this.#tail;
    if (this.#tail === undefined) this.#head = waiter;
    else this.#tail.next = waiter;
    this.#tail = waiter;
    this.#size++;
  }

  #unlink(waiter: Waiter<T>): void {
    if (!waiter.linked) return;
    waiter.linked = false;
    if (waiter.prev === undefined) this.#head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === undefined) this.#tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    this.#size--;
  }
}
