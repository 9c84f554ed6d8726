// Re-expresses CPython's Lib/test/test_concurrent_futures/executor.py and test_shutdown.py
// (test names in the comments) for an event-loop executor, plus bounded concurrency, the
// abort phases of shutdown/map, exact messages and leak checks.

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { InvalidStateError, TimeoutError } from '../../src/core/errors.js';
import { Executor } from '../../src/tasks/executor.js';
import type { ExecutorLike } from '../../src/tasks/executor-like.js';
import type { Future } from '../../src/tasks/future.js';
import { abortListeners, deferred, flush, settle, type Deferred } from '../helpers.js';
import { collect } from './fixtures.js';

const SHUT = new InvalidStateError('Cannot schedule new futures after shutdown');

/** Submits `count` tasks that each wait for their own deferred, recording starts and the peak of running tasks. */
function gated(executor: Executor, count: number) {
  const gates: Deferred<number>[] = Array.from({ length: count }, () => deferred<number>());
  const started: number[] = [];
  let active = 0;
  let peak = 0;
  const futures = gates.map((gate, i) =>
    executor.submit(async () => {
      started.push(i);
      peak = Math.max(peak, ++active);
      try {
        return await gate.promise;
      } finally {
        active--;
      }
    }),
  );
  return { gates, futures, started, peak: () => peak };
}

describe('new Executor', () => {
  it.each([
    [0, RangeError, '`0` (number)'],
    [-1, RangeError, '`-1` (number)'],
    [1.5, RangeError, '`1.5` (number)'],
    ['2', TypeError, '`"2"` (string)'],
  ] as const)('rejects maxWorkers %s (test_max_workers_negative)', (maxWorkers, Kind, got) => {
    expect(() => new Executor({ maxWorkers: maxWorkers as number })).toThrow(
      new Kind(`Expected \`maxWorkers\` to be an integer >= 1 or Infinity, got ${got}`),
    );
  });

  it('rejects options that are not an object, and defaults maxWorkers to Infinity', () => {
    expect(() => new Executor(3 as never)).toThrow(new TypeError('Expected `options` to be an options object, got `3` (number)'));
    expect(new Executor().maxWorkers).toBe(Infinity);
    expect(new Executor({ maxWorkers: 3 }).maxWorkers).toBe(3);
  });

  it('satisfies ExecutorLike', () => {
    expectTypeOf(new Executor()).toExtend<ExecutorLike<() => unknown>>();
    expectTypeOf(new Executor().submit(async (a: number, b: string) => `${a}${b}`, 1, 'x')).toEqualTypeOf<Future<string>>();
  });
});

