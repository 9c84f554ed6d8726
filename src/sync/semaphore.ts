/**
 * `Semaphore`: a counter of permits with a fair, FIFO, cancellable wait, like
 * `asyncio.Semaphore`, except that a release hands its permit straight to the oldest waiter
 * instead of bumping the counter and letting the woken task retry. So `value` stays 0 while
 * anyone waits, nothing can barge in between, and service is strictly FIFO (CPython's
 * `test_acquire_fifo_order`, `_2` and `_3` guard the fairness that its retries make fragile).
 *
 * `acquire()` resolves with a one-shot {@link Lock} whose `release()` returns that permit once;
 * the bare `release()` also exists, as in Python, for code that pairs acquire and release by
 * hand (or releases a permit it never took, to raise the count). A waiter woken and aborted in
 * the same tick returns its permit through the queue's `passOn`.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import { checkFunction, checkInteger, checkWaitOptions } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { rejectAborted } from './aborted.js';
import { LockHandle, releaseHandle, releaseLock, type HandleOwner, type Lock } from './lock.js';
import { runHolding, type ExclusiveFn } from './run-exclusive.js';

/**
 * A counting semaphore: `acquire()` takes a permit (waiting while there is none), and each
 * permit goes back once, through its handle or through {@link Semaphore.release}.
 *
 * @example
 * ```ts
 * import { Semaphore } from 'loom/sync';
 * const slots = new Semaphore(2); // at most two downloads at a time
 * async function download(url: string): Promise<string> {
 *   using _permit = await slots.acquire();
 *   return (await fetch(url)).text();
 * }
 * ```
 */
export class Semaphore implements HandleOwner {
  /** Free permits. Always >= 0, and 0 whenever a waiter is parked (release hands off). */
  #value: number;
  readonly #waiters = new WaitQueue<LockHandle>();
  /** The class and method that name a timeout (`BoundedSemaphore.acquire timed out ...`). */
  readonly #what: string;

  /**
   * @param value the initial number of permits, an integer >= 0 (default 1; 0 makes every
   *   `acquire` wait for a `release`).
   * @throws TypeError/RangeError synchronously when `value` is not an integer >= 0.
   */
  constructor(value = 1) {
    checkInteger('value', value, 0);
    this.#value = value;
    this.#what = `${new.target.name}.acquire`;
  }

  /** The number of permits free now (0 while anyone waits). */
  get value(): number {
    return this.#value;
  }

  /** True when an `acquire()` now would wait: no permit is free. Like `asyncio.Semaphore.locked()`. */
  get locked(): boolean {
    return this.#value === 0;
  }

  /**
   * Waits for a permit and resolves with the {@link Lock} that returns it.
   *
   * Waiters are served in call order. An already-aborted `signal` rejects at once with its
   * reason, even if a permit is free; an abort while waiting leaves the queue and rejects with
   * `signal.reason`; `timeout` (ms) rejects with a `TimeoutError`
   * (`Semaphore.acquire timed out after N milliseconds`). A waiter that gave up holds no permit.
   *
   * @throws TypeError/RangeError synchronously on malformed options.
   * @example
   * ```ts
   * import { Semaphore } from 'loom/sync';
   * const semaphore = new Semaphore(3);
   * const permit = await semaphore.acquire({ timeout: 500 });
   * try {
   *   // ... at most three tasks here ...
   * } finally {
   *   permit.release();
   * }
   * ```
   */
  acquire(opts?: WaitOptions): Promise<Lock> {
    if (opts !== undefined) {
      checkWaitOptions(opts);
      if (opts.signal?.aborted) return rejectAborted(opts.signal);
    }
    if (this.#value > 0) {
      this.#value--;
      return Promise.resolve(new LockHandle(this));
    }
    return this.#waiters.park(opts, this.#what, releaseLock);
  }

  /**
   * Takes a permit if one is free now; otherwise returns `undefined`. Never waits, never
   * overtakes a waiter (while anyone waits, no permit is free).
   *
   * @example
   * ```ts
   * import { Semaphore } from 'loom/sync';
   * const semaphore = new Semaphore(1);
   * const permit = semaphore.tryAcquire();
   * permit?.release();
   * ```
   */
  tryAcquire(): Lock | undefined {
    if (this.#value === 0) return undefined;
    this.#value--;
    return new LockHandle(this);
  }

  /**
   * Returns one permit: it goes straight to the oldest waiter, or raises `value` by one when
   * nobody waits. Needs no handle, so it can also raise the count past the initial value (use
   * {@link BoundedSemaphore} to forbid that). Prefer releasing the handle `acquire` gave you:
   * it returns its permit exactly once.
   *
   * @example
   * ```ts
   * import { Semaphore } from 'loom/sync';
   * const ready = new Semaphore(0);
   * setTimeout(() => ready.release(), 10);
   * (await ready.acquire()).release();
   * ```
   */
  release(): void {
    if (this.#waiters.size > 0) this.#waiters.wakeOne(new LockHandle(this));
    else this.#value++;
  }

  /**
   * Runs `fn` holding one permit and returns it when `fn` settles; resolves or rejects as `fn`
   * did. `opts` governs the wait (as in {@link acquire}); once `fn` runs, the permit stays held
   * until it settles, and an abort only reaches `fn` through the `signal` it receives.
   *
   * @throws TypeError synchronously when `fn` is not a function or the options are malformed.
   * @example
   * ```ts
   * import { Semaphore } from 'loom/sync';
   * const semaphore = new Semaphore(4);
   * const pages = await Promise.all([1, 2, 3].map((n) => semaphore.runExclusive(async () => n * 2)));
   * ```
   */
  runExclusive<R>(fn: ExclusiveFn<R>, opts?: WaitOptions): Promise<Awaited<R>> {
    checkFunction('fn', fn);
    return runHolding(this.acquire(opts), fn, opts);
  }

  /** @internal Gives back the permit of a released `Lock`. */
  [releaseHandle](): void {
    this.release();
  }
}
