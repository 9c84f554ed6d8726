/**
 * `BoundedSemaphore`: a `Semaphore` that refuses to be released past its initial value, like
 * Python's `threading.BoundedSemaphore` / `asyncio.BoundedSemaphore`, to catch a permit given
 * back twice.
 *
 * The error is an `InvalidStateError`, not Python's `ValueError` or a `RangeError`: no argument
 * is wrong (`release()` takes none), the object's state is (the same class reports "releasing a
 * lock that is not held" everywhere in loom). It is thrown synchronously, before anything
 * changes.
 *
 * The check `value >= initial` is exact: while anyone waits, `value` is 0 (a release hands its
 * permit over), so a bound >= 1 cannot be reached then; and with a bound of 0 every release is
 * one too many. As in Python, a stray `release()` while every permit is held is only caught
 * when the count would overflow, not when it happens.
 *
 * @module
 */

import { InvalidStateError } from '../core/errors.js';
import { Semaphore } from './semaphore.js';

/**
 * A {@link Semaphore} whose `value` never exceeds its initial value: a release past it throws.
 *
 * @example
 * ```ts
 * import { BoundedSemaphore } from 'loom/sync';
 * const pool = new BoundedSemaphore(2);
 * const permit = await pool.acquire();
 * permit.release();
 * permit.release(); // no-op: a handle returns its permit once
 * pool.release(); // throws InvalidStateError: released too many times
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  /** The initial value, which `value` may never exceed. */
  readonly #bound: number;

  /**
   * @param value the initial (and maximum) number of permits, an integer >= 0 (default 1).
   * @throws TypeError/RangeError synchronously when `value` is not an integer >= 0.
   */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  /**
   * Returns one permit, as {@link Semaphore.release} does.
   *
   * @throws InvalidStateError (synchronously, changing nothing) when every permit is already
   *   back: `BoundedSemaphore released too many times: value is already 2, its initial value`.
   */
  override release(): void {
    if (this.value >= this.#bound) {
      throw new InvalidStateError(`BoundedSemaphore released too many times: value is already ${this.value}, its initial value`);
    }
    super.release();
  }
}
