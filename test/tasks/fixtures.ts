/**
 * Sources, mappers and futures the tasks tests share: a source that counts its pulls, a mapper
 * whose every call waits on its own deferred (the test decides when each finishes), and futures
 * already settled each way.
 */

import { Future } from '../../src/tasks/future.js';
import { deferred, flush, type Deferred } from '../helpers.js';

/** A source that counts how many items were pulled and whether it was closed. */
export interface Counted<S> {
  source: S;
  pulled: () => number;
  closed: () => boolean;
}

/** A sync generator of `0 .. count-1` that counts its pulls and records whether it was closed. */
export function counted(count: number): Counted<Generator<number>> {
  let pulled = 0;
  let closed = false;
  function* generate(): Generator<number> {
    try {
      for (let i = 0; i < count; i++) {
        pulled++;
        yield i;
      }
    } finally {
      closed = true;
    }
  }
  return { source: generate(), pulled: () => pulled, closed: () => closed };
}

/** The async version of {@link counted}: each item comes one macrotask later. */
export function countedAsync(count: number): Counted<AsyncGenerator<number>> {
  let pulled = 0;
  let closed = false;
  async function* generate(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < count; i++) {
        await flush();
        pulled++;
        yield i;
      }
    } finally {
      closed = true;
    }
  }
  return { source: generate(), pulled: () => pulled, closed: () => closed };
}

/** A mapper whose calls each wait on their own deferred, recording their items and signals. */
export function held<T = number>(): {
  fn: (item: T, index: number, signal: AbortSignal) => Promise<T>;
  calls: Deferred<T>[];
  signals: AbortSignal[];
  items: T[];
} {
  const calls: Deferred<T>[] = [];
  const signals: AbortSignal[] = [];
  const items: T[] = [];
  return {
    calls,
    signals,
    items,
    fn: (item, _index, signal) => {
      const call = deferred<T>();
      calls.push(call);
      signals.push(signal);
      items.push(item);
      return call.promise;
    },
  };
}

/** Every value `iterable` yields, in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/** A future that already succeeded with `value`. */
export function succeeded(value: number): Future<number> {
  const future = new Future<number>();
  future.setResult(value);
  return future;
}

/** A future that already failed with `Error('failed')`. */
export function failed(): Future<number> {
  const future = new Future<number>();
  future.setException(new Error('failed'));
  return future;
}

/** A future cancelled before it ran. */
export function cancelled(): Future<number> {
  const future = new Future<number>();
  future.cancel();
  return future;
}
