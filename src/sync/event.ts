/**
 * `Event`: a flag tasks can wait on, like `asyncio.Event` / `threading.Event`.
 *
 * `set()` wakes every waiter parked at that moment, and they resume even if `clear()` runs
 * before their continuations do (CPython's `test_clear_with_waiters`): a wake-up is a delivered
 * fact, not a re-check of the flag. For the same reason a waiter woken and aborted in the same
 * tick resolves (the queue gets no `passOn`): the event did happen, and nothing is held that
 * would need giving back.
 *
 * Waiting on a set event returns one shared, already-resolved promise: nothing is allocated.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import { checkWaitOptions } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { rejectAborted } from './aborted.js';

/** Shared by every wait that finds the event set: immutable, so sharing it is safe. */
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * A one-bit signal between tasks: `wait()` resolves once the flag is set.
 *
 * @example
 * ```ts
 * import { Event } from 'loom/sync';
 * const ready = new Event();
 * const consumer = (async () => {
 *   await ready.wait({ timeout: 1000 });
 *   console.log('go');
 * })();
 * ready.set();
 * await consumer;
 * ```
 */
export class Event {
  #set = false;
  /** Tasks waiting for `set()`. Non-empty only while `#set` is false. */
  readonly #waiters = new WaitQueue<void>();

  /** True once `set()` was called and `clear()` was not called since. */
  isSet(): boolean {
    return this.#set;
  }

  /**
   * Sets the flag and wakes every task waiting now; later `wait()` calls return at once until
   * `clear()`. Setting a set event does nothing.
   *
   * @example
   * ```ts
   * import { Event } from 'loom/sync';
   * const done = new Event();
   * done.set();
   * await done.wait(); // returns at once
   * ```
   */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    this.#waiters.wakeAll();
  }

  /**
   * Clears the flag: later `wait()` calls wait for the next `set()`. Tasks already woken by an
   * earlier `set()` still resume.
   *
   * @example
   * ```ts
   * import { Event } from 'loom/sync';
   * const gate = new Event();
   * gate.set();
   * gate.clear();
   * console.log(gate.isSet()); // false
   * ```
   */
  clear(): void {
    this.#set = false;
  }

  /**
   * Resolves when the flag is set (at once if it is set now).
   *
   * An already-aborted `signal` rejects at once with its reason, even if the flag is set; an
   * abort while waiting rejects with `signal.reason`; `timeout` (ms) rejects with a
   * `TimeoutError` (`Event.wait timed out after N milliseconds`).
   *
   * @throws TypeError/RangeError synchronously on malformed options.
   * @example
   * ```ts
   * import { Event } from 'loom/sync';
   * const stop = new Event();
   * const controller = new AbortController();
   * const waiting = stop.wait({ signal: controller.signal });
   * controller.abort(new Error('gave up'));
   * await waiting.catch((error: unknown) => console.log(error)); // Error: gave up
   * ```
   */
  wait(opts?: WaitOptions): Promise<void> {
    if (opts !== undefined) {
      checkWaitOptions(opts);
      if (opts.signal?.aborted) return rejectAborted(opts.signal);
    }
    if (this.#set) return RESOLVED;
    return this.#waiters.park(opts, 'Event.wait');
  }
}
