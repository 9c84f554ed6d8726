/**
 * A timeout is a cancellation with a deadline (after trio's `_timeouts.py`): the caller's
 * `signal` and a `timeout` are merged into one `AbortSignal`, and everything downstream only
 * ever watches that one signal. There is no second mechanism.
 *
 * Every listener and timer a `Deadline` installs has one owner, the `Deadline` itself, and
 * `dispose()` removes them all; callers create one per operation and dispose it in `finally`.
 * We do not use `AbortSignal.timeout()` (its timer cannot be cleared and outlives the wait) nor
 * `AbortSignal.any()` (its followers stay attached to the parent until garbage collection,
 * which reads as a leaked listener while a long-lived parent signal is alive). The caller's
 * signal is watched through `abort-watch.ts`, so thousands of deadlines on one signal share
 * one listener.
 *
 * @module
 */

import { unwatchAbort, watchAbort, type AbortWatcher } from './abort-watch.js';
import { TimeoutError } from './errors.js';

/** The options every call that can wait accepts. */
export interface WaitOptions {
  /** Gives up the wait when aborted: the call rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
  /** Gives up after this many milliseconds: the call rejects with a `TimeoutError`. `Infinity` waits forever. */
  readonly timeout?: number | undefined;
}

/** setTimeout clamps longer delays to 1 ms (with a warning); longer deadlines re-arm in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One operation's cancellation scope. `signal` aborts when the caller's signal aborts (with its
 * reason) or when the timeout elapses (with a fresh `TimeoutError`), whichever comes first.
 */
export class Deadline implements Disposable {
  readonly #controller = new AbortController();
  /** Set while this deadline follows the caller's signal; `undefined` before, after dispose, and without one. */
  #watcher: AbortWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param what names the operation in the timeout message: `${what} timed out after ${ms} milliseconds`.
   */
  constructor(opts: WaitOptions | undefined, what: string) {
    const parent = opts?.signal;
    const timeout = opts?.timeout;
    if (parent?.aborted) {
      this.#controller.abort(parent.reason);
      return;
    }
    if (timeout !== undefined && timeout <= 0) {
      this.#controller.abort(timeoutError(what, timeout));
      return;
    }
    if (parent !== undefined) this.#watcher = watchAbort(parent, () => this.#abort(parent.reason));
    if (timeout !== undefined && timeout !== Infinity) this.#arm(what, timeout, Date.now() + timeout);
  }

  /** Aborted once the caller's signal aborts or the timeout elapses. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aborts this scope with `reason` (for owners that end the operation themselves). */
  abort(reason?: unknown): void {
    this.#abort(reason);
  }

  /** Removes the listener and the timer. Idempotent. */
  dispose(): void {
    if (this.#watcher !== undefined) unwatchAbort(this.#watcher);
    this.#watcher = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #arm(what: string, timeout: number, at: number): void {
    const left = at - Date.now();
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (at - Date.now() > 0 && left > MAX_TIMER_MS) this.#arm(what, timeout, at);
        else this.#abort(timeoutError(what, timeout));
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
  }

  #abort(reason: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.dispose();
    this.#controller.abort(reason);
  }
}

/** `${what} timed out after ${ms} milliseconds`, a fresh error each time. */
export function timeoutError(what: string, ms: number): TimeoutError {
  return new TimeoutError(`${what} timed out after ${ms} milliseconds`);
}

/** True when `opts` asks for neither a signal nor a timeout, so a wait can skip all cancellation machinery. */
export function isForever(opts: WaitOptions | undefined): boolean {
  return opts === undefined || (opts.signal === undefined && (opts.timeout === undefined || opts.timeout === Infinity));
}
