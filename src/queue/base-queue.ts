/**
 * Everything `Queue`, `LifoQueue` and `PriorityQueue` share: bounded waiting, closing, task
 * counting and iteration. Only the order of items differs, and that lives in a `Store`.
 * Semantics follow Python's `queue.Queue` and `asyncio.Queue` (3.13, with `shutdown`), with
 * strict FIFO service instead of asyncio's wake-and-retry:
 *
 * - A getter parked on an empty queue is HANDED the next item by the put that brings it (the
 *   item never enters the store), so nobody can barge in between. Invariant: getters are
 *   parked only while the store is empty.
 * - A putter parked on a full queue is admitted by the take that frees its slot, and its item
 *   enters the store right then, inside that take (as a Go channel admits a blocked sender;
 *   see `parked-puts.ts`). Invariant: putters are parked only while the store is full. A
 *   putter aborted after its admission, before it resumes, has already completed: its put
 *   resolves, as if the abort had come after its `await`; one aborted before the admission
 *   leaves the line and the take admits the next putter instead.
 * - A getter woken and aborted in the same tick returns its item through `passOn`: to the
 *   next parked getter, else to the front of the store (behind items returned before it), so
 *   nothing is lost, duplicated or reordered. Such an item may briefly make `size` exceed
 *   `maxsize`: it was accepted once and is never refused.
 *
 * Rejected: admitting a putter with a reserved slot and letting it insert when it resumes
 * (asyncio's order of events). Its item then enters the store microtasks later, putters whose
 * waits took different paths (with or without a signal) resume in another order than they
 * were admitted, so items could overtake each other, and `full()` would disagree with `size`
 * while a slot is reserved.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import { QueueClosed, QueueEmpty, QueueFull } from '../core/errors.js';
import { checkInteger, checkOptions, checkWaitOptions, expectation } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { ParkedPuts } from './parked-puts.js';
import type { Store } from './store.js';
import { TaskCounter } from './task-counter.js';

/** Options of every queue's constructor. */
export interface QueueOptions {
  /** The most items the queue holds; `put` waits while it is full. An integer >= 0; 0 (the default) means unbounded. */
  readonly maxsize?: number | undefined;
}

/** Options of `close`. */
export interface CloseOptions {
  /**
   * Also drop the items still queued, counting each as done for `join()` (Python 3.13's
   * `shutdown(immediate=True)`). Default `false`: `get` still returns them.
   */
  readonly immediate?: boolean | undefined;
}

/** Returned by every put that completes at once: a settled promise carries no state to leak. */
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Validates a waiting call's options and returns the rejection that an already-aborted
 * signal gets at once, before anything else is looked at (the first abort phase); otherwise
 * `undefined`. Without options there is nothing to check and nothing allocated.
 */
function abortedAtOnce(opts: WaitOptions | undefined): Promise<never> | undefined {
  if (opts === undefined) return undefined;
  checkWaitOptions(opts);
  // `as`: the reason goes on exactly as the caller gave it; the cast only satisfies the
  // prefer-promise-reject-errors lint, which cannot know what callers abort with.
  return opts.signal?.aborted ? Promise.reject(opts.signal.reason as Error) : undefined;
}

/** The common implementation of `Queue`, `LifoQueue` and `PriorityQueue`. */
export abstract class BaseQueue<T> implements AsyncIterable<T>, Disposable {
  readonly #store: Store<T>;
  /** An integer >= 0; 0 means unbounded. */
  readonly #maxsize: number;
  /** The class name, for messages (`LifoQueue.get timed out after 5 milliseconds`). */
  readonly #name: string;
  readonly #getWhat: string;
  readonly #putWhat: string;
  readonly #joinWhat: string;
  /** Parked only while the store is empty; each is woken with its item. */
  readonly #getters = new WaitQueue<T>();
  /** Parked only while the store is full. */
  readonly #putters = new ParkedPuts<T>();
  readonly #tasks = new TaskCounter();
  #closed = false;
  /** Set by `close({ immediate: true })`: items returned after it are dropped too. Implies `#closed`. */
  #dropping = false;

  protected constructor(store: Store<T>, options: QueueOptions | undefined) {
    checkOptions('options', options);
    const maxsize = options?.maxsize ?? 0;
    checkInteger('maxsize', maxsize, 0);
    this.#store = store;
    this.#maxsize = maxsize;
    this.#name = new.target.name;
    this.#getWhat = `${this.#name}.get`;
    this.#putWhat = `${this.#name}.put`;
    this.#joinWhat = `${this.#name}.join`;
  }

  /** The number of items queued now. Like Python's `qsize()`. */
  get size(): number {
    return this.#store.size;
  }

  /** The bound given at construction; 0 means unbounded. */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True when no item is queued. */
  empty(): boolean {
    return this.#store.size === 0;
  }

