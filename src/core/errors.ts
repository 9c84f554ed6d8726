/**
 * The error classes every layer shares.
 *
 * The taxonomy is small on purpose (after trio's `_core/_exceptions.py`): bad arguments are
 * plain `TypeError`/`RangeError`, thrown synchronously; a wait that ran out of time is a
 * {@link TimeoutError}; a resource that was closed under the caller is its own class; several
 * failures together are an `AggregateError` subclass. Every instance is created at the point
 * of failure (never a shared singleton), so each carries its own stack and `cause`.
 *
 * `name` is an own field so that `err.name` survives structured cloning to and from workers.
 *
 * @module
 */

/**
 * A wait ran past its `timeout`. `name === 'TimeoutError'`, like the `DOMException` that
 * `AbortSignal.timeout()` produces, so code that checks the name handles both.
 *
 * @example
 * ```ts
 * import { Mutex, TimeoutError } from 'loom';
 * const mutex = new Mutex();
 * using _held = mutex.tryAcquire()!;
 * await mutex.acquire({ timeout: 10 }).catch((error: unknown) => {
 *   if (!(error instanceof TimeoutError)) throw error;
 * });
 * ```
 */
export class TimeoutError extends Error {
  /** Always `'TimeoutError'`. */
  override name = 'TimeoutError';
}

/** A `Future` (or the work behind it) was cancelled before it produced a result. */
export class CancelledError extends Error {
  /** Always `'CancelledError'`. */
  override name = 'CancelledError';
}

/**
 * An operation is not valid in the object's current state: releasing a lock that is not held,
 * `taskDone()` called more times than items were put, `Condition.wait()` without the lock,
 * `spawn` on a finished task group, `submit` after `shutdown`.
 */
export class InvalidStateError extends Error {
  /** Always `'InvalidStateError'`. */
  override name = 'InvalidStateError';
}

/** `getNowait()` on an empty queue. Like Python's `queue.Empty`. */
export class QueueEmpty extends Error {
  /** Always `'QueueEmpty'`. */
  override name = 'QueueEmpty';
}

/** `putNowait()` on a full queue. Like Python's `queue.Full`. */
export class QueueFull extends Error {
  /** Always `'QueueFull'`. */
  override name = 'QueueFull';
}

/** The queue was closed: no more `put`s, and `get` finds nothing left. Like Python 3.13's `queue.ShutDown`. */
export class QueueClosed extends Error {
  /** Always `'QueueClosed'`. */
  override name = 'QueueClosed';
}

/** A `Barrier` was aborted or reset while parties were waiting. Like Python's `threading.BrokenBarrierError`. */
export class BrokenBarrierError extends Error {
  /** Always `'BrokenBarrierError'`. */
  override name = 'BrokenBarrierError';
}

/**
 * A task group failed: `errors` holds every child's failure except the cancellations the group
 * itself caused (errors thrown while a child cleaned up after the abort are kept), in the order
 * they happened. Like Python's `ExceptionGroup` from `asyncio.TaskGroup`.
 */
export class TaskGroupError extends AggregateError {
  /** Always `'TaskGroupError'`. */
  override name = 'TaskGroupError';
}
