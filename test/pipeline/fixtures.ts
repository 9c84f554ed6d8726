/**
 * What the pipeline tests share: a stage function whose every call waits on its own deferred
 * (the test decides when, and how, each call ends), counting calls started and running, and a
 * source that counts its pulls and whether it was closed.
 */

import { vi } from 'vitest';
import { deferred, type Deferred } from '../helpers.js';

/** Fakes the clock the pipeline reads (`performance.now`) and its timers, leaving `setImmediate` (what `flush` uses) real. */
export function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
}

/** A stage function whose calls each wait on their own deferred. */
export interface Held<T, R> {
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>;
  /** Call `i`'s deferred, in call order. */
  calls: Deferred<R>[];
  items: T[];
  indices: number[];
  signals: AbortSignal[];
  /** Calls started so far. */
  started: () => number;
  /** Calls started and not yet settled. */
  running: () => number;
}

export function held<T = number, R = T>(): Held<T, R> {
  const calls: Deferred<R>[] = [];
  const items: T[] = [];
  const indices: number[] = [];
  const signals: AbortSignal[] = [];
  let running = 0;
  return {
    fn: async (item, index, signal) => {
      const call = deferred<R>();
      calls.push(call);
      items.push(item);
      indices.push(index);
      signals.push(signal);
      running++;
      try {
        return await call.promise;
      } finally {
        running--;
      }
    },
    calls,
    items,
    indices,
    signals,
    started: () => calls.length,
    running: () => running,
  };
}

/** A sync source of `0 .. count-1` counting its pulls and recording whether `return()` was called. */
export function countedSource(count: number): { source: Iterable<number>; pulled: () => number; closed: () => boolean } {
  let pulled = 0;
  let closed = false;
  const source: Iterable<number> = {
    [Symbol.iterator]: () => ({
      next: () => (pulled < count ? { done: false, value: pulled++ } : { done: true, value: undefined }),
      return: () => {
        closed = true;
        return { done: true, value: undefined };
      },
    }),
  };
  return { source, pulled: () => pulled, closed: () => closed };
}
