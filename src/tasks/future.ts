/**
 * `Future`: the handle to one piece of work's eventual result, like Python's
 * `concurrent.futures.Future` (`Lib/concurrent/futures/_base.py`).
 *
 * States: pending -> running -> finished, or pending -> cancelled. Only a pending future can
 * be cancelled; once an executor has called {@link Future.setRunningOrNotifyCancel} the work
 * runs to completion. Python keeps a fifth state, `CANCELLED_AND_NOTIFIED`, because its
 * `wait`/`as_completed` waiters are told about a cancellation only when a worker thread
 * dequeues the item; here there are no threads to wait for, so `cancel()` notifies result
 * waiters, done callbacks and `wait`/`asCompleted` at once and a cancelled future is done at
 * once.
 *
 * A future is a handle, not a promise: it stores its outcome as plain fields and creates a
 * promise only when someone asks (`result()`, `exception()`, `then`). A failed future that
 * nobody observes therefore never raises an unhandled rejection. Rejected alternative: one
 * internal promise settled by `setException` (it would need a dummy `catch` to stay quiet,
 * and `cancel()` would have to reject it with a shared error instance).
 *
 * Waiters park on a {@link WaitQueue}, so `result({ signal, timeout })` leaves no listener
 * or timer behind and costs nothing extra when called without options.
 *
 * A done callback that throws must not stop the others nor crash the process (Python logs
 * it with `LOGGER.exception`); here it becomes a process warning (`process.emitWarning`,
 * name `FutureCallbackWarning`, the thrown value as `cause`), printed to stderr by default
 * and observable with `process.on('warning')`. Rejected: re-throwing in a microtask (an
 * uncaught exception that kills the process) and swallowing it (invisible).
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import { CancelledError, InvalidStateError } from '../core/errors.js';
import { checkFunction, checkWaitOptions, describeValue } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';

type State = 'pending' | 'running' | 'cancelled' | 'finished';

/** One registered done callback; a fresh object per registration, so the same function may be added twice. */
interface Entry<T> {
  callback(this: void, future: Future<T>): void;
}

/**
 * Registers `callback` to run when `future` is done and returns a function that removes it
 * again (idempotent). Runs `callback` at once when the future is already done. For
 * `wait`/`asCompleted`, which must not leave callbacks on futures they stopped watching.
 * Internal: not re-exported from the package.
 * @internal
 */
export let onDone: <F extends Future<unknown>>(future: F, callback: (future: F) => void) => () => void;

/**
 * True when `future` finished by failing (not when it was cancelled or is not done): the
 * synchronous test `wait(..., { returnWhen: 'FIRST_EXCEPTION' })` needs.
 * Internal: not re-exported from the package.
 * @internal
 */
export let hasFailed: <T>(future: Future<T>) => boolean;

/**
 * The eventual result of one piece of work, usually returned by `Executor.submit`.
 *
 * A future is awaitable (`await future` is `await future.result()`), and it never causes an
 * unhandled rejection by itself: a failure surfaces only through the promises that
 * `result()`, `exception()` or `then` create for their callers.
 *
 * The `setRunningOrNotifyCancel`, `setResult` and `setException` methods are for executor
 * implementers, as in Python; code that only consumes futures never calls them.
 *
 * Being thenable has the usual consequence: returning a future from an async function, or
 * passing it to `Promise.resolve`, gives its result, not the future. Wrap it in an object to
 * pass the handle itself.
 *
 * @example
 * ```ts
 * import { Future } from 'loom';
 * const future = new Future<number>();
 * future.addDoneCallback((f) => console.log('done, cancelled:', f.cancelled()));
 * if (future.setRunningOrNotifyCancel()) future.setResult(42);
 * console.log(await future); // 42
 * ```
 */
export class Future<T> implements PromiseLike<T> {
  static {
    // `#subscribe` calls the callback with `future` itself, which is an `F`.
    onDone = (future, callback) => future.#subscribe(callback as (future: Future<unknown>) => void);
    hasFailed = (future) => future.#failed;
  }

