/**
 * `SharedSemaphore`: a counting semaphore in a `SharedArrayBuffer`, like Python's
 * `threading.Semaphore` for worker threads.
 *
 * Two words: the permits available and the number of parked waiters. Acquiring is a
 * compare-and-swap loop that never lets the count go below zero; a release adds a permit and
 * notifies one parked thread only when some thread announced that it parks. Not FIFO across
 * threads, for the reason `shared-mutex.ts` gives.
 *
 * A worker that dies holding permits never gives them back; as with `SharedMutex`, waiters
 * should use a `timeout` when a holder can die.
 *
 * @module
 */

import { Deadline, isForever, timeoutError, type WaitOptions } from '../core/deadline.js';
import { checkFunction, checkInteger, checkWaitOptions, expectation } from '../core/validate.js';
import { LockHandle, releaseHandle, type HandleOwner, type Lock } from '../sync/lock.js';
import { SEMAPHORE_VALUE, SEMAPHORE_WAITERS, SEMAPHORE_WORDS } from './layout.js';
import {
  adopting,
  assertMayBlock,
  asyncWait,
  blockingWait,
  deadlineAt,
  handleOf,
  takeAdopted,
  viewOf,
  viewOfHandle,
  type SharedHandle,
  type SharedPlacement,
} from './shared-memory.js';

/** What `SharedSemaphore#handle` returns: post it to a worker and call `SharedSemaphore.from(handle)` there. */
export type SharedSemaphoreHandle = SharedHandle<'SharedSemaphore'>;

/**
 * A counting semaphore shared by threads through a `SharedArrayBuffer`: at most `value` holders
 * at a time. Same surface as {@link SharedMutex}, plus `value` and `release()`.
 *
 * @example
 * ```ts
 * import { SharedSemaphore } from 'loom/workers';
 * declare function fetchSomething(): Promise<void>;
 * const slots = new SharedSemaphore(2); // post slots.handle to the workers
 * await slots.runExclusive(async () => fetchSomething(), { timeout: 5000 });
 * ```
 */
export class SharedSemaphore implements HandleOwner {
  /** `[SEMAPHORE_VALUE]` >= 0 always; `[SEMAPHORE_WAITERS]` counts threads inside a wait loop. */
  readonly #words: Int32Array;

