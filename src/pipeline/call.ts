/**
 * One input's call, with the stage's per-attempt `timeout` and its `retries`.
 *
 * The fast path (no timeout) is the bare call: `fn(item, index, signal)` with the run's one
 * signal, awaited only when it returned a thenable, so a synchronous stage costs no tick.
 *
 * A per-attempt `timeout` is a `Deadline` on the run's signal: when it elapses, the attempt's
 * signal aborts with a `TimeoutError` (`Stage "resize" timed out after 50 milliseconds`) and
 * the attempt fails at once, without waiting for the call to notice — as `withTimeout` does,
 * because a timeout that waits for a call ignoring its signal would be no bound at all (the
 * late outcome is dropped, never an unhandled rejection). When the *run* is torn down, by
 * contrast, the attempt waits for its call to settle: that is the run's "nothing left running".
 *
 * A retry happens only while the run goes on; its delay is a `sleep` on the run's signal, so a
 * teardown cuts it short.
 *
 * @module
 */

import { unwatchAbort, watchAbort } from '../core/abort-watch.js';
import { Deadline } from '../core/deadline.js';
import { sleep } from '../tasks/sleep.js';
import { checkMs, type ResolvedStageOptions } from './options.js';
import type { StageMeter } from './stats.js';

/** What a call needs from its run. */
export interface CallScope {
  /** The run's signal: aborted on teardown. */
  readonly signal: AbortSignal;
  /** True once the run is torn down (mirrors `signal.aborted` as a plain field). */
  readonly stopped: boolean;
}

/** A stage function, as the stage's workers call it. */
export type StageFn = (item: unknown, index: number, signal: AbortSignal) => unknown;

/** True for a promise or any object with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** One attempt: the call's value, a promise of it, or a synchronous throw. */
export function attempt(scope: CallScope, fn: StageFn, item: unknown, index: number, timeout: number, what: string): unknown {
  if (timeout === Infinity) return fn(item, index, scope.signal);
  return timedAttempt(scope, fn, item, index, timeout, what);
}

async function timedAttempt(scope: CallScope, fn: StageFn, item: unknown, index: number, timeout: number, what: string): Promise<unknown> {
  const deadline = new Deadline({ signal: scope.signal, timeout }, what);
  try {
    const { signal } = deadline;
    if (signal.aborted) throw signal.reason;
    const call = Promise.resolve(fn(item, index, signal));
    return await new Promise<unknown>((resolve, reject) => {
      // Only the attempt's own timeout ends the wait early; a teardown waits for the call.
      const watcher = watchAbort(signal, () => {
        if (!scope.signal.aborted) reject(signal.reason);
      });
      call.then(
        (value) => {
          unwatchAbort(watcher);
          resolve(value);
        },
        (error: unknown) => {
          unwatchAbort(watcher);
          reject(error);
        },
      );
    });
  } finally {
    deadline.dispose();
  }
}

/**
 * The re-attempts after a first failure (`error`): resolves with the first success, rejects
 * with the last failure once `retries` are spent, or with `error` as soon as the run stops.
 */
export async function retry(scope: CallScope, fn: StageFn, item: unknown, index: number, opts: ResolvedStageOptions, meter: StageMeter, what: string, error: unknown): Promise<unknown> {
  let last = error;
  for (let n = 1; n <= opts.retries && !scope.stopped; n++) {
    const delay = typeof opts.retryDelay === 'number' ? opts.retryDelay : opts.retryDelay(n);
    checkMs('retryDelay', delay); // a function's answer is checked like the option (its throw fails the item)
    if (delay > 0) {
      try {
        await sleep(delay, { signal: scope.signal });
      } catch {
        throw last; // torn down while waiting: the item ends with its last failure
      }
    }
    meter.retried++;
    try {
      const value = attempt(scope, fn, item, index, opts.timeout, what);
      return isThenable(value) ? await value : value;
    } catch (failure) {
      last = failure;
    }
  }
  throw last;
}
