/**
 * The source pump: pulls the source one item at a time into the first stage's buffer, and
 * only once that buffer has room, so nothing is pulled that has nowhere to go (the memory
 * bound's "+ 1" is the one item between a pull and its put).
 *
 * - A sync iterable is pulled synchronously while there is room (no tick per item).
 * - An async iterable's `next()` is awaited; one pull at a time, never concurrently.
 * - A loom `Queue` (or `LifoQueue`, `PriorityQueue`) is read with `get`, the run's signal
 *   passed, so a teardown ends a wait on an open, empty queue at once; `close()` on the queue
 *   ends the run once the pipeline has drained what was put. Each item is marked `taskDone()`
 *   once it is in the first stage's buffer (the queue's own `for await` marks it after the
 *   loop body; here the body is handing it over). The pipeline does not own the queue and
 *   leaves it open on a teardown.
 *
 * When the run is torn down before the source ended, the source is closed with `return()`
 * (after the pull in progress, if any, has settled: an async iterator is not re-entered);
 * an error from `return()` counts as a failure of the run (the first one wins). A source
 * whose `next()` threw is not closed again (the iterator protocol: it is finished).
 *
 * @module
 */

import { QueueClosed } from '../core/errors.js';
import { BaseQueue } from '../queue/base-queue.js';
import { isThenable } from './call.js';
import type { Channel } from './channel.js';
import type { RunScope } from './spec.js';

/** What `pipeline()` accepts as a source. */
export type Source<T> = Iterable<T> | AsyncIterable<T>;

/** True when `value` is something `pipeline()` can pull from. */
export function isSource(value: unknown): value is Source<unknown> {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return true;
  return typeof value === 'object' && (Symbol.asyncIterator in value || Symbol.iterator in value);
}

/** Pulls `source` into `input` until it ends or the run stops, then closes `input`. Never rejects. */
export async function pump(scope: RunScope, source: Source<unknown>, input: Channel<unknown>): Promise<void> {
  try {
    if (source instanceof BaseQueue) await fromQueue(scope, source as BaseQueue<unknown>, input);
    else if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      await fromIterator(scope, (source as AsyncIterable<unknown>)[Symbol.asyncIterator](), input);
    } else await fromIterator(scope, (source as Iterable<unknown>)[Symbol.iterator](), input);
  } catch (error) {
    scope.fail(error);
  } finally {
    input.close();
  }
}

async function fromIterator(scope: RunScope, iterator: Iterator<unknown> | AsyncIterator<unknown>, input: Channel<unknown>): Promise<void> {
  for (;;) {
    const room = input.room();
    if (room !== undefined) await room;
    if (scope.stopped) break;
    let result = iterator.next(); // a throw here (or a rejection below) is the source's failure: not closed again
    if (isThenable(result)) result = await result;
    if (result.done === true) return;
    if (scope.stopped) break;
    void input.put(result.value); // accepted at once: there was room, and nothing else puts here
  }
  if (iterator.return !== undefined) await iterator.return();
}

async function fromQueue(scope: RunScope, queue: BaseQueue<unknown>, input: Channel<unknown>): Promise<void> {
  const opts = { signal: scope.signal };
  for (;;) {
    const room = input.room();
    if (room !== undefined) await room;
    if (scope.stopped) return;
    let item: unknown;
    if (queue.size > 0) item = queue.getNowait();
    else {
      try {
        item = await queue.get(opts);
      } catch (error) {
        if (error instanceof QueueClosed || scope.stopped) return;
        throw error;
      }
    }
    void input.put(item); // accepted at once: there was room
    queue.taskDone();
  }
}
