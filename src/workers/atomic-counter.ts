/**
 * `AtomicCounter`: an integer in a `SharedArrayBuffer` that threads update without a lock,
 * the lock-free answer to the seed's item 54 counter (`counter.count += offset` made atomic).
 *
 * @module
 */

import { expectation } from '../core/validate.js';
import { COUNTER_VALUE, COUNTER_WORDS } from './layout.js';
import { adopting, handleOf, takeAdopted, viewOf, viewOfHandle, type SharedHandle, type SharedPlacement } from './shared-memory.js';

/** What `AtomicCounter#handle` returns: post it to a worker and call `AtomicCounter.from(handle)` there. */
export type AtomicCounterHandle = SharedHandle<'AtomicCounter'>;

function checkInt32(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(expectation(name, 'a 32-bit integer', value));
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(expectation(name, 'a 32-bit integer', value));
  }
}

/**
 * A signed 32-bit counter shared by threads. Every method is one atomic, sequentially
 * consistent instruction; arithmetic wraps around at 2^31 like `Int32Array` (like Java's
 * `AtomicInteger`).
 *
 * @example
 * ```ts
 * import { AtomicCounter } from 'loom/workers';
 * const counter = new AtomicCounter();
 * // in each worker: AtomicCounter.from(handle).add(1);
 * console.log(counter.value);
 * ```
 */
export class AtomicCounter {
  readonly #word: Int32Array;

  /**
   * @param initial the starting value (a 32-bit integer, default 0).
   * @param placement where to put the word; a fresh buffer when omitted (a plain `ArrayBuffer` throws `TypeError`).
   */
  constructor(initial = 0, placement?: SharedPlacement) {
    const adopted = takeAdopted();
    if (adopted !== undefined) {
      this.#word = adopted;
      return;
    }
    checkInt32('initial', initial);
    this.#word = viewOf(placement, COUNTER_WORDS);
    Atomics.store(this.#word, COUNTER_VALUE, initial);
  }

  /** The counter whose `.handle` this is, typically in another thread. @example `const counter = AtomicCounter.from(handle);` */
  static from(handle: AtomicCounterHandle): AtomicCounter {
    return adopting(viewOfHandle(handle, 'AtomicCounter', COUNTER_WORDS), () => new AtomicCounter());
  }

  /** Plain data to post to a worker. @example `worker.postMessage(counter.handle)` */
  get handle(): AtomicCounterHandle {
    return handleOf('AtomicCounter', this.#word);
  }

  /** The current value. @example `counter.value` */
  get value(): number {
    return Atomics.load(this.#word, COUNTER_VALUE);
  }

  /** Adds `delta` (default 1) and returns the new value. @example `counter.add(5)` */
  add(delta = 1): number {
    checkInt32('delta', delta);
    return (Atomics.add(this.#word, COUNTER_VALUE, delta) + delta) | 0;
  }

  /** Subtracts `delta` (default 1) and returns the new value. @example `counter.sub()` */
  sub(delta = 1): number {
    checkInt32('delta', delta);
    return (Atomics.sub(this.#word, COUNTER_VALUE, delta) - delta) | 0;
  }

  /** Sets the value; returns the previous one. @example `counter.exchange(0)` */
  exchange(value: number): number {
    checkInt32('value', value);
    return Atomics.exchange(this.#word, COUNTER_VALUE, value);
  }

  /**
   * Sets the value to `replacement` only if it is `expected`; returns the value found (equal
   * to `expected` exactly when the swap happened).
   *
   * @example
   * ```ts
   * import { AtomicCounter } from 'loom/workers';
   * const counter = new AtomicCounter();
   * const seen = counter.compareExchange(0, 1);
   * if (seen === 0) console.log('we were first');
   * ```
   */
  compareExchange(expected: number, replacement: number): number {
    checkInt32('expected', expected);
    checkInt32('replacement', replacement);
    // Sequentially consistent: a successful swap is ordered with every other thread's operations on the word.
    return Atomics.compareExchange(this.#word, COUNTER_VALUE, expected, replacement);
  }
}
