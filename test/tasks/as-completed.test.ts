// Re-expresses CPython's Lib/test/test_concurrent_futures/test_as_completed.py (test names in
// the comments), plus the abort phases, exact messages and checks that nothing is left
// registered on a future that never finishes.

import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { asCompleted, type Completed } from '../../src/tasks/as-completed.js';
import { Executor } from '../../src/tasks/executor.js';
import { Future } from '../../src/tasks/future.js';
import { abortListeners, deferred, flush, settle } from '../helpers.js';
import { cancelled, failed, succeeded } from './fixtures.js';

/** The futures `asCompleted` yields, in order. */
async function collect<F extends Future<unknown>>(iterable: AsyncIterable<{ future: F }>): Promise<F[]> {
  const out: F[] = [];
  for await (const { future } of iterable) out.push(future);
  return out;
}

describe('asCompleted', () => {
  // test_no_timeout
  it('yields every future with its index, done ones first, the futures themselves and not their results', async () => {
    const executor = new Executor({ maxWorkers: 2 });
    const done = [cancelled(), failed(), succeeded(42)];
    const running = [executor.submit(async () => 2 * 21), executor.submit(async () => 7 * 6)];
    const all = [...done, ...running];
    const steps: { future: Future<number>; index: number }[] = [];
    for await (const step of asCompleted(all)) steps.push(step);
    expect(steps.slice(0, 3)).toEqual(done.map((future, index) => ({ future, index })));
    expect(steps.every(({ future, index }) => all[index] === future)).toBe(true);
    expect(new Set(steps.map(({ future }) => future))).toEqual(new Set(all));
  });

  it('yields pending futures in the order they finish, cancellation included', async () => {
    const [a, b, c] = [new Future<number>(), new Future<number>(), new Future<number>()];
    const iterator = asCompleted([a, b, c]);
    const first = iterator.next();
    await flush();
    c.setResult(3);
    expect(await first).toEqual({ done: false, value: { future: c, index: 2 } });
    a.cancel();
    b.setException(new Error('b'));
    expect(await iterator.next()).toEqual({ done: false, value: { future: a, index: 0 } });
    expect(await iterator.next()).toEqual({ done: false, value: { future: b, index: 1 } });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  // test_duplicate_futures
  it('yields a future given several times once, with its first index, from any iterable', async () => {
    const future = succeeded(1);
    const other = succeeded(2);
    function* items() {
      yield future;
      yield future;
      yield other;
      yield future;
    }
    const steps: unknown[] = [];
    for await (const step of asCompleted(items())) steps.push(step);
    expect(steps).toEqual([
      { future, index: 0 },
      { future: other, index: 2 },
    ]);
    expect(await collect(asCompleted([]))).toEqual([]);
  });

  it('does nothing before the first next(): a future done by then counts as already done', async () => {
    const future = new Future<number>();
    const iterator = asCompleted([future]);
    expect(inspect(future)).toBe('Future <pending, callbacks: 0, waiters: 0>');
    future.setResult(1);
    expect(await iterator.next()).toEqual({ done: false, value: { future, index: 0 } });
  });

  describe('timeout', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    // test_future_times_out, test_correct_timeout_exception_msg
    it.each([0, 100])('after %s ms yields the done futures, then throws TimeoutError', async (timeout) => {
      const done = [cancelled(), failed(), succeeded(42)];
      const pending = new Future<number>();
      const yielded: Future<number>[] = [];
      const outcome = settle(
        (async () => {
          for await (const { future } of asCompleted([...done, pending], { timeout })) yielded.push(future);
        })(),
      );
      await vi.advanceTimersByTimeAsync(timeout);
      expect(await outcome).toEqual({ ok: false, error: new TimeoutError(`asCompleted timed out after ${timeout} milliseconds`) });
      expect(yielded).toEqual(done);
      expect(vi.getTimerCount()).toBe(0);
      expect(inspect(pending)).toBe('Future <pending, callbacks: 0, waiters: 0>');
    });

    it('clears its timer when every future finished in time', async () => {
      const future = new Future<number>();
      const iterator = asCompleted([future], { timeout: 1000 });
      const first = iterator.next(); // runs up to the wait synchronously (flush() would need real timers)
      expect(vi.getTimerCount()).toBe(1);
      future.setResult(1);
      expect(await first).toEqual({ done: false, value: { future, index: 0 } });
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('abort phases', () => {
    it('already aborted: the first next() rejects with the reason, even when all are done', async () => {
      const iterator = asCompleted([succeeded(1)], { signal: AbortSignal.abort('stop') });
      await expect(iterator.next()).rejects.toBe('stop');
    });

    it('aborted while waiting: rejects with the reason and leaves no listener and no callback', async () => {
      const controller = new AbortController();
      const pending = new Future<number>();
      const iterator = asCompleted([succeeded(1), pending], { signal: controller.signal });
      expect((await iterator.next()).done).toBe(false);
      const next = iterator.next();
      await flush();
      expect(abortListeners(controller.signal)).toBe(1);
      expect(inspect(pending)).toBe('Future <pending, callbacks: 1, waiters: 0>');
      controller.abort('stop');
      await expect(next).rejects.toBe('stop');
      expect(abortListeners(controller.signal)).toBe(0);
      expect(inspect(pending)).toBe('Future <pending, callbacks: 0, waiters: 0>');
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });

    it('leaving the loop early removes its callbacks and does not cancel the futures', async () => {
      const pending = new Future<number>();
      for await (const { future } of asCompleted([succeeded(1), pending])) {
        expect(await future.result()).toBe(1);
        break;
      }
      expect(inspect(pending)).toBe('Future <pending, callbacks: 0, waiters: 0>');
      expect(pending.cancelled()).toBe(false);
    });
  });

  it('hands the consumer futures from a real executor as they finish', async () => {
    const executor = new Executor({ maxWorkers: 3 });
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    const futures = gates.map((gate) => executor.submit(() => gate.promise));
    const order: string[] = [];
    const consumer = (async () => {
      for await (const { future } of asCompleted(futures)) order.push(await future.result());
    })();
    for (const i of [1, 2, 0]) {
      gates[i]?.resolve(`task ${i}`);
      await flush();
    }
    await consumer;
    expect(order).toEqual(['task 1', 'task 2', 'task 0']);
  });

  it('types each step as the record it is, whatever `for await` does to thenables', async () => {
    const iterator = asCompleted([succeeded(1), new Future<string>()], { timeout: 0 });
    expectTypeOf(iterator).toEqualTypeOf<AsyncGenerator<Completed<Future<number> | Future<string>>, void, undefined>>();
    const seen: Future<unknown>[] = [];
    await settle(
      (async () => {
        for await (const step of iterator) {
          expectTypeOf(step.future).toEqualTypeOf<Future<number> | Future<string>>();
          seen.push(step.future);
        }
      })(),
    );
    expect(seen.length).toBe(1);
    expect(seen[0]).toBeInstanceOf(Future);
  });

  it('validates its arguments synchronously', () => {
    expect(() => asCompleted(null as never)).toThrow(new TypeError('Expected `futures` to be an iterable of futures, got `null`'));
    expect(() => asCompleted([succeeded(1), 1 as never])).toThrow(new TypeError('Expected `futures[1]` to be a Future, got `1` (number)'));
    expect(() => asCompleted([], { timeout: 'soon' as never })).toThrow(
      new TypeError('Expected `timeout` to be a number of milliseconds >= 0, got `"soon"` (string)'),
    );
  });
});
