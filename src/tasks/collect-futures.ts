/**
 * Argument handling shared by `wait` and `asCompleted`: both take any iterable of futures and,
 * like Python's `set(fs)`, treat a future listed twice as one.
 *
 * Only real {@link Future} instances are accepted (subclasses included): both functions watch
 * futures through the internal `onDone` hook, which a look-alike object would not have.
 *
 * @module
 */

import { expectation } from '../core/validate.js';
import { Future } from './future.js';

/**
 * The distinct futures of `futures`, in first-seen order, each with the index of its first
 * occurrence, for `wait` and `asCompleted`.
 * @throws TypeError when `futures` is not iterable or holds something other than a `Future`.
 * @internal
 */
export function collectFutures<F extends Future<unknown>>(futures: Iterable<F>): Map<F, number> {
  if (typeof (futures as Partial<Iterable<F>> | null | undefined)?.[Symbol.iterator] !== 'function') {
    throw new TypeError(expectation('futures', 'an iterable of futures', futures));
  }
  const unique = new Map<F, number>();
  let index = 0;
  for (const future of futures) {
    if (!(future instanceof Future)) throw new TypeError(expectation(`futures[${index}]`, 'a Future', future));
    if (!unique.has(future)) unique.set(future, index);
    index++;
  }
  return unique;
}
