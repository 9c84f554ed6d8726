/**
 * `SharedMutex`: a lock in a `SharedArrayBuffer` that threads really race for, the seed's item 54
 * `threading.Lock` for worker threads.
 *
 * The algorithm is Drepper's futex mutex ("Futexes Are Tricky", mutex 2): one word that is
 * `UNLOCKED`, `LOCKED` (no one parked) or `CONTENDED` (someone may be parked). The uncontended
 * acquire and release are one atomic instruction each and never call `notify`. Inside workers,
 * `acquireSync` parks in `Atomics.wait`; on any thread, `acquire` parks with `Atomics.waitAsync`
 * and never blocks.
 *
 * Fairness: unlike loom's async `Mutex`, waiters are not served first-in, first-out: a thread
 * that arrives as the lock is released may take it before a woken waiter (like a POSIX mutex or
 * Python's `threading.Lock`). A FIFO ticket lock was rejected: a waiter that times out or is
 * aborted would leave its ticket behind and stall everyone after it.
 *
 * A worker that dies (crash, `process.exit`, `terminate()`) while holding the mutex leaves it
 * locked: JavaScript has no robust futexes, and the memory does not know which thread holds it.
 * Waiters then wait until their `timeout` (a `TimeoutError`) or `signal` ends the wait; an
 * untimed `acquire()` stays pending (it does not keep the process alive). Give waiters a timeout
 * when the holder can die.
 *
 * @module
 */

import { Deadline, isForever, timeoutError, type WaitOptions } from '../core/deadline.js';
import { checkFunction, checkWaitOptions } from '../core/validate.js';
import { LockHandle, releaseHandle, type HandleOwner, type Lock } from '../sync/lock.js';
import { CONTENDED, LOCKED, MUTEX_STATE, MUTEX_WORDS, UNLOCKED } from './layout.js';
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

/** What `SharedMutex#handle` returns: post it to a worker and call `SharedMutex.from(handle)` there. */
export type SharedMutexHandle = SharedHandle<'SharedMutex'>;

/**
 * A mutual-exclusion lock shared by threads through a `SharedArrayBuffer`.
 *
 * `new SharedMutex()` allocates its own 4-byte buffer; `new SharedMutex({ buffer, byteOffset })`
 * places it in yours (a plain `ArrayBuffer` throws `TypeError`). `.handle` is what you post to
 * a worker; `SharedMutex.from(handle)` there is the same lock. A lock handed out by `acquire`
 * is released with `release()` or `using`; releasing twice does nothing.
 *
 * @example
 * ```ts
 * import { SharedMutex, type WorkerPool } from 'loom/workers';
 * declare const pool: WorkerPool; // its task module exports `increment(handle)`
 * const mutex = new SharedMutex();
 * // in the task module: `using _lock = SharedMutex.from(handle).acquireSync();`
 * await pool.run('increment', [mutex.handle]);
 * using _lock = await mutex.acquire({ timeout: 1000 }); // the main thread never blocks
 * ```
 */
export class SharedMutex implements HandleOwner {
  /** The one state word; see `layout.ts` for its values. */
  readonly #state: Int32Array;