  /** True when `size >= maxsize` on a bounded queue (a `putNowait()` now would throw `QueueFull`). Never true when unbounded. */
  full(): boolean {
    return this.#maxsize !== 0 && this.#store.size >= this.#maxsize;
  }

  /**
   * Adds `item`, waiting while the queue is full (backpressure); resolves once the item is
   * queued or handed to a waiting getter. Putters are served in call order.
   *
   * Rejects with `QueueClosed` (`Cannot put to a closed Queue`) once the queue is closed, and
   * when it closes while this put waits: the item is then never inserted. An already-aborted
   * `signal` rejects at once with its reason, even if there is room; an abort while waiting
   * rejects with `signal.reason` and inserts nothing; `timeout` (ms) rejects with a
   * `TimeoutError` (`Queue.put timed out after N milliseconds`).
   *
   * @throws TypeError/RangeError synchronously on malformed options.
   * @example
   * ```ts
   * import { Queue } from 'loom/queue';
   * const queue = new Queue<string>({ maxsize: 1 });
   * await queue.put('a');
   * await queue.put('b', { timeout: 100 }).catch(() => 'still full after 100 ms');
   * ```
   */
  put(item: T, opts?: WaitOptions): Promise<void> {
    const aborted = abortedAtOnce(opts);
    if (aborted !== undefined) return aborted;
    if (this.#closed) return Promise.reject(this.#closedToPut());
    if (this.#maxsize === 0 || this.#store.size < this.#maxsize) {
      this.#accept(item);
      return RESOLVED;
    }
    return this.#putters.park(item, opts, this.#putWhat);
  }

  /**
   * Adds `item` if there is room now; never waits.
   *
   * @throws QueueFull (`Cannot put to a full Queue (maxsize 3)`) when the queue is full.
   * @throws QueueClosed (`Cannot put to a closed Queue`) once the queue is closed.
   * @example
   * ```ts
   * import { Queue, QueueFull } from 'loom/queue';
   * const queue = new Queue<number>({ maxsize: 1 });
   * queue.putNowait(1);
   * try { queue.putNowait(2); } catch (error) { if (!(error instanceof QueueFull)) throw error; }
   * ```
   */
  putNowait(item: T): void {
    if (this.#closed) throw this.#closedToPut();
    if (this.#maxsize !== 0 && this.#store.size >= this.#maxsize) {
      throw new QueueFull(`Cannot put to a full ${this.#name} (maxsize ${this.#maxsize})`);
    }
    this.#accept(item);
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty. Getters are served
   * in call order, each handed its own item.
   *
   * After `close()`, returns the items still queued, then rejects with `QueueClosed`
   * (`Cannot get from a closed, empty Queue`), as do getters waiting when it closes. An
   * already-aborted `signal` rejects at once with its reason, even if an item is queued; an
   * abort while waiting rejects with `signal.reason` and takes nothing (an item already on
   * its way goes back to the front); `timeout` (ms) rejects with a `TimeoutError`.
   *
   * @throws TypeError/RangeError synchronously on malformed options.
   * @example
   * ```ts
   * import { Queue } from 'loom/queue';
   * const queue = new Queue<string>();
   * setTimeout(() => queue.putNowait('job'), 10);
   * const job = await queue.get({ timeout: 1000 });
   * ```
   */
  get(opts?: WaitOptions): Promise<T> {
    const aborted = abortedAtOnce(opts);
    if (aborted !== undefined) return aborted;
    if (this.#store.size > 0) {
      try {
        return Promise.resolve(this.#take());
      } catch (error) {
        // A PriorityQueue comparator threw (the store is unchanged); its error passes through as thrown.
        return Promise.reject(error);
      }
    }
    if (this.#closed) return Promise.reject(this.#closedToGet());
    return this.#getters.park(opts, this.#getWhat, this.#returnItem);
  }

  /**
   * Removes and returns the next item if there is one now; never waits.
   *
   * @throws QueueEmpty (`Cannot get from an empty Queue`) when nothing is queued.
   * @throws QueueClosed (`Cannot get from a closed, empty Queue`) when nothing is queued and the queue is closed.
   * @example
   * ```ts
   * import { Queue } from 'loom/queue';
   * const queue = new Queue<number>();
   * queue.putNowait(7);
   * const seven = queue.getNowait();
   * ```
   */
  getNowait(): T {
    if (this.#store.size > 0) return this.#take();
    if (this.#closed) throw this.#closedToGet();
    throw new QueueEmpty(`Cannot get from an empty ${this.#name}`);
  }

  /**
   * Marks one item taken from the queue as processed, like Python's `queue.Queue.task_done`;
   * when every item put so far is marked (or was dropped by an immediate close), `join()`
   * waiters resume. Also valid after `close()`: items already taken still need it.
   *
   * @throws InvalidStateError (`Queue.taskDone() called more times than items were put`). Not
   *   Python's `ValueError` (our `RangeError`): no argument is wrong, the queue's state is.
   * @example
   * ```ts
   * import { Queue } from 'loom/queue';
   * const queue = new Queue<string>();
   * await queue.put('work');
   * const item = await queue.get();
   * queue.taskDone(); // after processing `item`
   * ```
   */
  taskDone(): void {
    this.#tasks.done(this.#name);
  }

  /**
   * Waits until every item put so far has been taken and marked with `taskDone()`, like
   * Python's `queue.Queue.join`; resolves at once when nothing is unfinished. Closing alone
   * does not end the wait; an immediate close counts the dropped items as done. An
   * already-aborted `signal` rejects at once with its reason; an abort while waiting rejects
   * with `signal.reason`; `timeout` (ms) rejects with a `TimeoutError` (`Queue.join timed out
   * after N milliseconds`).
   *
   * @throws TypeError/RangeError synchronously on malformed options.
   * @example
   * ```ts
   * import { Queue } from 'loom/queue';
   * const queue = new Queue<number>();
   * void (async () => {
   *   for await (const n of queue) console.log(n); // marks each item done
   * })();
   * await queue.put(1);
   * await queue.join(); // 1 was taken and processed
   * ```
   */
  join(opts?: WaitOptions): Promise<void> {
    const aborted = abortedAtOnce(opts);
    if (aborted !== undefined) return aborted;
    return this.#tasks.join(opts, this.#joinWhat);
  }

  /**
   * Closes the queue, like Python 3.13's `Queue.shutdown`: later puts fail with `QueueClosed`,
   * and so do the putters waiting now (their items are not inserted). `get` returns the items
   * still queued, then fails with `QueueClosed`; getters waiting now fail at once. With
   * `immediate: true` the queued items are dropped and count as done, so `join()` resolves
   * once the items already taken are `taskDone()`d. Idempotent; an immediate close after a
   * plain one still drops what is left.
   *
   * @throws TypeError synchronously on malformed options.
   * @example
   * ```ts
   * import { Queue } from 'loom/queue';
   * const queue = new Queue<string>();
   * queue.putNowait('last');
   * queue.close();
   * await queue.get(); // 'last'; the next get rejects with QueueClosed
   * ```
   */
  close(opts?: CloseOptions): void {
    checkOptions('options', opts);
    const immediate = opts?.immediate ?? false;
    if (typeof immediate !== 'boolean') throw new TypeError(expectation('immediate', 'a boolean', immediate));
    this.#closed = true;
    this.#putters.rejectAll(() => this.#closedToPut());
    if (immediate && !this.#dropping) {
      this.#dropping = true;
      const dropped = this.#store.size;
      this.#store.clear();
      this.#tasks.drop(dropped);
    }
    this.#getters.rejectAll(() => this.#closedToGet());
  }

  /** `close()`, so that `using queue = new Queue()` closes it when the scope ends. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Yields items until the queue is closed and drained, calling `taskDone()` after each
   * item's loop body, also when the body breaks or throws: the seed's `ClosableQueue.__iter__`,
   * with `close()` in place of its sentinel. Several loops may consume one queue.
   *
   * @example
   * ```ts
   * import { Queue } from 'loom/queue';
   * const queue = new Queue<number>({ maxsize: 8 });
   * const consumer = (async () => {
   *   for await (const n of queue) console.log(n * 2);
   * })();
   * for (let n = 0; n < 100; n++) await queue.put(n);
   * queue.close();
   * await consumer;
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueClosed && this.#closed) return;
        throw error;
      }
      try {
        yield item;
      } finally {
        this.taskDone();
      }
    }
  }

  /** Counts `item` in and hands it to the oldest getter, or queues it when none waits. */
  #accept(item: T): void {
    this.#tasks.add();
    if (this.#getters.size === 0 || !this.#getters.wakeOne(item)) this.#store.add(item);
  }

  /** Takes the next item and admits the oldest putter into the slot it frees. */
  #take(): T {
    const item = this.#store.take();
    // No getter is parked (the store was not empty), so the admitted item goes to the store.
    if (this.#putters.size > 0 && this.#store.size < this.#maxsize) this.#accept(this.#putters.admitOldest());
    return item;
  }

  /** `passOn` of getters: an item handed to a getter that aborted before it resumed. */
  readonly #returnItem = (item: T): void => {
    if (this.#getters.wakeOne(item)) return;
    if (this.#dropping) this.#tasks.drop(1);
    else this.#store.putBack(item);
  };

  #closedToPut(): QueueClosed {
    return new QueueClosed(`Cannot put to a closed ${this.#name}`);
  }

  #closedToGet(): QueueClosed {
    return new QueueClosed(`Cannot get from a closed, empty ${this.#name}`);
  }
}
