/**
 * `Condition`: wait for a state change announced by another task, like `asyncio.Condition`.
 *
 * `wait()` parks on the condition's own `WaitQueue` first, then gives the mutex away (so a
 * `notify` from the next holder always finds it parked), and, however the wait ends (notified,
 * aborted, timed out), takes the mutex back before returning or rejecting: the caller's code
 * after `await cond.wait()` always runs holding the lock, exactly as asyncio re-acquires "even
 * if wait is cancelled". Re-acquiring cannot be aborted; `timeout` and `signal` bound the wait
 * for a notification only.
 *
 * The caller's own handle stays the owner: the mutex is released and re-held on its behalf
 * (`releaseHeld`/`reacquire`), so the `using` or `release()` around the wait keeps working.
 *
 * A waiter notified and aborted in the same tick passes the notification to the next waiter
 * (the queue's `passOn`), like CPython's `test_wait_cancel_after_notify`. An abort that comes
 * after the notification was taken does not undo it: `wait` resolves once the lock is back.
 *
 * "Holding the mutex" is checked as asyncio checks it, by `mutex.locked`: a task cannot be
 * told apart from another in JavaScript, so a task that calls `wait` while someone else holds
 * the lock is a bug this class cannot see.
 *
 * @module
 */

import { Deadline, isForever, type WaitOptions } from '../core/deadline.js';
import { InvalidStateError } from '../core/errors.js';
import { checkFunction, checkInteger, checkWaitOptions, expectation } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { rejectAborted } from './aborted.js';
import type { Lock, LockHandle } from './lock.js';
import { Mutex, reacquire, releaseHeld } from './mutex.js';
import type { ExclusiveFn } from './run-exclusive.js';

/**
 * A condition variable bound to a {@link Mutex}: `wait()` gives up the mutex until another task
 * calls `notify()`, then holds it again.
 *
 * @example
 * ```ts
 * import { Condition } from 'loom/sync';
 * const cond = new Condition();
 * const items: string[] = [];
 * async function consume(): Promise<string> {
 *   using _lock = await cond.acquire();
 *   await cond.waitFor(() => items.length > 0);
 *   return items.shift() as string;
 * }
 * const consumer = consume();
 * await cond.runExclusive(() => {
 *   items.push('job');
 *   cond.notify();
 * });
 * console.log(await consumer); // job
 * ```
 */
