/**
 * What every shared-memory primitive has in common: its handle, the `Int32Array` view it works
 * on, and the two ways to wait on a word of it.
 *
 * - `blockingWait` parks the thread in `Atomics.wait`; only worker threads may call it, because
 *   a blocked main thread stops the whole event loop (timers, I/O, other workers' messages).
 * - `asyncWait` uses `Atomics.waitAsync`, which returns a promise and never blocks, so it is
 *   what the main thread uses. A `waitAsync` cannot be withdrawn, so a waiter that gives up
 *   (abort or timeout) wakes every waiter on the word with `Atomics.notify`: each of them
 *   re-checks the word and parks again (every caller loops; a spurious wake-up is harmless),
 *   and its own stale registration is gone, so it cannot swallow a later `notify(…, 1)` meant
 *   for a live waiter. Rejected: leaving the registration in place (a release's single
 *   `notify` could then wake nobody alive: a lost wake-up), and slicing the wait into short
 *   `waitAsync` timeouts (polling).
 *
 * A pending `Atomics.waitAsync` does not keep the process alive.
 *
 * @module
 */

import { isMainThread } from 'node:worker_threads';
import { InvalidStateError } from '../core/errors.js';
import { expectation } from '../core/validate.js';

/** What `Atomics.waitAsync` returns: a settled answer, or a promise of one. */
type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

/**
 * `Atomics.waitAsync`, typed here because it is ES2024 and the project's `lib` is ES2023 (Node
 * 20 has it). Bound, so it can be called detached.
 */
const waitAsync = (Atomics as unknown as { waitAsync(view: Int32Array, index: number, value: number): WaitAsyncResult }).waitAsync.bind(Atomics);

/**
 * What you post to a worker so that it can rebuild the same primitive with `X.from(handle)`:
 * plain data, so it survives structured cloning; the buffer is shared, not copied.
 */
export interface SharedHandle<Kind extends string> {
  /** Which primitive the words belong to; `from` checks it. */
  readonly kind: Kind;
  /** The memory the primitive lives in. */
  readonly buffer: SharedArrayBuffer;
  /** Where its words start, in bytes (a multiple of 4). */
  readonly byteOffset: number;
}

/** Where to place a primitive: in a buffer of your own (for instance one buffer holding several). */
export interface SharedPlacement {
  /** The memory to use; a fresh buffer of the right size when omitted. Must be a `SharedArrayBuffer`. */
  readonly buffer?: SharedArrayBuffer | undefined;
  /** Byte offset of the primitive's words in `buffer`: a multiple of 4. Default 0. */
  readonly byteOffset?: number | undefined;
}

/** The `Int32Array` of `words` words described by `placement`, checked; a fresh buffer when none is given. */
export function viewOf(placement: SharedPlacement | undefined, words: number): Int32Array {
  if (placement !== undefined && (typeof placement !== 'object' || placement === null)) {
    throw new TypeError(expectation('options', 'an options object', placement));
  }
  const buffer: unknown = placement?.buffer ?? new SharedArrayBuffer(words * 4);
  const byteOffset: unknown = placement?.byteOffset ?? 0;
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(expectation('buffer', 'a SharedArrayBuffer', buffer));
  }
  if (typeof byteOffset !== 'number') {
    throw new TypeError(expectation('byteOffset', 'a multiple of 4 >= 0', byteOffset));
  }
  if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset % 4 !== 0 || byteOffset + words * 4 > buffer.byteLength) {
    throw new RangeError(expectation('byteOffset', `a multiple of 4 with ${words * 4} bytes after it in a buffer of ${buffer.byteLength}`, byteOffset));
  }
  return new Int32Array(buffer, byteOffset, words);
}

/** The view a handle describes, after checking that it is a handle of `kind`. */
export function viewOfHandle(handle: unknown, kind: string, words: number): Int32Array {
  if (typeof handle !== 'object' || handle === null || (handle as { kind?: unknown }).kind !== kind) {
    throw new TypeError(expectation('handle', `the .handle of a ${kind}`, handle));
  }
  return viewOf(handle, words);
}

/** The handle for `view`. */
export function handleOf<Kind extends string>(kind: Kind, view: Int32Array): SharedHandle<Kind> {
  // viewOf only ever builds views over a SharedArrayBuffer.
  return { kind, buffer: view.buffer as SharedArrayBuffer, byteOffset: view.byteOffset };
}

/** Throws unless the calling thread may block; `what` names the method in the message. */
export function assertMayBlock(what: string): void {
  if (isMainThread) {
    throw new InvalidStateError(`${what} would block the main thread's event loop; use the asynchronous method on the main thread`);
  }
}

/** The absolute `performance.now()` by which a blocking wait with `timeout` ms gives up (`Infinity` when none). */
export function deadlineAt(timeout: number | undefined): number {
  return timeout === undefined || timeout === Infinity ? Infinity : performance.now() + timeout;
}

/**
 * Blocks while `view[index] === expected`, at most until `until` (a `performance.now()` time).
 * Returns false when the time is up (without waiting, if it already was), true otherwise.
 */
export function blockingWait(view: Int32Array, index: number, expected: number, until: number): boolean {
  // Atomics.wait compares view[index] with `expected` and parks in one atomic step, so a notify
  // that follows a change of the word can never fall between the caller's check and the park.
  if (until === Infinity) {
    Atomics.wait(view, index, expected);
    return true;
  }
  const left = until - performance.now();
  if (left <= 0) return false;
  return Atomics.wait(view, index, expected, left) !== 'timed-out';
}

/**
 * Resolves once `view[index]` was notified (or was not `expected` to begin with); rejects with
 * `signal.reason` when `signal` aborts first. Spurious resolutions are allowed: callers loop.
 */
export async function asyncWait(view: Int32Array, index: number, expected: number, signal: AbortSignal | undefined): Promise<void> {
  const wait = waitAsync(view, index, expected);
  if (!wait.async) return;
  if (signal === undefined) {
    await wait.value;
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      // Evicts our registration (and wakes the others, who re-check): see the header.
      Atomics.notify(view, index);
      reject(signal.reason);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    void wait.value.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
  if (signal.aborted) {
    // Woken, then aborted before this continuation ran: the wake-up may have been meant to let
    // us in; hand it to the next waiter (the same hand-off as core's WaitQueue `passOn`).
    Atomics.notify(view, index, 1);
    throw signal.reason;
  }
}

/** Set only while {@link adopting} runs a constructor: the existing words it adopts as they are. */
let adoptedWords: Int32Array | undefined;

/**
 * Runs `construct` (a `new X(...)`) so that its constructor adopts `view` instead of allocating
 * and initialising words: how `X.from(handle)` rebuilds a primitive over shared words another
 * thread already uses. Cleared in `finally`, so a constructor that throws cannot leave the next
 * `new X()` adopting stale words.
 */
export function adopting<T>(view: Int32Array, construct: () => T): T {
  adoptedWords = view;
  try {
    return construct();
  } finally {
    adoptedWords = undefined;
  }
}

/** For constructors: the words {@link adopting} hands over (taken once), or `undefined` for a fresh primitive. */
export function takeAdopted(): Int32Array | undefined {
  const words = adoptedWords;
  adoptedWords = undefined;
  return words;
}
