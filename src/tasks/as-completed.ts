/**
 * `asCompleted`: Python's `concurrent.futures.as_completed` as an async generator.
 *
 * The futures that are already done when iteration starts come first, in input order; the
 * rest come in the order they finish. Each distinct future is yielded once. The iterator
 * watches each pending future through the internal `onDone` hook and removes what it
 * registered when iteration ends for any reason (exhausted, `break`, timeout, abort), so a
 * future that never finishes keeps nothing of an abandoned loop. A yielded future is no
 * longer referenced by the iterator (Python's issue #14406).
 *
 * Each step yields a `{ future, index }` record, not the bare future as Python does. A
 * `Future` is thenable, and TypeScript types the variable of `for await` as the *awaited*
 * element type, so a bare future would be typed as its result (and an async generator's
 * `yield` would really await it). The record is typed and delivered exactly; `index` tells
 * which input finished, which the common fan-out over an array needs anyway. Rejected: a
 * future typed without `then` (no longer a `Future` for `wait`, `Map` keys and the like).
 *
 * Like Python's generator, nothing happens until the first `next()`: the clock for `timeout`
 * starts there, and an iterator never iterated registers nothing. Rejected alternative: a
 * `Promise.race` per step (re-subscribes every pending future on every step, O(n^2)).
 *
 * @module
 */

import { Deadline, isForever, type WaitOptions } from '../core/deadline.js';
import { checkWaitOptions } from '../core/validate.js';
import { WaitQueue } from '../core/wait-queue.js';
import { collectFutures } from './collect-futures.js';
import { onDone, type Future } from './future.js';

/** One step of {@link asCompleted}: a future that is done, and where it first appeared in the input. */
export interface Completed<F extends Future<unknown>> {
  /** The future itself (finished or cancelled); read it with `result()` or `exception()`. */
  readonly future: F;
  /** The position of its first occurrence in the input. */
  readonly index: number;
}

/**
 * Yields the given futures as they complete (finish or are cancelled), like Python's
 * `as_completed`: first those already done, in input order, then each as it finishes, each as
 * a `{ future, index }` record (see {@link Completed}). A future given more than once is
 * yielded once. A failed future is yielded like any other; its error comes from `result()`.
 *
 * `timeout` bounds the whole iteration from the first `next()`: when it passes with futures
 * still pending, iteration throws `TimeoutError` (`asCompleted timed out after N
 * milliseconds`), after every future done by then was yielded. When `signal` aborts while
 * iteration waits, it throws `signal.reason`; an already aborted `signal` makes the first
 * `next()` throw, even if every future is done. Ending the loop early releases everything the
 * iterator registered; the futures themselves are not cancelled.
 *
 * @throws TypeError at the call when `futures` is not an iterable of `Future`s or the options are invalid.
 * @example
 * ```ts
 * import { Executor, asCompleted } from 'loom';
 * await using executor = new Executor({ maxWorkers: 4 });
 * const urls = ['https://example.com/a', 'https://example.com/b'];
 * const futures = urls.map((url) => executor.submit(fetch, url));
 * for await (const { future, index } of asCompleted(futures, { timeout: 10_000 })) {
 *   console.log(urls[index], (await future.result()).status);
 * }
 * ```
 */
export function asCompleted<F extends Future<unknown>>(
  futures: Iterable<F>,
  opts?: WaitOptions,
): AsyncGenerator<Completed<F>, void, undefined> {
  const unique = collectFutures(futures);
  checkWaitOptions(opts);
  return iterate(unique, opts);
}

async function* iterate<F extends Future<unknown>>(
  futures: Map<F, number>,
  opts: WaitOptions | undefined,
): AsyncGenerator<Completed<F>, void, undefined> {
  if (opts?.signal?.aborted) throw opts.signal.reason;
  /** Done at the start, in input order; reversed below so that `pop()` takes the next one. */
  const finished: Completed<F>[] = [];
  /** Finished since the start, oldest first; slots before `taken` were yielded and cleared. */
  const ready: (Completed<F> | undefined)[] = [];
  let taken = 0;
  /** The still-pending futures, each with the function that removes this iterator's callback from it. */
  const watching = new Map<F, () => void>();
  /** The iterator, parked while `finished` and `ready` are both empty. */
  const wake = new WaitQueue<undefined>();
  for (const [future, index] of futures) {
    if (future.done()) {
      finished.push({ future, index });
      continue;
    }
    const onFinish = (): void => {
      watching.delete(future);
      ready.push({ future, index });
      wake.wakeOne(undefined);
    };
    watching.set(future, onDone(future, onFinish));
  }
  futures.clear();
  finished.reverse();
  const deadline = isForever(opts) ? undefined : new Deadline(opts, 'asCompleted');
  const parkOpts = deadline === undefined ? undefined : { signal: deadline.signal };
  try {
    for (let step = finished.pop(); step !== undefined; step = finished.pop()) yield step;
    while (watching.size > 0 || taken < ready.length) {
      if (taken === ready.length) {
        ready.length = taken = 0;
        await wake.park(parkOpts, 'asCompleted');
        continue;
      }
      const step = ready[taken] as Completed<F>; // taken < ready.length: a slot not yet cleared
      ready[taken++] = undefined;
      yield step;
    }
  } finally {
    for (const unsubscribe of watching.values()) unsubscribe();
    deadline?.dispose();
  }
}