  /**
   * @param value the permits available at first: an integer >= 0 (< 2^31).
   * @param placement where to put the two words; a fresh buffer when omitted (a plain `ArrayBuffer` throws `TypeError`).
   */
  constructor(value: number, placement?: SharedPlacement) {
    const adopted = takeAdopted();
    if (adopted !== undefined) {
      this.#words = adopted;
      return;
    }
    checkInteger('value', value, 0);
    if (value > 0x7fffffff) throw new RangeError(expectation('value', 'an integer from 0 to 2147483647', value));
    this.#words = viewOf(placement, SEMAPHORE_WORDS);
    Atomics.store(this.#words, SEMAPHORE_WAITERS, 0);
    Atomics.store(this.#words, SEMAPHORE_VALUE, value);
  }

  /** The semaphore whose `.handle` this is, typically in another thread. @example `const slots = SharedSemaphore.from(handle);` */
  static from(handle: SharedSemaphoreHandle): SharedSemaphore {
    return adopting(viewOfHandle(handle, 'SharedSemaphore', SEMAPHORE_WORDS), () => new SharedSemaphore(0));
  }

  /** Plain data to post to a worker. @example `worker.postMessage(slots.handle)` */
  get handle(): SharedSemaphoreHandle {
    return handleOf('SharedSemaphore', this.#words);
  }

  /** Permits available now (a snapshot). @example `slots.value` */
  get value(): number {
    return Atomics.load(this.#words, SEMAPHORE_VALUE);
  }

  /** Takes a permit if one is available, else returns `undefined`. Never waits. @example `const lock = slots.tryAcquire();` */
  tryAcquire(): Lock | undefined {
    return this.#take() ? new LockHandle(this) : undefined;
  }

  /**
   * Waits for a permit without blocking the thread (`Atomics.waitAsync`). Abort, timeout
   * (`SharedSemaphore.acquire timed out after N milliseconds`) and give-up guarantees as
   * `SharedMutex.acquire`.
   *
   * @example
   * ```ts
   * import { SharedSemaphore } from 'loom/workers';
   * const slots = new SharedSemaphore(2);
   * const signal = AbortSignal.timeout(1000);
   * using _permit = await slots.acquire({ signal });
   * ```
   */
  acquire(opts?: WaitOptions): Promise<Lock> {
    checkWaitOptions(opts);
    if (opts?.signal?.aborted) return Promise.reject(opts.signal.reason as Error);
    if (this.#take()) return Promise.resolve(new LockHandle(this));
    return this.#acquireSlow(opts);
  }

  async #acquireSlow(opts: WaitOptions | undefined): Promise<Lock> {
    const deadline = isForever(opts) ? undefined : new Deadline(opts, 'SharedSemaphore.acquire');
    // Announce before re-checking: see #release for why this order loses no wake-up.
    Atomics.add(this.#words, SEMAPHORE_WAITERS, 1);
    try {
      while (!this.#take()) await asyncWait(this.#words, SEMAPHORE_VALUE, 0, deadline?.signal);
      return new LockHandle(this);
    } finally {
      Atomics.sub(this.#words, SEMAPHORE_WAITERS, 1);
      deadline?.dispose();
    }
  }

  /**
   * Waits for a permit by blocking the thread (`Atomics.wait`); throws `InvalidStateError` on
   * the main thread. Signal and timeout as `SharedMutex.acquireSync`.
   *
   * @example
   * ```ts
   * import { SharedSemaphore, type SharedSemaphoreHandle } from 'loom/workers';
   * declare const handle: SharedSemaphoreHandle; // posted by the main thread
   * using _permit = SharedSemaphore.from(handle).acquireSync({ timeout: 5000 });
   * ```
   */
  acquireSync(opts?: WaitOptions): Lock {
    assertMayBlock('SharedSemaphore.acquireSync');
    checkWaitOptions(opts);
    if (opts?.signal?.aborted) throw opts.signal.reason;
    if (this.#take()) return new LockHandle(this);
    const until = deadlineAt(opts?.timeout);
    Atomics.add(this.#words, SEMAPHORE_WAITERS, 1);
    try {
      while (!this.#take()) {
        if (!blockingWait(this.#words, SEMAPHORE_VALUE, 0, until)) {
          throw timeoutError('SharedSemaphore.acquireSync', opts?.timeout ?? Infinity);
        }
      }
      return new LockHandle(this);
    } finally {
      Atomics.sub(this.#words, SEMAPHORE_WAITERS, 1);
    }
  }

  /**
   * Runs `fn` while holding a permit and gives it back however `fn` ends.
   *
   * @example
   * ```ts
   * import { SharedSemaphore } from 'loom/workers';
   * declare function work(): void;
   * const slots = new SharedSemaphore(2);
   * await slots.runExclusive(() => work(), { timeout: 1000 });
   * ```
   */
  runExclusive<T>(fn: () => T | PromiseLike<T>, opts?: WaitOptions): Promise<T> {
    checkFunction('fn', fn);
    checkWaitOptions(opts);
    return this.#runExclusive(fn, opts);
  }

  async #runExclusive<T>(fn: () => T | PromiseLike<T>, opts: WaitOptions | undefined): Promise<T> {
    using _permit = await this.acquire(opts);
    return await fn();
  }

  /**
   * Adds one permit, whoever took it (like Python's `Semaphore.release`, and unbounded like
   * it). Prefer releasing the `Lock` you were given; this is for signalling between threads.
   *
   * @example
   * ```ts
   * import { SharedSemaphore } from 'loom/workers';
   * const ready = new SharedSemaphore(0); // its handle was posted to a worker
   * ready.release(); // a worker parked in ready.acquireSync() goes on
   * ```
   */
  release(): void {
    // Release ordering: the add is sequentially consistent, so writes before it are visible to
    // whoever takes the permit. Lost wake-ups cannot happen: a waiter increments WAITERS before
    // it re-checks VALUE and parks on VALUE === 0, and we increment VALUE before reading
    // WAITERS. In the single total order of these seq-cst operations, either we see its
    // announcement (and notify), or its re-check/park sees our permit (and does not sleep).
    Atomics.add(this.#words, SEMAPHORE_VALUE, 1);
    // notify(1): one new permit can satisfy one waiter; a waiter that loses the permit to a
    // barging thread re-parks, and the next release wakes the next one.
    if (Atomics.load(this.#words, SEMAPHORE_WAITERS) > 0) Atomics.notify(this.#words, SEMAPHORE_VALUE, 1);
  }

  /** @internal Called once per handle by `LockHandle.release()`. */
  [releaseHandle](): void {
    this.release();
  }

  /** One compare-and-swap attempt loop that takes a permit while there is one. */
  #take(): boolean {
    for (;;) {
      const value = Atomics.load(this.#words, SEMAPHORE_VALUE);
      if (value <= 0) return false;
      // Acquire ordering: a successful compareExchange synchronizes with the add that made the permit.
      if (Atomics.compareExchange(this.#words, SEMAPHORE_VALUE, value, value - 1) === value) return true;
    }
  }
}
