/**
 * Reading a child's output line by line, pulled: each `next()` takes what the stream has
 * buffered (`read()`), and only when nothing is there waits for `'readable'`. Pulling means
 * an abort or timeout between two lines loses nothing: no chunk is ever taken from the stream
 * for a consumer that has gone (which `events.on(stream, 'data')` or a racing `next()` would).
 *
 * Lines are split on `\n`; a `\r` before it is dropped too; the last line is yielded even
 * without a final newline. Breaking out of the loop leaves the stream open with its unread
 * data, so a later `communicate()` still returns the rest (a partial line already split off is
 * lost with the iterator).
 *
 * @module
 */

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { timeoutError, type WaitOptions } from '../../core/deadline.js';
import { watch } from '../termination/watch.js';

/** How a wait for more output gave up; `wake` ends the wait in progress, if any. */
interface Failure {
  /**
   * Set once the wait gave up: the caller's `signal.reason` (never undefined: `abort()` without
   * a reason gives an AbortError; typed `Error` for the linter, passed on unchanged) or a TimeoutError.
   */
  reason: Error | undefined;
  wake?: (() => void) | undefined;
}

/** Resolves when `stream` has data or ended; rejects with the failure's reason once it failed. */
function readable(stream: Readable, failure: Failure): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (): void => {
      stream.off('readable', settle);
      stream.off('end', settle);
      stream.off('close', settle);
      stream.off('error', settle);
      if (failure.reason !== undefined) reject(failure.reason);
      else resolve();
    };
    stream.on('readable', settle);
    stream.on('end', settle);
    stream.on('close', settle);
    stream.on('error', settle);
    failure.wake = settle;
  });
}

function checkFailure(failure: Failure): void {
  if (failure.reason !== undefined) throw failure.reason;
}

/** Yields the lines of `stream` (UTF-8), ending at end of file or when `opts` gives up. */
export async function* readLines(stream: Readable, opts: WaitOptions | undefined, what: string): AsyncGenerator<string, void, undefined> {
  const failure: Failure = { reason: undefined };
  const fail = (reason: unknown): void => {
    failure.reason = reason as Error;
    failure.wake?.();
  };
  if (opts?.signal?.aborted) throw opts.signal.reason;
  const dispose = watch(opts, () => fail(timeoutError(what, opts?.timeout ?? 0)), fail);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    while (true) {
      checkFailure(failure);
      const chunk = stream.read() as Buffer | null;
      if (chunk !== null) {
        pending += decoder.write(chunk);
        let newline = pending.indexOf('\n');
        while (newline !== -1) {
          const end = newline > 0 && pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
          const line = pending.slice(0, end);
          pending = pending.slice(newline + 1);
          yield line;
          checkFailure(failure);
          newline = pending.indexOf('\n');
        }
        continue;
      }
      if (stream.readableEnded || stream.destroyed) break;
      await readable(stream, failure);
      failure.wake = undefined;
    }
    pending += decoder.end();
    if (pending !== '') yield pending;
  } finally {
    dispose();
  }
}
