/**
 * `withTimeout(promiseOrFn, ms, opts)`: bounds how long the caller waits for some work, like
 * `p-timeout` and Python's `asyncio.wait_for`, with loom's one cancellation model.
 *
 * A timeout is a cancellation with a deadline (trio's `_timeouts.py`): the caller's `signal`
 * and the `ms` deadline are merged into one `Deadline`. Given a function, `withTimeout` calls it
 * with that merged signal, so the work itself stops when the time is up — the way to really
 * cancel something. Given a bare promise there is nothing to tell, so the promise is only
 * raced; it keeps running, and its later outcome is observed and dropped (never an unhandled
 * rejection).
 *
 * The returned promise settles as soon as the deadline passes or the signal aborts, without
 * waiting for the work to acknowledge the abort. Rejected alternative: waiting for the work to
 * settle first (as `asyncio.wait_for` does, where cancellation is injected at the next
 * `await`). In JavaScript cancellation is cooperative, so a function that ignores its signal
 * would make the timeout unbounded — the one thing a timeout must never be. Structured
 * waiting for the work is what `taskGroup` and `map` are for.
 *
 * @module
 */

import { Deadline } from '../core/deadline.js';
import { checkWaitOptions, expectation } from '../core/validate.js';
import { checkMilliseconds, rejected } from './sleep.js';

/** Options of {@link withTimeout}: the deadline itself is the `ms` argument. */
export interface WithTimeoutOptions {
  /** Gives up the wait when aborted: the call rejects with `signal.reason`, and a function's signal aborts too. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Waits for `promiseOrFn` for at most `ms` milliseconds.
 *
 * - Given a function, calls it at once with an `AbortSignal` that aborts when the time is up
 *   (reason: a `TimeoutError`, message `withTimeout timed out after N milliseconds`) or when
 *   `opts.signal` aborts (reason: `signal.reason`); resolves or rejects as the function does,
 *   if it does so first. A synchronous throw becomes the rejection.
 * - Given a promise (or any thenable), races it against the same deadline; the promise itself
 *   cannot be stopped, and its outcome after the deadline is dropped.
 * - The returned promise rejects as soon as the deadline passes or the signal aborts; it does
 *   not wait for the work to stop.
 * - `ms` is a number >= 0; `Infinity` never times out; `0` times out at once without calling
 *   the function. An already aborted `signal` rejects at once, also without calling it.
 *
 * No listener or timer is left behind once the returned promise settles.
 *
 * @throws {TypeError | RangeError} synchronously, for a bad `promiseOrFn`, `ms` or options.
 * @example
 * ```ts
 * import { TimeoutError, withTimeout } from 'loom';
 * const body = await withTimeout((signal) => fetch('https://example.com', { signal }), 5000).catch((error: unknown) => {
 *   if (error instanceof TimeoutError) return undefined; // withTimeout timed out after 5000 milliseconds
 *   throw error;
 * });
 * ```
 */
export function withTimeout<T>(promiseOrFn: PromiseLike<T> | ((signal: AbortSignal) => T | PromiseLike<T>), ms: number, opts?: WithTimeoutOptions): Promise<T> {
  const isFunction = typeof promiseOrFn === 'function';
  if (!isFunction && !isThenable(promiseOrFn)) {
    throw new TypeError(expectation('promiseOrFn', 'a promise or a function', promiseOrFn));
  }
  checkMilliseconds('ms', ms);
  checkWaitOptions(opts);
  // Born aborted when the signal already is (its reason wins) or `ms` is 0: the function is never called.
  const scope = new Deadline({ signal: opts?.signal, timeout: ms }, 'withTimeout');
  if (!isFunction) {
    // Handlers go on the bare promise now, whatever happens next: its rejection is always observed.
    const work = Promise.resolve(promiseOrFn);
    if (!scope.signal.aborted) return race(work, scope);
    work.catch(ignore);
    return rejected(scope.signal.reason);
  }
  if (scope.signal.aborted) return rejected(scope.signal.reason);
  let work: Promise<T>;
  try {
    work = Promise.resolve(promiseOrFn(scope.signal));
  } catch (error) {
    scope.dispose();
    return rejected(error);
  }
  return race(work, scope);
}

/** Settles with `work` or with `scope`'s abort reason, whichever comes first; disposes `scope` either way. */
async function race<T>(work: Promise<T>, scope: Deadline): Promise<T> {
  const { signal } = scope;
  let onAbort!: () => void; // assigned by the executor, which runs synchronously
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
  });
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    // `work.then` observes the work's rejection even when the deadline wins the race.
    const outcome = await Promise.race([work.then(wrapValue), aborted]);
    if (outcome === undefined) throw signal.reason;
    return outcome.value;
  } finally {
    // The listener lives on the scope's own signal; removing it leaves nothing behind either way.
    signal.removeEventListener('abort', onAbort);
    scope.dispose();
  }
}

function wrapValue<T>(value: T): { value: T } {
  return { value };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function ignore(): void {}
