/**
 * `SharedBarrier`: `parties` threads wait until all of them arrived, then all go on together;
 * like Python's `threading.Barrier` (return value, `abort`, `reset`, `BrokenBarrierError`).
 *
 * The whole state is one word (arrived count, broken and resetting flags, generation: see
 * `layout.ts`), so every transition is one `compareExchange` and no state is ever half
 * updated. Waiters park on that word; only the transitions that end a wait (the last arrival,
 * a break, a reset, the last party leaving a broken generation) notify, and a waiter whose
 * snapshot went stale (another party arrived meanwhile) simply re-reads it.
 *
 * A waiter that times out or is aborted breaks the barrier, as in Python: the other waiters of
 * that generation and later arrivals get `BrokenBarrierError` until `reset()`. A party that dies
 * never arrives; the others wait until their timeout breaks the barrier.
 *
 * @module
 */

import { Deadline, isForever, timeoutError, type WaitOptions } from '../core/deadline.js';
import { BrokenBarrierError } from '../core/errors.js';
import { checkInteger, checkWaitOptions, expectation } from '../core/validate.js';
import {
  BARRIER_BROKEN,
  BARRIER_COUNT_MASK,
  BARRIER_GENERATION_MASK,
  BARRIER_GENERATION_SHIFT,
  BARRIER_MAX_PARTIES,
  BARRIER_PARTIES,
  BARRIER_RESETTING,
  BARRIER_STATE,
  BARRIER_WORDS,
} from './layout.js';
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

/** What `SharedBarrier#handle` returns: post it to a worker and call `SharedBarrier.from(handle)` there. */
export type SharedBarrierHandle = SharedHandle<'SharedBarrier'>;

const generationOf = (state: number): number => (state >>> BARRIER_GENERATION_SHIFT) & BARRIER_GENERATION_MASK;
const freshGeneration = (state: number): number => ((generationOf(state) + 1) & BARRIER_GENERATION_MASK) << BARRIER_GENERATION_SHIFT;

/** A party's place in a generation, between arriving and being let through. */
interface Arrival {
  readonly generation: number;
  /** The arrival order in the generation, 0 for the first: what `wait` returns. */
  readonly index: number;
  /** True when this party was the last one and released the others. */
  readonly passed: boolean;
}

/**
 * A barrier for `parties` threads in a `SharedArrayBuffer`. `wait` (async, any thread) and
 * `waitSync` (blocking, workers only) resolve with the party's arrival index (0 for the first,
 * `parties - 1` for the one that let everyone through) once every party arrived.
 *
 * @example
 * ```ts
 * import { SharedBarrier } from 'loom/workers';
 * const barrier = new SharedBarrier(3); // the main thread and two workers
 * // in each worker: SharedBarrier.from(handle).waitSync({ timeout: 5000 });
 * await barrier.wait({ timeout: 5000 });
 * ```
 */
export class SharedBarrier {
  /** `[BARRIER_STATE]` packed as in `layout.ts`; `[BARRIER_PARTIES]` constant after construction. */
  readonly #words: Int32Array;
  readonly #parties: number;

