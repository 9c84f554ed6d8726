/**
 * The bounded buffer in front of each stage: a FIFO of `capacity` items between the workers
 * of one stage (or the source) and the workers of the next, like a Go channel — and, at
 * capacity 0, a rendezvous, where a put waits for a taker.
 *
 * Why not `Queue` (the queue layer): a stage's buffer needs a rendezvous at `buffer: 0`
 * (`Queue`'s `maxsize: 0` means unbounded), a way for the source pump to wait for room
 * *before* it pulls (the memory bound: nothing is pulled that has nowhere to go), and one
 * O(1) teardown that releases every parked party without a signal per wait (the run's
 * cancellation is one flag here; per-wait `AbortSignal` plumbing costs an allocation per park
 * on the hot path). Everything a user can hold is still a `Queue`: the source may be one.
 *
 * States: open → closed (no more puts; takes drain the buffer, then get {@link DONE}) →
 * or at any time → aborted (buffer dropped; every parked party released at once: takers get
 * `DONE`, putters get `false`, the room waiter wakes; later puts return `false`).
 *
 * Invariants: takers are parked only while the buffer is empty; putters only while it is
 * full (`size >= capacity`), and then their items are not in the buffer; at most one room
 * waiter (the source pump, the only putter of the first stage's buffer).
 *
 * @module
 */

/** A take found the channel closed and drained, or aborted. */
export const DONE: unique symbol = Symbol('DONE');
/** A `tryTake` found nothing to take now. */
export const EMPTY: unique symbol = Symbol('EMPTY');

/** A parked putter: its item and how to tell it whether the item was accepted. */
interface Putter<T> {
  readonly item: T;
  readonly resolve: (accepted: boolean) => void;
}

/** A FIFO of parked parties, as an array with a moving head (amortised O(1), no node per wait). */
class Line<W> {
  #items: (W | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(waiter: W): void {
    this.#items.push(waiter);
  }

  shift(): W | undefined {
    if (this.#head === this.#items.length) return undefined;
    const waiter = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    }
    return waiter;
  }
}

/** One stage's input buffer. */
export class Channel<T> {
  readonly capacity: number;
  /** The buffered items, oldest at `#head`; a ring of `capacity` slots (none at capacity 0). */
  readonly #ring: (T | undefined)[];
  #head = 0;
  #size = 0;
  /** The most items ever buffered at once. */
  #peak = 0;
  readonly #takers = new Line<(item: T | typeof DONE) => void>();
  readonly #putters = new Line<Putter<T>>();
  /** Set while the source pump waits for room (see {@link room}). */
  #roomWaiter: (() => void) | undefined;
  #closed = false;
  #aborted = false;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#ring = new Array<T | undefined>(capacity);
  }

  /** Items buffered now. */
  get size(): number {
    return this.#size;
  }

  /** The most items buffered at once so far. */
  get peak(): number {
    return this.#peak;
  }

  /** Takers (idle workers) parked now. */
  get waiting(): number {
    return this.#takers.size;
  }

  /** True when a put now would be accepted without waiting. */
  hasRoom(): boolean {
    return this.#aborted || this.#takers.size > 0 || this.#size < this.capacity;
  }

  /**
   * `undefined` when a put now would be accepted at once (or the channel is aborted); else a
   * promise that resolves once it would be. For the single putter that must not pull an item
   * before it has somewhere to go.
   */
  room(): Promise<void> | undefined {
    if (this.hasRoom()) return undefined;
    return new Promise<void>((resolve) => {
      this.#roomWaiter = resolve;
    });
  }

  /**
   * Offers `item`: `true` when it was accepted now (handed to a parked taker or buffered),
   * `false` when the channel is aborted (the item is dropped), else a promise of the same
   * once a taker frees a slot. Parked putters are admitted in call order.
   */
  put(item: T): boolean | Promise<boolean> {
    if (this.#aborted) return false;
    const taker = this.#takers.shift();
    if (taker !== undefined) {
      taker(item);
      return true;
    }
    if (this.#size < this.capacity) {
      this.#push(item);
      return true;
    }
    return new Promise<boolean>((resolve) => {
      this.#putters.push({ item, resolve });
    });
  }

  /** The next item if one is ready now, {@link DONE} when closed and drained (or aborted), else {@link EMPTY}. */
  tryTake(): T | typeof DONE | typeof EMPTY {
    if (this.#size > 0) {
      const item = this.#ring[this.#head] as T; // size > 0: the slot holds an item
      this.#ring[this.#head] = undefined;
      this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
      this.#size--;
      const putter = this.#putters.shift();
      if (putter !== undefined) {
        this.#push(putter.item);
        putter.resolve(true);
      } else this.#wakeRoom();
      return item;
    }
    const putter = this.#putters.shift(); // capacity 0: a putter waits for this very take
    if (putter !== undefined) {
      putter.resolve(true);
      return putter.item;
    }
    return this.#closed || this.#aborted ? DONE : EMPTY;
  }

  /** Parks for the next item; call only after `tryTake` returned {@link EMPTY}. */
  take(): Promise<T | typeof DONE> {
    const parked = new Promise<T | typeof DONE>((resolve) => {
      this.#takers.push(resolve);
    });
    this.#wakeRoom(); // a parked taker is room for a rendezvous put
    return parked;
  }

  /** No more puts: takers drain what is buffered, then get {@link DONE}. Idempotent. */
  close(): void {
    this.#closed = true;
    for (let taker = this.#takers.shift(); taker !== undefined; taker = this.#takers.shift()) taker(DONE);
  }

  /** Drops every buffered item and releases every parked party at once. Idempotent. */
  abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#ring.fill(undefined);
    this.#size = 0;
    for (let putter = this.#putters.shift(); putter !== undefined; putter = this.#putters.shift()) putter.resolve(false);
    this.close();
    this.#wakeRoom();
  }

  #push(item: T): void {
    let tail = this.#head + this.#size;
    if (tail >= this.capacity) tail -= this.capacity;
    this.#ring[tail] = item;
    if (++this.#size > this.#peak) this.#peak = this.#size;
  }

  #wakeRoom(): void {
    const wake = this.#roomWaiter;
    if (wake === undefined) return;
    this.#roomWaiter = undefined;
    wake();
  }
}