export class Condition {
  readonly #mutex: Mutex;
  readonly #waiters = new WaitQueue<void>();
  /** A notification that reached an aborted waiter goes to the next one. */
  readonly #passOn = (): void => {
    this.#waiters.wakeOne();
  };

  /**
   * @param mutex the lock this condition releases and re-holds (default: a new `Mutex`); share
   *   one mutex between several conditions to guard one state with them all.
   * @throws TypeError synchronously when `mutex` is not a `Mutex`.
   */
  constructor(mutex: Mutex = new Mutex()) {
    if (!(mutex instanceof Mutex)) throw new TypeError(expectation('mutex', 'a Mutex', mutex));
    this.#mutex = mutex;
  }

  /** The underlying mutex. */
  get mutex(): Mutex {
    return this.#mutex;
  }

  /** True while the underlying mutex is held. */
  get locked(): boolean {
    return this.#mutex.locked;
  }

  /**
   * The number of tasks parked in `wait()` / `waitFor()`, not counting those notified but still
   * waiting to re-hold the mutex.
   */
  get nWaiting(): number {
    return this.#waiters.size;
  }

  /**
   * Acquires the underlying mutex: `this.mutex.acquire(opts)`.
   *
   * @example
   * ```ts
   * import { Condition } from 'loom/sync';
   * const cond = new Condition();
   * using _lock = await cond.acquire();
   * cond.notifyAll();
   * ```
   */
  acquire(opts?: WaitOptions): Promise<Lock> {
    return this.#mutex.acquire(opts);
  }

  /**
   * Runs `fn` holding the underlying mutex: `this.mutex.runExclusive(fn, opts)`.
   *
   * @example
   * ```ts
   * import { Condition } from 'loom/sync';
   * const cond = new Condition();
   * await cond.runExclusive(() => cond.notifyAll());
   * ```
   */
  runExclusive<R>(fn: ExclusiveFn<R>, opts?: WaitOptions): Promise<Awaited<R>> {
    return this.#mutex.runExclusive(fn, opts);
  }

  /**
   * Releases the mutex, waits for a `notify()`, then re-holds the mutex and resolves. Must be
   * called holding the mutex. The mutex is held again whenever the returned promise settles,
   * even when it rejects. Wake-ups come in `wait` order.
   *
   * An already-aborted `signal` rejects at once (the mutex is not released); an abort while
   * waiting rejects with `signal.reason`; `timeout` (ms) rejects with a `TimeoutError`
   * (`Condition.wait timed out after N milliseconds`); both only after the mutex is held again.
   *
   * @throws InvalidStateError synchronously when the mutex is not held; TypeError/RangeError
   *   synchronously on malformed options.
   * @example
   * ```ts
   * import { Condition } from 'loom/sync';
   * const cond = new Condition();
   * using _lock = await cond.acquire();
   * await cond.wait({ timeout: 10 }).catch(() => {}); // nobody notifies: times out
   * console.log(cond.locked); // true: held again
   * ```
   */
  wait(opts?: WaitOptions): Promise<void> {
    checkWaitOptions(opts);
    this.#checkHeld('wait');
    if (opts?.signal?.aborted) return rejectAborted(opts.signal);
    const notified = this.#waiters.park(opts, 'Condition.wait', this.#passOn);
    return this.#reHold(notified, this.#mutex[releaseHeld]());
  }

  /**
   * Waits until `predicate()` returns a truthy value and resolves with it; the predicate is
   * called holding the mutex, first at once, then after every wake-up. Must be called holding
   * the mutex, even when the predicate is already true (stricter than asyncio, which lets that
   * case through). `timeout` bounds the whole call (`Condition.waitFor timed out after N
   * milliseconds`); on any rejection the mutex is held again.
   *
   * @throws InvalidStateError synchronously when the mutex is not held; TypeError synchronously
   *   when `predicate` is not a function or the options are malformed.
   * @example
   * ```ts
   * import { Condition } from 'loom/sync';
   * const cond = new Condition();
   * let count = 0;
   * using _lock = await cond.acquire();
   * setTimeout(() => void cond.runExclusive(() => { count = 3; cond.notifyAll(); }), 10);
   * await cond.waitFor(() => count >= 3);
   * ```
   */
  waitFor<T>(predicate: () => T, opts?: WaitOptions): Promise<T> {
    checkFunction('predicate', predicate);
    checkWaitOptions(opts);
    this.#checkHeld('waitFor');
    if (opts?.signal?.aborted) return rejectAborted(opts.signal);
    if (isForever(opts)) return this.#waitUntil(predicate, undefined);
    return this.#waitUntilDeadline(predicate, opts);
  }

  /**
   * Wakes up to `n` waiters (default 1), oldest first; each resumes once it holds the mutex,
   * so not before the caller releases it. With nobody waiting it does nothing.
   *
   * @throws InvalidStateError synchronously when the mutex is not held; TypeError/RangeError
   *   synchronously when `n` is not an integer >= 0.
   * @example
   * ```ts
   * import { Condition } from 'loom/sync';
   * const cond = new Condition();
   * await cond.runExclusive(() => cond.notify(2));
   * ```
   */
  notify(n = 1): void {
    checkInteger('n', n, 0);
    this.#checkHeld('notify');
    for (let woken = 0; woken < n; woken++) {
      if (!this.#waiters.wakeOne()) return;
    }
  }

  /**
   * Wakes every task waiting now. Must be called holding the mutex.
   *
   * @throws InvalidStateError synchronously when the mutex is not held.
   * @example
   * ```ts
   * import { Condition } from 'loom/sync';
   * const cond = new Condition();
   * await cond.runExclusive(() => cond.notifyAll());
   * ```
   */
  notifyAll(): void {
    this.#checkHeld('notifyAll');
    this.#waiters.wakeAll();
  }

  async #reHold(notified: Promise<void>, held: LockHandle): Promise<void> {
    try {
      await notified;
    } finally {
      await this.#mutex[reacquire](held);
    }
  }

  async #waitUntil<T>(predicate: () => T, opts: WaitOptions | undefined): Promise<T> {
    let result = predicate();
    while (!result) {
      await this.wait(opts);
      result = predicate();
    }
    return result;
  }

  async #waitUntilDeadline<T>(predicate: () => T, opts: WaitOptions | undefined): Promise<T> {
    const deadline = new Deadline(opts, 'Condition.waitFor');
    try {
      return await this.#waitUntil(predicate, { signal: deadline.signal });
    } finally {
      deadline.dispose();
    }
  }

  #checkHeld(method: string): void {
    if (!this.#mutex.locked) {
      throw new InvalidStateError(`Condition.${method} needs the mutex held, but it is not locked: acquire it first`);
    }
  }
}