  /** Allocates a fresh, unlocked mutex, or places one in `placement.buffer` (whose word it resets to unlocked). */
  constructor(placement?: SharedPlacement) {
    const adopted = takeAdopted();
    if (adopted !== undefined) {
      this.#state = adopted;
      return;
    }
    this.#state = viewOf(placement, MUTEX_WORDS);
    Atomics.store(this.#state, MUTEX_STATE, UNLOCKED);
  }

  /**
   * The mutex whose `.handle` this is, typically in another thread. Its state is left as it is.
   *
   * @example
   * ```ts
   * import { SharedMutex, type SharedMutexHandle } from 'loom/workers';
   * declare const handle: SharedMutexHandle; // posted by the main thread
   * const mutex = SharedMutex.from(handle);
   * ```
   */
  static from(handle: SharedMutexHandle): SharedMutex {
    return adopting(viewOfHandle(handle, 'SharedMutex', MUTEX_WORDS), () => new SharedMutex());
  }

  /** Plain data to post to a worker. @example `worker.postMessage(mutex.handle)` */
  get handle(): SharedMutexHandle {
    return handleOf('SharedMutex', this.#state);
  }

  /** True while some thread holds the mutex (a snapshot: another thread may change it at once). @example `mutex.locked` */
  get locked(): boolean {
    return Atomics.load(this.#state, MUTEX_STATE) !== UNLOCKED;
  }

  /**
   * Takes the mutex if it is free, else returns `undefined`. Never waits.
   *
   * @example
   * ```ts
   * import { SharedMutex } from 'loom/workers';
   * declare function work(): void;
   * const mutex = new SharedMutex();
   * const lock = mutex.tryAcquire();
   * if (lock) try { work(); } finally { lock.release(); }
   * ```
   */
  tryAcquire(): Lock | undefined {
    // Acquire ordering: a successful compareExchange is sequentially consistent, so every write
    // the previous holder made before its releasing exchange is visible to us afterwards.
    return Atomics.compareExchange(this.#state, MUTEX_STATE, UNLOCKED, LOCKED) === UNLOCKED ? new LockHandle(this) : undefined;
  }

  /**
   * Waits for the mutex without blocking the thread (`Atomics.waitAsync`); usable on the main
   * thread. Rejects with `signal.reason` when the signal aborts (at once if it already is, even
   * if the mutex is free) and with `TimeoutError` (`SharedMutex.acquire timed out after N
   * milliseconds`) after `timeout` ms. A waiter that gave up never holds the mutex.
   *
   * @example
   * ```ts
   * import { SharedMutex } from 'loom/workers';
   * const mutex = new SharedMutex();
   * using _lock = await mutex.acquire({ timeout: 1000 });
   * ```
   */
  acquire(opts?: WaitOptions): Promise<Lock> {
    checkWaitOptions(opts);
    if (opts?.signal?.aborted) return Promise.reject(opts.signal.reason as Error);
    const lock = this.tryAcquire();
    if (lock !== undefined) return Promise.resolve(lock);
    return this.#acquireSlow(opts);
  }

  async #acquireSlow(opts: WaitOptions | undefined): Promise<Lock> {
    const deadline = isForever(opts) ? undefined : new Deadline(opts, 'SharedMutex.acquire');
    try {
      // Announce a parked waiter by swapping in CONTENDED; if the swap returns UNLOCKED we took
      // the lock (as CONTENDED, which only costs the eventual release one spare notify).
      while (Atomics.exchange(this.#state, MUTEX_STATE, CONTENDED) !== UNLOCKED) {
        // waitAsync re-reads the word atomically against CONTENDED, so a release between our
        // exchange and this call makes it return at once instead of missing the notify.
        await asyncWait(this.#state, MUTEX_STATE, CONTENDED, deadline?.signal);
      }
      return new LockHandle(this);
    } finally {
      deadline?.dispose();
    }
  }

  /**
   * Waits for the mutex by blocking the thread in `Atomics.wait`: for worker threads, where
   * blocking is the point. Throws `InvalidStateError` on the main thread (even when the mutex
   * is free, so the mistake shows at once). `signal` is checked before waiting: a blocked
   * thread runs no event loop, so only `timeout` can end the wait itself (`TimeoutError`,
   * `SharedMutex.acquireSync timed out after N milliseconds`).
   *
   * @example
   * ```ts
   * import { SharedMutex, type SharedMutexHandle } from 'loom/workers';
   * declare const handle: SharedMutexHandle; // posted by the main thread
   * using _lock = SharedMutex.from(handle).acquireSync({ timeout: 5000 });
   * ```
   */
  acquireSync(opts?: WaitOptions): Lock {
    assertMayBlock('SharedMutex.acquireSync');
    checkWaitOptions(opts);
    if (opts?.signal?.aborted) throw opts.signal.reason;
    const lock = this.tryAcquire();
    if (lock !== undefined) return lock;
    const until = deadlineAt(opts?.timeout);
    // Same protocol as #acquireSlow; Atomics.wait compares against CONTENDED atomically.
    while (Atomics.exchange(this.#state, MUTEX_STATE, CONTENDED) !== UNLOCKED) {
      if (!blockingWait(this.#state, MUTEX_STATE, CONTENDED, until)) {
        throw timeoutError('SharedMutex.acquireSync', opts?.timeout ?? Infinity);
      }
    }
    return new LockHandle(this);
  }

  /**
   * Runs `fn` while holding the mutex (acquired with {@link acquire}) and releases it however
   * `fn` ends. Returns what `fn` returns.
   *
   * @example
   * ```ts
   * import { SharedMutex } from 'loom/workers';
   * const mutex = new SharedMutex();
   * const view = new Int32Array(new SharedArrayBuffer(4));
   * const total = await mutex.runExclusive(() => view[0]! + 1, { timeout: 1000 });
   * ```
   */
  runExclusive<T>(fn: () => T | PromiseLike<T>, opts?: WaitOptions): Promise<T> {
    checkFunction('fn', fn);
    checkWaitOptions(opts);
    return this.#runExclusive(fn, opts);
  }

  async #runExclusive<T>(fn: () => T | PromiseLike<T>, opts: WaitOptions | undefined): Promise<T> {
    using _lock = await this.acquire(opts);
    return await fn();
  }

  /** @internal Called once per handle by `LockHandle.release()`. */
  [releaseHandle](): void {
    // Release ordering: the exchange is sequentially consistent, so our critical section's
    // writes happen-before the next holder's acquiring compareExchange/exchange. Only when the
    // old value was CONTENDED can a thread be parked, so only then do we pay for a notify.
    if (Atomics.exchange(this.#state, MUTEX_STATE, UNLOCKED) === CONTENDED) {
      Atomics.notify(this.#state, MUTEX_STATE, 1);
    }
  }
}
