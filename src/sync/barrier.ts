/**
 * `Barrier`: `parties` tasks wait for each other, then all go on together, like Python's
 * `threading.Barrier` (and `asyncio.Barrier`).
 *
 * Each arrival takes the next index; the last one (index `parties - 1`) trips the barrier:
 * every parked waiter is woken at once, the count starts again from 0 and the barrier is
 * reusable. Because a wake-up is delivered synchronously to everyone, there is no "draining"
 * phase to wait out as in threading, where woken threads must still get the condition's lock.
 *
 * Breaking follows threading: `abort()`, `reset()`, or a waiter that gives up (its signal
 * aborts or its timeout expires) wakes every other waiter with a `BrokenBarrierError`, and a
 * broken barrier fails every `wait()` until `reset()`. The waiter that gave up rejects with its
 * own reason (`signal.reason`, or a `TimeoutError`), as everywhere in loom. The break happens in
 * the abort event itself, not a tick later, so no party can arrive in between and trip a
 * barrier that is one waiter short. A waiter woken by the trip and aborted in the same tick
 * still passes: the barrier already tripped, and its abort does not break the next round.
 *
 * `#round` counts trips and resets: a waiter's abort breaks the barrier only while the round it
 * joined is still filling.
 *
 * @module
 */

import { Deadline, isForever, type WaitOptions } from '../core/deadline.js';
import { BrokenBarrierError } from '../core/errors.js';
import { checkInteger, checkWaitOptions } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { rejectAborted } from './aborted.js';

/**
 * A reusable rendezvous for a fixed number of tasks.
 *
 * @example
 * ```ts
 * import { Barrier } from 'loom/sync';
 * const barrier = new Barrier(3);
 * const phase = async (name: string): Promise<void> => {
 *   // ... first half of the work ...
 *   const index = await barrier.wait({ timeout: 5000 });
 *   if (index === 0) console.log(`${name} is the first through`);
 *   // ... second half: every party finished the first half ...
 * };
 * await Promise.all(['a', 'b', 'c'].map(phase));
 * ```
 */
export class Barrier {
  readonly #parties: number;
  /** Arrivals in the current round; always < `#parties` between calls (the last one trips). */
  #count = 0;
  /** True from a break (abort, or a waiter giving up) until `reset()`; no waiter parks while true. */
  #broken = false;
  /** Incremented on every trip and reset, so a late abort cannot break a later round. */
  #round = 0;
  readonly #waiters = new WaitQueue<void>();

  /**
   * @param parties how many tasks must call `wait()` before any of them goes on, an integer >= 1.
   * @throws TypeError/RangeError synchronously when `parties` is not an integer >= 1.
   */
  constructor(parties: number) {
    checkInteger('parties', parties, 1);
    this.#parties = parties;
  }

  /** How many tasks must arrive to trip the barrier. */
  get parties(): number {
    return this.#parties;
  }

  /** How many tasks are parked in `wait()` now. */
  get nWaiting(): number {
    return this.#waiters.size;
  }

  /** True after `abort()` or a waiter gave up, until `reset()`. */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Arrives at the barrier and waits for the others; resolves with this arrival's index, 0 for
   * the first to `parties - 1` for the one that tripped it (which does not wait).
   *
   * Rejects with a `BrokenBarrierError` when the barrier is broken (now, or while waiting) or
   * reset while waiting. An already-aborted `signal` rejects at once and counts as no arrival;
   * an abort or a `timeout` (`Barrier.wait timed out after N milliseconds`) while waiting
   * rejects this call with that reason and breaks the barrier for the others.
   *
   * @throws TypeError/RangeError synchronously on malformed options.
   * @example
   * ```ts
   * import { Barrier } from 'loom/sync';
   * const barrier = new Barrier(2);
   * const [a, b] = await Promise.all([barrier.wait(), barrier.wait()]);
   * console.log(a, b); // 0 1
   * ```
   */
  wait(opts?: WaitOptions): Promise<number> {
    checkWaitOptions(opts);
    if (opts?.signal?.aborted) return rejectAborted(opts.signal);
    if (this.#broken) return Promise.reject(new BrokenBarrierError('Barrier is broken: call reset() before waiting on it again'));
    const index = this.#count++;
    if (this.#count === this.#parties) {
      this.#count = 0;
      this.#round++;
      this.#waiters.wakeAll();
      return Promise.resolve(index);
    }
    if (isForever(opts)) return this.#waiters.park(undefined, 'Barrier.wait').then(() => index);
    return this.#waitCancellable(index, opts);
  }

  /**
   * Breaks the barrier: every waiter rejects with a `BrokenBarrierError`, and so does every
   * later `wait()` until `reset()`. Idempotent. Like `threading.Barrier.abort`.
   *
   * @example
   * ```ts
   * import { Barrier } from 'loom/sync';
   * const barrier = new Barrier(2);
   * const waiting = barrier.wait();
   * barrier.abort();
   * await waiting.catch((error: unknown) => console.log(error)); // BrokenBarrierError
   * ```
   */
  abort(): void {
    this.#break('aborted');
  }

  /**
   * Returns the barrier to its empty, unbroken state; tasks waiting now reject with a
   * `BrokenBarrierError`. Like `threading.Barrier.reset`.
   *
   * @example
   * ```ts
   * import { Barrier } from 'loom/sync';
   * const barrier = new Barrier(2);
   * barrier.abort();
   * barrier.reset();
   * console.log(barrier.broken); // false
   * ```
   */
  reset(): void {
    const arrived = this.#count;
    this.#round++;
    this.#count = 0;
    this.#broken = false;
    this.#waiters.rejectAll(
      () => new BrokenBarrierError(`Barrier was reset while ${arrived} of ${this.#parties} parties had arrived`),
    );
  }

  async #waitCancellable(index: number, opts: WaitOptions | undefined): Promise<number> {
    const deadline = new Deadline(opts, 'Barrier.wait');
    const round = this.#round;
    // Added after park's own listener, so it runs after that one has taken this waiter out of
    // the queue (EventTarget calls listeners in the order they were added).
    const onAbort = (): void => {
      if (this.#round === round) this.#break('broken: a waiter gave up', deadline.signal.reason);
    };
    try {
      const parked = this.#waiters.park({ signal: deadline.signal }, 'Barrier.wait');
      deadline.signal.addEventListener('abort', onAbort, { once: true });
      await parked;
      return index;
    } finally {
      deadline.signal.removeEventListener('abort', onAbort);
      deadline.dispose();
    }
  }

  #break(how: string, cause?: unknown): void {
    const arrived = this.#count;
    this.#broken = true;
    this.#waiters.rejectAll(
      () =>
        new BrokenBarrierError(
          `Barrier was ${how} while ${arrived} of ${this.#parties} parties had arrived`,
          cause === undefined ? undefined : { cause },
        ),
    );
  }
}