describe('Executor.submit', () => {
  // test_submit
  it('runs the function with the given arguments and resolves its future', async () => {
    const executor = new Executor({ maxWorkers: 2 });
    expect(await executor.submit(Math.pow, 2, 8).result()).toBe(256);
    expect(await executor.submit(async (a: number, b: number) => a * b, 2, 21)).toBe(42);
  });

  it('starts the function synchronously when a slot is free', () => {
    const executor = new Executor({ maxWorkers: 1 });
    const fn = vi.fn(() => new Promise<never>(() => {}));
    const future = executor.submit(fn);
    expect(fn).toHaveBeenCalledOnce();
    expect(future.running()).toBe(true);
    expect(future.cancel()).toBe(false);
  });

  it('turns a synchronous throw and a rejection into a failed future', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const error = new Error('sync');
    const future = executor.submit(() => {
      throw error;
    });
    expect(future.running()).toBe(true); // settled a microtask later, never on submit's stack
    expect(await future.exception()).toBe(error);
    expect(await executor.submit(() => Promise.reject(new RangeError('async'))).exception()).toEqual(new RangeError('async'));
  });

  it('never runs more than maxWorkers at once, and starts queued work in FIFO order', async () => {
    const executor = new Executor({ maxWorkers: 2 });
    const { gates, futures, started, peak } = gated(executor, 5);
    expect(started).toEqual([0, 1]);
    expect(futures.map((f) => f.running())).toEqual([true, true, false, false, false]);
    gates[1]?.resolve(1);
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve(0);
    gates[2]?.resolve(2);
    await flush();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3]?.resolve(3);
    gates[4]?.resolve(4);
    expect(await Promise.all(futures)).toEqual([0, 1, 2, 3, 4]);
    expect(peak()).toBe(2);
  });

  it('never exceeds maxWorkers, whatever order the tasks finish in (fast-check scheduler)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 12 }), async (s, maxWorkers, count) => {
        const executor = new Executor({ maxWorkers });
        let active = 0;
        let peak = 0;
        const futures = Array.from({ length: count }, (_, i) =>
          executor.submit(async () => {
            peak = Math.max(peak, ++active);
            await s.schedule(Promise.resolve(), `task ${i}`);
            active--;
            return i;
          }),
        );
        await s.waitFor(executor.shutdown());
        expect(peak).toBeLessThanOrEqual(maxWorkers);
        expect(await Promise.all(futures)).toEqual(Array.from({ length: count }, (_, i) => i));
      }),
    );
  });

  it('skips a queued future that was cancelled', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const { gates, futures, started } = gated(executor, 3);
    expect(futures[1]?.cancel()).toBe(true);
    gates[0]?.resolve(0);
    await flush();
    expect(started).toEqual([0, 2]);
    gates[2]?.resolve(2);
    await executor.shutdown();
    expect(futures[1]?.cancelled()).toBe(true);
  });

  it('keeps an outcome the consumer set on the future itself', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const gate = deferred<number>();
    const future = executor.submit(() => gate.promise);
    future.setResult(-1);
    gate.resolve(5);
    await executor.shutdown();
    expect(await future).toBe(-1);
  });

  it('skips a queued function whose future a consumer settled or claimed through the public setters', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const gate = deferred();
    executor.submit(() => gate.promise);
    const fn = vi.fn(async () => 0);
    const settled = executor.submit(fn);
    const claimed = executor.submit(fn);
    settled.setResult(-1);
    claimed.setRunningOrNotifyCancel();
    const last = executor.submit(async () => 'ran');
    gate.resolve();
    expect(await last).toBe('ran');
    expect(fn).not.toHaveBeenCalled();
    expect(await settled).toBe(-1);
    expect(claimed.running()).toBe(true);
  });

  it('lets a done callback submit more work, which takes the freed slot', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    let second: Future<string> | undefined;
    const gate = deferred<string>();
    const first = executor.submit(async () => 'first');
    let queuedAtFirst: boolean | undefined;
    first.addDoneCallback(() => {
      second = executor.submit(() => gate.promise);
      queuedAtFirst = !second.running(); // the finishing task still holds the only slot
    });
    expect(await first).toBe('first');
    expect(queuedAtFirst).toBe(true);
    expect(second?.running()).toBe(true);
    gate.resolve('second');
    expect(await second?.result()).toBe('second');
  });

  it('survives a long run of queued functions that throw synchronously', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const gate = deferred();
    executor.submit(() => gate.promise);
    const futures = Array.from({ length: 20_000 }, () =>
      executor.submit(() => {
        throw new Error('sync');
      }),
    );
    gate.resolve();
    await executor.shutdown();
    expect(futures.every((f) => f.done() && !f.cancelled())).toBe(true);
  });

  it('rejects a non-function synchronously', () => {
    expect(() => new Executor().submit(undefined as never)).toThrow(new TypeError('Expected `fn` to be a function, got `undefined`'));
  });

  it('raises no unhandled rejection for failures nobody observes', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const executor = new Executor({ maxWorkers: 1 });
      executor.submit(() => Promise.reject(new Error('ignored')));
      executor.submit(() => {
        throw new Error('ignored too');
      });
      await executor.shutdown();
      await flush(2);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('Executor.shutdown', () => {
  // test_run_after_shutdown
  it('makes submit and map throw InvalidStateError at once', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    await executor.shutdown();
    expect(() => executor.submit(Math.pow, 2, 5)).toThrow(SHUT);
    expect(() => executor.map(String, [1])).toThrow(SHUT);
  });

  // test_hang_issue12364
  it('waits for running and queued work, which still runs after shutdown', async () => {
    const executor = new Executor({ maxWorkers: 2 });
    const { gates, futures, started } = gated(executor, 4);
    const shutdown = settle(executor.shutdown());
    let finished = false;
    void shutdown.then(() => (finished = true));
    gates.forEach((gate, i) => {
      if (i < 3) gate.resolve(i);
    });
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(finished).toBe(false);
    gates[3]?.resolve(3);
    expect(await shutdown).toEqual({ ok: true, value: undefined });
    expect(await Promise.all(futures)).toEqual([0, 1, 2, 3]);
  });

  // test_shutdown_no_wait
  it('with wait: false resolves at once and the work goes on', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const { gates, futures } = gated(executor, 2);
    await executor.shutdown({ wait: false });
    expect(futures.map((f) => f.done())).toEqual([false, false]);
    gates[0]?.resolve(0);
    gates[1]?.resolve(1);
    expect(await Promise.all(futures)).toEqual([0, 1]);
  });

  // test_cancel_futures
  it('with cancelFutures cancels the queued futures and lets the running ones finish', async () => {
    const executor = new Executor({ maxWorkers: 2 });
    const { gates, futures, started } = gated(executor, 5);
    const shutdown = executor.shutdown({ cancelFutures: true });
    expect(futures.map((f) => f.cancelled())).toEqual([false, false, true, true, true]);
    gates[0]?.resolve(0);
    gates[1]?.resolve(1);
    await shutdown;
    expect(started).toEqual([0, 1]);
    expect(await futures[0]?.exception()).toBeUndefined();
    expect(await futures[1]).toBe(1);
  });

  // test_hang_gh94440
  it('does not hang when the last queued future was cancelled', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const { gates, futures } = gated(executor, 2);
    futures[1]?.cancel();
    const shutdown = executor.shutdown();
    gates[0]?.resolve(0);
    await shutdown;
    expect(futures[1]?.cancelled()).toBe(true);
  });

  it('is idempotent: a later call can still cancel the queue and wait', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const { gates, futures } = gated(executor, 2);
    await executor.shutdown({ wait: false });
    const shutdown = executor.shutdown({ cancelFutures: true });
    expect(futures[1]?.cancelled()).toBe(true);
    gates[0]?.resolve(0);
    await shutdown;
    await executor.shutdown();
  });

  // test_context_manager_shutdown
  it('runs from `await using`, waiting for the work', async () => {
    let future: Future<number[]> | undefined;
    {
      await using executor = new Executor({ maxWorkers: 5 });
      expect(await collect(executor.map(Math.abs, [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]))).toEqual([5, 4, 3, 2, 1, 0, 1, 2, 3, 4]);
      future = executor.submit(async () => [1]);
    }
    expect(future.done()).toBe(true);
  });

  it('validates its options synchronously', () => {
    const executor = new Executor();
    expect(() => executor.shutdown({ wait: 'yes' as never })).toThrow(new TypeError('Expected `wait` to be a boolean, got `"yes"` (string)'));
    expect(() => executor.shutdown({ cancelFutures: 1 as never })).toThrow(
      new TypeError('Expected `cancelFutures` to be a boolean, got `1` (number)'),
    );
    expect(() => executor.shutdown({ timeout: Number.NaN })).toThrow(
      new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `NaN` (number)'),
    );
  });

  describe('bounded wait', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('times out with TimeoutError, the shutdown still in force and no timer left', async () => {
      const executor = new Executor({ maxWorkers: 1 });
      const { gates, futures } = gated(executor, 1);
      const outcome = settle(executor.shutdown({ timeout: 50 }));
      await vi.advanceTimersByTimeAsync(50);
      expect(await outcome).toEqual({ ok: false, error: new TimeoutError('Executor.shutdown timed out after 50 milliseconds') });
      expect(vi.getTimerCount()).toBe(0);
      expect(() => executor.submit(Math.abs, 1)).toThrow(SHUT);
      gates[0]?.resolve(0);
      expect(await futures[0]).toBe(0);
    });
  });

  describe('abort phases', () => {
    it('already aborted: rejects with the reason, but the executor is shut down', async () => {
      const executor = new Executor({ maxWorkers: 1 });
      expect(await settle(executor.shutdown({ signal: AbortSignal.abort('gone') }))).toEqual({ ok: false, error: 'gone' });
      expect(() => executor.submit(Math.abs, 1)).toThrow(SHUT);
    });

    it('aborted while waiting: rejects with the reason, leaves no listener, work goes on', async () => {
      const executor = new Executor({ maxWorkers: 1 });
      const { gates, futures } = gated(executor, 2);
      const controller = new AbortController();
      const outcome = settle(executor.shutdown({ signal: controller.signal }));
      await flush();
      controller.abort('enough');
      expect(await outcome).toEqual({ ok: false, error: 'enough' });
      expect(abortListeners(controller.signal)).toBe(0);
      gates[0]?.resolve(0);
      gates[1]?.resolve(1);
      expect(await Promise.all(futures)).toEqual([0, 1]);
    });
  });
});