  #state: State = 'pending';
  /** Meaningful only when `#state === 'finished' && !#failed`. */
  #value: T | undefined;
  /** Meaningful only when `#state === 'finished' && #failed`. */
  #error: unknown;
  /** True exactly when the future finished through `setException`. */
  #failed = false;
  /** Callbacks still to call; created on first use, `undefined` again once the future is done. */
  #callbacks: Set<Entry<T>> | undefined;
  /** Callers of `result()`/`exception()` parked until done; created on first use, `undefined` once done. */
  #waiters: WaitQueue<undefined> | undefined;

  /**
   * Waits until the future is done and returns its value.
   *
   * Rejects with the work's own error if it failed, a fresh `CancelledError` if the future was
   * cancelled, a `TimeoutError` (`Future.result timed out after N milliseconds`) when
   * `timeout` passes first, or `signal.reason` when `signal` aborts first (or was already
   * aborted, even if the future is done). Giving up the wait does not cancel the future.
   *
   * @example
   * ```ts
   * import type { Future } from 'loom';
   * declare const future: Future<number>;
   * const value = await future.result({ timeout: 1000 });
   * ```
   */
  result(opts?: WaitOptions): Promise<T> {
    checkWaitOptions(opts);
    return this.#result(opts);
  }

  /**
   * Waits until the future is done and returns the error the work failed with, or
   * `undefined` when it succeeded (so a work that threw `undefined` reads as a success, as in
   * Python). Rejects with a `CancelledError` when the future was cancelled; timeout and
   * signal behave as in {@link result} (`Future.exception timed out after N milliseconds`).
   *
   * @example
   * ```ts
   * import type { Future } from 'loom';
   * declare const future: Future<number>;
   * const error = await future.exception();
   * if (error !== undefined) console.error('task failed', error);
   * ```
   */
  exception(opts?: WaitOptions): Promise<unknown> {
    checkWaitOptions(opts);
    return this.#exception(opts);
  }

