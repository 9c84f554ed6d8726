/**
 * The result iterator behind `Executor.map`, like the `result_iterator` generator in Python's
 * `Executor.map` (`Lib/concurrent/futures/_base.py`).
 *
 * One `Deadline` bounds the whole iteration; it is created when iteration starts, not when
 * `map` is called, so an iterator that is never iterated arms no timer and adds no listener.
 * The futures are consumed from the front and released as they are yielded, so the iterator
 * holds no reference to a result it already gave out (Python's issue #14406). Leaving the
 * loop for any reason cancels every future not yet reached; those already running finish.
 *
 * @module
 */

import { Deadline, isForever, type WaitOptions } from '../core/deadline.js';
import type { Future } from './future.js';

/** Yields each future's result in order; see `Executor.map`. Internal. */
export async function* mapResults<R>(futures: Future<R>[], opts: WaitOptions | undefined): AsyncGenerator<R, void, undefined> {
  const deadline = isForever(opts) ? undefined : new Deadline(opts, 'Executor.map');
  const waitOpts = deadline === undefined ? undefined : { signal: deadline.signal };
  // Reversed so that `pop()` takes the next future and drops the array's reference to it.
  futures.reverse();
  try {
    if (deadline?.signal.aborted) throw deadline.signal.reason;
    for (let future = futures.pop(); future !== undefined; future = futures.pop()) {
      yield await future.result(waitOpts);
    }
  } finally {
    for (const future of futures) future.cancel();
    deadline?.dispose();
  }
}
