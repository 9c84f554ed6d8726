/**
 * `Mutex`: a fair, FIFO, cancellable mutual-exclusion lock for async code (the seed's item 54,
 * `threading.Lock`, re-thought for one thread and many tasks, like `asyncio.Lock`).
 *
 * Ownership is handed over, never re-contested: `release` gives the lock straight to the oldest
 * waiter (a fresh handle travels through the `WaitQueue` wake-up), so the mutex never looks free
 * while anyone waits and a `tryAcquire()` or `acquire()` arriving in between cannot barge in.
 * asyncio instead unlocks and wakes the next waiter, which must then take the lock itself, so
 * every `acquire` has to check for queued waiters to stay fair; handing over makes fairness
 * structural, and we rejected the retry. A waiter woken and aborted in the same tick gives the lock
 * on through the queue's `passOn` (its handle's `release()`), so it holds nothing afterwards.
 *
 * Ownership is the identity of the current handle (`#holder`). That makes a stale handle's
 * `release()` harmless, and lets `Condition.wait` give the lock away and take it back while the
 * caller's own handle stays the one that releases it ({@link releaseHeld}, {@link reacquire}).
 *
 * The uncontended path allocates the handle and the resolved promise that carries it, nothing
 * for cancellation; options are only looked at when given. Rejected: one shared pre-resolved
 * promise (what a bare mutex returns) cannot carry a per-acquisition handle, and reusing one
 * handle across acquisitions would let a stale second `release()` free the next holder's lock.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import { checkFunction, checkWaitOptions } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { rejectAborted } from './aborted.js';
import { LockHandle, releaseHandle, releaseLock, type HandleOwner, type Lock } from './lock.js';
import { runHolding, type ExclusiveFn } from './run-exclusive.js';

/** Releases the mutex on behalf of its holder and returns the holder's handle; the mutex must be locked. @internal */
export const releaseHeld: unique symbol = Symbol('loom.Mutex.releaseHeld');
/** Waits (uncancellably) for the mutex and makes `held` its holder again. @internal */
export const reacquire: unique symbol = Symbol('loom.Mutex.reacquire');

/**
 * A mutual-exclusion lock: at most one holder at a time, waiters served first-in, first-out.
 *
 * @example
 * ```ts
 * import { Mutex } from 'loom/sync';
 * const mutex = new Mutex();
 * let count = 0;
 * async function increment(): Promise<void> {
 *   using _lock = await mutex.acquire();
 *   const value = count;
 *   await Promise.resolve(); // another task could run here, but not in this section
 *   count = value + 1;
 * }
 * await Promise.all([increment(), increment()]);
 * ```
 */
export class Mutex implements HandleOwner {
  /** The handle that currently owns the lock; `undefined` exactly when unlocked. */
  #holder: LockHandle | undefined;
  /** Tasks waiting for the lock. Non-empty only while `#holder` is set (release hands off). */
  readonly #waiters = new WaitQueue<LockHandle>();

  /** True while some handle holds the lock (including while it is being handed to a waiter). */
  get locked(): boolean {
    return this.#holder !== undefined;
  }

  /**
   * Waits for the lock and resolves with the {@link Lock} that releases it.
   *
   * Waiters are served in call order. An already-aborted `signal` rejects at once with its
   * reason, even if the lock is free; an abort while waiting leaves the queue and rejects with
   * `signal.reason`; `timeout` (ms) rejects with a `TimeoutError`
   * (`Mutex.acquire timed out after N milliseconds`). A free lock is taken even with
   * `timeout: 0`, like `threading.Lock.acquire(timeout=0)`. A waiter that gave up never holds
   * the lock afterwards.
   *
   * @throws TypeError/RangeError synchronously on malformed options.
   * @example
   * ```ts
   * import { Mutex } from 'loom/sync';
   * const mutex = new Mutex();
   * const lock = await mutex.acquire({ timeout: 1000 });
   * try {
   *   // ... critical section ...
   * } finally {
   *   lock.release();
   * }
   * ```
   */
  acquire(opts?: WaitOptions): Promise<Lock> {
    if (opts !== undefined) {
      checkWaitOptions(opts);
      if (opts.signal?.aborted) return rejectAborted(opts.signal);
    }
    if (this.#holder === undefined) {
      const lock = new LockHandle(this);
      this.#holder = lock;
      return Promise.resolve(lock);
    }
    return this.#waiters.park(opts, 'Mutex.acquire', releaseLock);
  }

  /**
   * Takes the lock if it is free now and nobody waits for it; otherwise returns `undefined`.
   * Never waits, never overtakes a waiter.
   *
   * @example
   * ```ts
   * import { Mutex } from 'loom/sync';
   * const mutex = new Mutex();
   * using lock = mutex.tryAcquire();
   * if (lock === undefined) console.log('busy');
   * ```
   */
  tryAcquire(): Lock | undefined {
    if (this.#holder !== undefined) return undefined;
    const lock = new LockHandle(this);
    this.#holder = lock;
    return lock;
  }

  /**
   * Runs `fn` while holding the lock and releases it when `fn` settles; resolves or rejects as
   * `fn` did. `opts` governs the wait for the lock (as in {@link acquire}); once `fn` runs, the
   * lock stays held until it settles, and an abort only reaches `fn` through the `signal` it
   * receives (the caller's `opts.signal`, `undefined` without one).
   *
   * @throws TypeError synchronously when `fn` is not a function or the options are malformed.
   * @example
   * ```ts
   * import { Mutex } from 'loom/sync';
   * const mutex = new Mutex();
   * const value = await mutex.runExclusive(async (signal) => {
   *   signal?.throwIfAborted();
   *   return 42;
   * });
   * ```
   */
  runExclusive<R>(fn: ExclusiveFn<R>, opts?: WaitOptions): Promise<Awaited<R>> {
    checkFunction('fn', fn);
    return runHolding(this.acquire(opts), fn, opts);
  }

  /** @internal Takes back the hold of `handle` (see `lock.ts`). */
  [releaseHandle](handle: LockHandle): void {
    if (this.#holder === handle) this.#handOff();
  }

  /** @internal Lends the mutex out while its holder waits in a `Condition`. */
  [releaseHeld](): LockHandle {
    // Callers (Condition) check `locked` first and throw InvalidStateError otherwise.
    const held = this.#holder as LockHandle;
    this.#handOff();
    return held;
  }

  /** @internal Gives the lent-out mutex back to `held` when a `Condition` wait ends. */
  async [reacquire](held: LockHandle): Promise<void> {
    if (this.#holder !== undefined) await this.#waiters.park(undefined, 'Mutex.acquire');
    this.#holder = held;
    // Released while it was lent out (say `return cond.wait()` inside a `using` block): that
    // release found another holder and did nothing, so it takes effect now, not never.
    if (held.released) this.#handOff();
  }

  /** Gives the lock to the oldest waiter (with a fresh handle), or unlocks when none waits. */
  #handOff(): void {
    if (this.#waiters.size === 0) {
      this.#holder = undefined;
      return;
    }
    const next = new LockHandle(this);
    this.#holder = next;
    this.#waiters.wakeOne(next);
  }
}
