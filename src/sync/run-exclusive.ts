/**
 * The body of every `runExclusive`: acquire, run, release in `finally`.
 *
 * The lock is held until `fn` settles, whatever the signal does: rejecting early on an abort
 * while `fn` still runs would let the next holder in beside it. So an abort during the run only
 * reaches `fn` through the signal it receives ("aborted while running: the task receives the
 * signal"); `fn` decides how fast to stop.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import type { Lock } from './lock.js';

/**
 * The work `runExclusive` runs while holding the lock or permit. It receives the caller's
 * `signal` (`undefined` when none was given) so that it can stop early on an abort; it may
 * return a value or a promise.
 *
 * @example
 * ```ts
 * import { Mutex, type ExclusiveFn } from 'loom/sync';
 * const save: ExclusiveFn<void> = async (signal) => {
 *   signal?.throwIfAborted();
 * };
 * await new Mutex().runExclusive(save, { signal: AbortSignal.timeout(1000) });
 * ```
 */
export type ExclusiveFn<R> = (signal: AbortSignal | undefined) => R | PromiseLike<R>;

/** Awaits `acquired`, runs `fn` holding it, and always releases the lock afterwards. @internal */
export async function runHolding<R>(acquired: Promise<Lock>, fn: ExclusiveFn<R>, opts: WaitOptions | undefined): Promise<Awaited<R>> {
  const lock = await acquired;
  try {
    return await fn(opts?.signal);
  } finally {
    lock.release();
  }
}