  /**
   * Cancels the future if it has not started running. Returns true if the future is now
   * cancelled (also when it already was), false when it is running or finished. A successful
   * cancel wakes every waiter and runs the done callbacks.
   *
   * @example
   * ```ts
   * import { Future } from 'loom';
   * const future = new Future<number>();
   * if (future.cancel()) console.log('it will never run');
   * ```
   */
  cancel(): boolean {
    if (this.#state === 'cancelled') return true;
    if (this.#state !== 'pending') return false;
    this.#state = 'cancelled';
    this.#notify();
    return true;
  }

  /** True when the future was cancelled. @example `if (future.cancelled()) return;` */
  cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /** True while the work is running (after `setRunningOrNotifyCancel`, before a result). @example `future.running()` */
  running(): boolean {
    return this.#state === 'running';
  }

  /** True when the future has a result, an error, or was cancelled. @example `future.done()` */
  done(): boolean {
    return this.#state === 'cancelled' || this.#state === 'finished';
  }

  /**
   * Calls `callback(future)` once the future is done (finished or cancelled), in the order the
   * callbacks were added; at once, synchronously, if it is done already. A callback that
   * throws does not stop the others: the error is reported as a `FutureCallbackWarning`
   * process warning with the thrown value as `cause`.
   *
   * @example
   * ```ts
   * import type { Future } from 'loom';
   * declare const future: Future<number>;
   * future.addDoneCallback((f) => {
   *   if (!f.cancelled()) void f.exception().then((error) => error && console.error(error));
   * });
   * ```
   */
  addDoneCallback(callback: (future: Future<T>) => void): void {
    checkFunction('callback', callback);
    this.#subscribe(callback);
  }

  /**
   * Makes the future awaitable: `await future` waits like {@link result} without options.
   *
   * @example
   * ```ts
   * import type { Future } from 'loom';
   * declare const future: Future<number>;
   * const value = await future;
   * ```
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.result().then(onFulfilled, onRejected);
  }

  /**
   * For executors, just before running the work: returns false if the future was cancelled
   * (the work must then not run), else marks it running, so that it can no longer be
   * cancelled, and returns true. Throws `InvalidStateError` when the future is already
   * running or finished (like Python's `set_running_or_notify_cancel`).
   *
   * @example
   * ```ts
   * import { Future } from 'loom';
   * const future = new Future<number>();
   * declare function compute(): number;
   * if (future.setRunningOrNotifyCancel()) future.setResult(compute());
   * ```
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === 'cancelled') return false;
    if (this.#state !== 'pending') {
      throw new InvalidStateError(`Future.setRunningOrNotifyCancel called on a ${this.#state} future`);
    }
    this.#state = 'running';
    return true;
  }

  /**
   * For executors: finishes the future with `value`, waking waiters and running done
   * callbacks. Allowed while pending or running; throws `InvalidStateError` once the future is
   * finished or cancelled.
   *
   * @example
   * ```ts
   * import { Future } from 'loom';
   * const future = new Future<number>();
   * future.setResult(42);
   * ```
   */
  setResult(value: T): void {
    this.#checkSettable('setResult');
    this.#value = value;
    this.#state = 'finished';
    this.#notify();
  }

  /**
   * For executors: finishes the future as failed with `error` (any value), waking waiters and
   * running done callbacks. Same states as {@link setResult}.
   *
   * @example
   * ```ts
   * import { Future } from 'loom';
   * const future = new Future<number>();
   * future.setException(new Error('boom'));
   * ```
   */
  setException(error: unknown): void {
    this.#checkSettable('setException');
    this.#error = error;
    this.#failed = true;
    this.#state = 'finished';
    this.#notify();
  }

  /** `Object.prototype.toString` gives `[object Future (running)]`. */
  get [Symbol.toStringTag](): string {
    return `Future (${this.#state})`;
  }

  /**
   * What `console.log` and `util.inspect` show (private fields are invisible to them):
   * `Future <running, callbacks: 1, waiters: 2>`, like Python's `repr` giving the state.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const state = this.#failed ? 'finished, failed' : this.#state;
    return `Future <${state}, callbacks: ${this.#callbacks?.size ?? 0}, waiters: ${this.#waiters?.size ?? 0}>`;
  }

  #checkSettable(method: string): void {
    if (this.done()) throw new InvalidStateError(`Future.${method} called on a ${this.#state} future`);
  }

  async #result(opts: WaitOptions | undefined): Promise<T> {
    await this.#waitDone(opts, 'Future.result');
    if (this.#state === 'cancelled') throw new CancelledError('Future was cancelled');
    if (this.#failed) throw this.#error;
    return this.#value as T; // finished without failing: #value holds the result
  }

  async #exception(opts: WaitOptions | undefined): Promise<unknown> {
    await this.#waitDone(opts, 'Future.exception');
    if (this.#state === 'cancelled') throw new CancelledError('Future was cancelled');
    return this.#failed ? this.#error : undefined;
  }

  async #waitDone(opts: WaitOptions | undefined, what: string): Promise<void> {
    if (opts?.signal?.aborted) throw opts.signal.reason;
    if (this.done()) return;
    this.#waiters ??= new WaitQueue();
    await this.#waiters.park(opts, what);
  }

  #subscribe(callback: (future: Future<T>) => void): () => void {
    if (this.done()) {
      this.#call(callback);
      return noop;
    }
    const entry: Entry<T> = { callback };
    const callbacks = (this.#callbacks ??= new Set());
    callbacks.add(entry);
    return () => callbacks.delete(entry);
  }

  #notify(): void {
    this.#waiters?.wakeAll(undefined);
    this.#waiters = undefined;
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (callbacks !== undefined) for (const { callback } of callbacks) this.#call(callback);
  }

  #call(callback: (future: Future<T>) => void): void {
    try {
      callback(this);
    } catch (error) {
      const what = error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error);
      const warning = new Error(`A Future done callback threw ${what}`, { cause: error });
      warning.name = 'FutureCallbackWarning';
      process.emitWarning(warning);
    }
  }
}

function noop(): void {}