  /**
   * @param parties how many threads must arrive: an integer from 1 to 16383.
   * @param placement where to put the two words; a fresh buffer when omitted (a plain `ArrayBuffer` throws `TypeError`).
   */
  constructor(parties: number, placement?: SharedPlacement) {
    const adopted = takeAdopted();
    if (adopted !== undefined) {
      this.#words = adopted;
      this.#parties = Atomics.load(this.#words, BARRIER_PARTIES);
      return;
    }
    checkInteger('parties', parties, 1);
    if (parties > BARRIER_MAX_PARTIES) {
      throw new RangeError(expectation('parties', `an integer from 1 to ${BARRIER_MAX_PARTIES}`, parties));
    }
    this.#words = viewOf(placement, BARRIER_WORDS);
    this.#parties = parties;
    Atomics.store(this.#words, BARRIER_PARTIES, parties);
    Atomics.store(this.#words, BARRIER_STATE, 0);
  }

  /** The barrier whose `.handle` this is, typically in another thread. @example `const barrier = SharedBarrier.from(handle);` */
  static from(handle: SharedBarrierHandle): SharedBarrier {
    return adopting(viewOfHandle(handle, 'SharedBarrier', BARRIER_WORDS), () => new SharedBarrier(1));
  }

  /** Plain data to post to a worker. @example `worker.postMessage(barrier.handle)` */
  get handle(): SharedBarrierHandle {
    return handleOf('SharedBarrier', this.#words);
  }

  /** The number of parties. @example `barrier.parties` */
  get parties(): number {
    return this.#parties;
  }

  /** Parties waiting in the current generation (a snapshot). @example `barrier.nWaiting` */
  get nWaiting(): number {
    return Atomics.load(this.#words, BARRIER_STATE) & BARRIER_COUNT_MASK;
  }

  /** True when the barrier is broken (until `reset()`). @example `barrier.broken` */
  get broken(): boolean {
    return (Atomics.load(this.#words, BARRIER_STATE) & BARRIER_BROKEN) !== 0;
  }

  /**
   * Arrives and waits, without blocking the thread, until all parties arrived. Rejects with
   * `BrokenBarrierError` if the barrier is or becomes broken; a timeout (`SharedBarrier.wait
   * timed out after N milliseconds`) or abort rejects this party and breaks the barrier.
   *
   * @example
   * ```ts
   * import { SharedBarrier } from 'loom/workers';
   * const barrier = new SharedBarrier(1);
   * const index = await barrier.wait({ timeout: 5000 });
   * ```
   */
  async wait(opts?: WaitOptions): Promise<number> {
    checkWaitOptions(opts);
    if (opts?.signal?.aborted) throw opts.signal.reason;
    const arrival = this.#arrive();
    if (arrival.passed) return arrival.index;
    const deadline = isForever(opts) ? undefined : new Deadline(opts, 'SharedBarrier.wait');
    try {
      for (;;) {
        const state = Atomics.load(this.#words, BARRIER_STATE);
        if (this.#settled(arrival, state)) return arrival.index;
        await asyncWait(this.#words, BARRIER_STATE, state, deadline?.signal);
      }
    } catch (error) {
      if (error instanceof BrokenBarrierError) throw error;
      if (this.#giveUp(arrival)) return arrival.index;
      throw error;
    } finally {
      deadline?.dispose();
    }
  }

  /**
   * Arrives and blocks the thread (`Atomics.wait`) until all parties arrived; throws
   * `InvalidStateError` on the main thread. Same outcomes as {@link wait}; `signal` is checked
   * before waiting only (a blocked thread runs no event loop).
   *
   * @example
   * ```ts
   * import { SharedBarrier, type SharedBarrierHandle } from 'loom/workers';
   * declare const handle: SharedBarrierHandle; // posted by the main thread
   * SharedBarrier.from(handle).waitSync({ timeout: 5000 });
   * ```
   */
  waitSync(opts?: WaitOptions): number {
    assertMayBlock('SharedBarrier.waitSync');
    checkWaitOptions(opts);
    if (opts?.signal?.aborted) throw opts.signal.reason;
    const arrival = this.#arrive();
    if (arrival.passed) return arrival.index;
    const until = deadlineAt(opts?.timeout);
    for (;;) {
      const state = Atomics.load(this.#words, BARRIER_STATE);
      if (this.#settled(arrival, state)) return arrival.index;
      if (!blockingWait(this.#words, BARRIER_STATE, state, until)) {
        if (this.#giveUp(arrival)) return arrival.index;
        throw timeoutError('SharedBarrier.waitSync', opts?.timeout ?? Infinity);
      }
    }
  }

  /**
   * Breaks the barrier: every waiting party and every later arrival gets `BrokenBarrierError`
   * until `reset()`. Idempotent.
   *
   * @example
   * ```ts
   * import type { SharedBarrier } from 'loom/workers';
   * declare const barrier: SharedBarrier;
   * barrier.abort(); // a party failed; nobody should wait for it
   * ```
   */
  abort(): void {
    for (;;) {
      const state = Atomics.load(this.#words, BARRIER_STATE);
      if ((state & BARRIER_BROKEN) !== 0) return;
      // Only if no arrival changed the word since we read it: a last arrival that got in first
      // has let its generation through, and we then break the next one instead.
      if (Atomics.compareExchange(this.#words, BARRIER_STATE, state, state | BARRIER_BROKEN) === state) break;
    }
    // After the flag is in the word: a waiter parks only while the word equals its snapshot,
    // so one that read the word before the flag returns from wait at once, and one woken here sees it.
    Atomics.notify(this.#words, BARRIER_STATE);
  }

  /**
   * Returns the barrier to its initial state. Parties waiting now get `BrokenBarrierError`
   * (as in Python); until they have all left, new arrivals get it too.
   *
   * @example
   * ```ts
   * import type { SharedBarrier } from 'loom/workers';
   * declare const barrier: SharedBarrier;
   * barrier.reset();
   * ```
   */
  reset(): void {
    for (;;) {
      const state = Atomics.load(this.#words, BARRIER_STATE);
      const waiting = state & BARRIER_COUNT_MASK;
      const next = waiting === 0 ? freshGeneration(state) : state | BARRIER_BROKEN | BARRIER_RESETTING;
      // Retried when an arrival or a leaver changed the word: `waiting` must be the count the swap replaces.
      if (Atomics.compareExchange(this.#words, BARRIER_STATE, state, next) === state) break;
    }
    // After the swap, as in abort(): every waiter of the old generation re-reads the word.
    Atomics.notify(this.#words, BARRIER_STATE);
  }

  /** Counts this party in, or throws if broken. The last party starts the next generation. */
  #arrive(): Arrival {
    for (;;) {
      const state = Atomics.load(this.#words, BARRIER_STATE);
      if ((state & BARRIER_BROKEN) !== 0) throw new BrokenBarrierError('SharedBarrier is broken');
      const index = state & BARRIER_COUNT_MASK;
      const generation = generationOf(state);
      const last = index + 1 === this.#parties;
      const next = last ? freshGeneration(state) : state + 1;
      // The seq-cst compareExchange orders every party's writes before the arrival with every
      // other party's reads after it: what each thread did before `wait` is visible after it.
      if (Atomics.compareExchange(this.#words, BARRIER_STATE, state, next) !== state) continue;
      // After the new generation is in the word: a waiter that parked on the old word value is
      // woken here, and one that had not parked yet finds the word changed and does not park.
      if (last) Atomics.notify(this.#words, BARRIER_STATE);
      return { generation, index, passed: last };
    }
  }

  /** True when `arrival`'s generation passed; throws (after leaving) when it was broken. */
  #settled(arrival: Arrival, state: number): boolean {
    if (generationOf(state) !== arrival.generation) return true;
    if ((state & BARRIER_BROKEN) === 0) return false;
    this.#leave(arrival);
    throw new BrokenBarrierError('SharedBarrier is broken');
  }

  /** Breaks the generation on a timeout or abort; returns true if it had passed meanwhile. */
  #giveUp(arrival: Arrival): boolean {
    for (;;) {
      const state = Atomics.load(this.#words, BARRIER_STATE);
      if (generationOf(state) !== arrival.generation) return true;
      if ((state & BARRIER_BROKEN) !== 0) break;
      // Fails when the word moved; the loop then re-checks whether the generation passed meanwhile.
      if (Atomics.compareExchange(this.#words, BARRIER_STATE, state, state | BARRIER_BROKEN) === state) break;
    }
    // After the broken flag is in the word, so that each woken waiter sees it (see abort()).
    Atomics.notify(this.#words, BARRIER_STATE);
    this.#leave(arrival);
    return false;
  }

  /** Counts a party out of a broken generation; the last one out completes a pending reset. */
  #leave(arrival: Arrival): void {
    for (;;) {
      const state = Atomics.load(this.#words, BARRIER_STATE);
      if (generationOf(state) !== arrival.generation) return;
      const left = state - 1;
      const done = (left & BARRIER_COUNT_MASK) === 0 && (state & BARRIER_RESETTING) !== 0;
      const next = done ? freshGeneration(state) : left;
      // The count only falls through this swap, so the party that reaches 0 is the only one to complete the reset.
      if (Atomics.compareExchange(this.#words, BARRIER_STATE, state, next) !== state) continue;
      // After the fresh generation is in the word: parties parked during the reset re-read it.
      if (done) Atomics.notify(this.#words, BARRIER_STATE);
      return;
    }
  }
}
