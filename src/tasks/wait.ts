/**
 * `wait`: Python's `concurrent.futures.wait`.
 *
 * The condition is checked once against the futures' states at the call, then re-checked by
 * a done callback on each pending future; the caller parks on a {@link WaitQueue} until the
 * condition holds, the timeout passes, or the signal aborts. Every callback is removed in
 * `finally`, so waiting on a future that never finishes leaves nothing on it.
 *
 * As in Python, running out of time is not an error: `wait` then reports what is done so far.
 * An aborted `signal` is an error (it rejects with `signal.reason`), because it means the
 * caller gave up, not that time ran out. Python counts a cancelled future as done only once an
 * executor has noticed the cancellation (`CANCELLED_AND_NOTIFIED`); here a cancelled future
 * is done at once (see `Future`).
 *
 * @module
 */

import { TimeoutError } from '../core/errors.js';
import type { WaitOptions } from '../core/deadline.js';
import { checkWaitOptions, expectation } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { collectFutures } from './collect-futures.js';
import { hasFailed, onDone, type Future } from './future.js';

/** `wait` returns once any future finishes or is cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** `wait` returns once any future fails, or when all are done (so none failed). */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait` returns once every future is done. The default. */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** When `wait` returns, as in Python's `return_when`. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of {@link wait}. */
export interface WaitFuturesOptions extends WaitOptions {
  /** The condition to wait for. Default `'ALL_COMPLETED'`. */
  readonly returnWhen?: ReturnWhen | undefined;
}

/** The result of {@link wait}: Python's `DoneAndNotDoneFutures`. Each set keeps the input order. */
export interface DoneAndNotDone<F extends Future<unknown>> {
  /** The futures that were done (finished or cancelled) when `wait` returned. */
  readonly done: Set<F>;
  /** The others. */
  readonly notDone: Set<F>;
}

const RETURN_WHEN: readonly unknown[] = [FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED];

/**
 * Waits until the futures meet `returnWhen` (default `'ALL_COMPLETED'`) and reports which are
 * done, like Python's `concurrent.futures.wait`. A future listed twice counts once. With
 * `'FIRST_EXCEPTION'`, a cancelled future is not a failure. Returns at once when the
 * condition already holds (an empty list always does).
 *
 * When `timeout` passes first, resolves with the split at that moment; it does not throw,
 * as in Python. When `signal` aborts first (or was already aborted), rejects with
 * `signal.reason`. Either way the futures are left as they are.
 *
 * @throws TypeError at the call for a non-iterable, a non-`Future` element, or bad options.
 * @example
 * ```ts
 * import { Executor, wait } from 'loom';
 * await using executor = new Executor({ maxWorkers: 2 });
 * const futures = [executor.submit(async () => 1), executor.submit(async () => 2)];
 * const { done, notDone } = await wait(futures, { returnWhen: 'FIRST_COMPLETED', timeout: 1000 });
 * console.log(done.size, notDone.size);
 * ```
 */
export function wait<F extends Future<unknown>>(futures: Iterable<F>, opts?: WaitFuturesOptions): Promise<DoneAndNotDone<F>> {
  const unique = new Set(collectFutures(futures).keys());
  checkWaitOptions(opts);
  const returnWhen = opts?.returnWhen ?? ALL_COMPLETED;
  if (!RETURN_WHEN.includes(returnWhen)) {
    throw new TypeError(expectation('returnWhen', "'FIRST_COMPLETED', 'FIRST_EXCEPTION' or 'ALL_COMPLETED'", returnWhen));
  }
  return waitFor(unique, returnWhen, opts);
}

async function waitFor<F extends Future<unknown>>(
  futures: Set<F>,
  returnWhen: ReturnWhen,
  opts: WaitOptions | undefined,
): Promise<DoneAndNotDone<F>> {
  if (opts?.signal?.aborted) throw opts.signal.reason;
  let pending = 0;
  let met = false;
  for (const future of futures) {
    if (!future.done()) pending++;
    else if (returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && hasFailed(future))) met = true;
  }
  if (met || pending === 0) return split(futures);
  const wake = new WaitQueue<undefined>();
  const onFinish = (future: Future<unknown>): void => {
    pending--;
    if (pending === 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && hasFailed(future))) {
      wake.wakeOne(undefined);
    }
  };
  const unsubscribes: (() => void)[] = [];
  for (const future of futures) if (!future.done()) unsubscribes.push(onDone(future, onFinish));
  try {
    await wake.park(opts, 'wait');
  } catch (error) {
    // Only the timeout ends the wait without the caller's signal being aborted.
    if (opts?.signal?.aborted === true || !(error instanceof TimeoutError)) throw error;
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
  }
  return split(futures);
}

function split<F extends Future<unknown>>(futures: Set<F>): DoneAndNotDone<F> {
  const done = new Set<F>();
  const notDone = new Set<F>();
  for (const future of futures) (future.done() ? done : notDone).add(future);
  return { done, notDone };
}