describe('Executor.map', () => {
  // test_map
  it('yields results in input order whatever the finishing order', async () => {
    const executor = new Executor({ maxWorkers: 3 });
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    const results = collect(executor.map((i: number) => gates[i]?.promise, [0, 1, 2]));
    gates[2]?.resolve('c');
    gates[0]?.resolve('a');
    gates[1]?.resolve('b');
    expect(await results).toEqual(['a', 'b', 'c']);
    expect(await collect(executor.map((n: number) => n ** n, [0, 1, 2, 3]))).toEqual([1, 1, 4, 27]);
    expect(await collect(executor.map(String, []))).toEqual([]);
  });

  it('types the results as the awaited return type', async () => {
    const executor = new Executor();
    for await (const value of executor.map(async (n: number) => `${n}`, [1])) {
      expectTypeOf(value).toEqualTypeOf<string>();
      expect(value).toBe('1');
    }
  });

  it('submits every item at the call, like Python', () => {
    const executor = new Executor({ maxWorkers: 2 });
    const fn = vi.fn(() => new Promise<never>(() => {}));
    executor.map(fn, ['a', 'b', 'c']);
    expect(fn.mock.calls).toEqual([['a'], ['b']]);
  });

  // test_map_exception
  it('throws a failure when its turn comes and cancels the calls not started', async () => {
    const executor = new Executor({ maxWorkers: 3 });
    const tail = deferred<number>();
    const results = executor.map(
      (n: number) => (n === 0 ? Promise.reject(new RangeError('division by zero')) : n === 9 ? tail.promise : 1 / n),
      [1, 1, 0, 9, 5],
    );
    expect(await results.next()).toEqual({ done: false, value: 1 });
    expect(await results.next()).toEqual({ done: false, value: 1 });
    await expect(results.next()).rejects.toThrow(new RangeError('division by zero'));
    tail.resolve(9);
    await executor.shutdown();
    expect(await results.next()).toEqual({ done: true, value: undefined });
  });

  it('cancels the calls not started when the loop is left early', async () => {
    const executor = new Executor({ maxWorkers: 1 });
    const gate = deferred<number>();
    const fn = vi.fn((n: number) => (n === 2 ? gate.promise : n));
    for await (const value of executor.map(fn, [1, 2, 3])) {
      expect(value).toBe(1);
      break;
    }
    gate.resolve(2);
    await executor.shutdown();
    expect(fn.mock.calls).toEqual([[1], [2]]); // 2 had started when 1 finished; 3 was cancelled
  });

  it('cancels what it submitted when the items throw midway', () => {
    const executor = new Executor({ maxWorkers: 1 });
    const fn = vi.fn(() => new Promise<never>(() => {}));
    function* items() {
      yield 1;
      yield 2;
      throw new Error('bad input');
    }
    expect(() => executor.map(fn, items())).toThrow(new Error('bad input'));
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('validates its arguments synchronously', () => {
    const executor = new Executor();
    expect(() => executor.map(1 as never, [])).toThrow(new TypeError('Expected `fn` to be a function, got `1` (number)'));
    expect(() => executor.map(String, 5 as never)).toThrow(new TypeError('Expected `items` to be an iterable, got `5` (number)'));
    expect(() => executor.map(String, [], { timeout: -5 })).toThrow(
      new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-5` (number)'),
    );
  });

  describe('timeout', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    // test_map_timeout
    it('throws TimeoutError after the results that came in time, and leaves no timer', async () => {
      const executor = new Executor({ maxWorkers: 3 });
      const sleep = (ms: number) => new Promise<undefined>((resolve) => setTimeout(resolve, ms, undefined));
      const results: unknown[] = [];
      const run = (async () => {
        for await (const value of executor.map(sleep, [0, 0, 6000], { timeout: 5000 })) results.push(value);
      })();
      const outcome = settle(run);
      await vi.advanceTimersByTimeAsync(5000);
      expect(await outcome).toEqual({ ok: false, error: new TimeoutError('Executor.map timed out after 5000 milliseconds') });
      expect(results).toEqual([undefined, undefined]);
      await vi.advanceTimersByTimeAsync(1000);
      await executor.shutdown();
      expect(vi.getTimerCount()).toBe(0);
    });

    it('arms nothing for an iterator that is never iterated', () => {
      const executor = new Executor({ maxWorkers: 1 });
      const controller = new AbortController();
      executor.map(async (n: number) => n, [1], { timeout: 100, signal: controller.signal });
      expect(vi.getTimerCount()).toBe(0);
      expect(abortListeners(controller.signal)).toBe(0);
    });
  });

  describe('abort phases', () => {
    it('already aborted: submits nothing and the first next() rejects with the reason', async () => {
      const executor = new Executor({ maxWorkers: 1 });
      const fn = vi.fn(async (n: number) => n);
      const results = executor.map(fn, [1, 2], { signal: AbortSignal.abort('no') });
      expect(fn).not.toHaveBeenCalled();
      await expect(results.next()).rejects.toBe('no');
    });

    it('aborted while waiting: rejects with the reason, cancels the rest, leaves no listener', async () => {
      const executor = new Executor({ maxWorkers: 1 });
      const gate = deferred<number>();
      const fn = vi.fn((n: number) => (n === 1 ? gate.promise : n));
      const controller = new AbortController();
      const results = executor.map(fn, [1, 2], { signal: controller.signal });
      const first = results.next();
      await flush();
      expect(abortListeners(controller.signal)).toBe(1);
      controller.abort('stop');
      await expect(first).rejects.toBe('stop');
      expect(abortListeners(controller.signal)).toBe(0);
      gate.resolve(1);
      await executor.shutdown();
      expect(fn.mock.calls).toEqual([[1]]);
    });
  });
});
