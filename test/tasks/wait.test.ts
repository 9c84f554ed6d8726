// Re-expresses CPython's Lib/test/test_concurrent_futures/test_wait.py (test names in the
// comments), plus the abort phases, exact messages and checks that nothing is left registered
// on a future that never finishes. One deliberate difference: Python's CANCELLED_FUTURE (not
// yet noticed by an executor) counts as not done in `wait`; here a cancelled future is done
// at once, so it lands in `done`.

import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { Executor } from '../../src/tasks/executor.js';
import { Future } from '../../src/tasks/future.js';
import { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, wait } from '../../src/tasks/wait.js';
import { abortListeners, deferred, flush, settle } from '../helpers.js';
import { cancelled, failed, succeeded } from './fixtures.js';

describe('wait', () => {
  it('exports the three conditions under their Python names', () => {
    expect([FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED]).toEqual(['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED']);
  });

  // test_20369
  it('counts a future listed twice once', async () => {
    const future = new Executor().submit(async (x: number, y: number) => x * y, 1, 2);
    const { done, notDone } = await wait([future, future], { returnWhen: ALL_COMPLETED });
    expect(done).toEqual(new Set([future]));
    expect(notDone).toEqual(new Set());
  });

  // test_first_completed
  it('FIRST_COMPLETED returns when one future finishes', async () => {
    const executor = new Executor({ maxWorkers: 2 });
    const gate = deferred<number>();
    const quick = deferred<number>();
    const future1 = executor.submit(() => quick.promise);
    const future2 = executor.submit(() => gate.promise);
    const outcome = wait([future1, future2], { returnWhen: FIRST_COMPLETED });
    await flush();
    quick.resolve(42);
    const { done, notDone } = await outcome;
    expect(done).toEqual(new Set([future1]));
    expect(notDone).toEqual(new Set([future2]));
    expect(inspect(future2)).toBe('Future <running, callbacks: 0, waiters: 0>');
    gate.resolve(0);
  });

  // test_first_completed_some_already_completed
  it('FIRST_COMPLETED returns at once when some are already done', async () => {
    const pending = new Future<number>();
    const done1 = cancelled();
    const done2 = succeeded(1);
    const { done, notDone } = await wait([done1, done2, pending], { returnWhen: FIRST_COMPLETED });
    expect(done).toEqual(new Set([done1, done2]));
    expect(notDone).toEqual(new Set([pending]));
  });

  // test_first_exception
  it('FIRST_EXCEPTION returns when one future fails, not when one succeeds', async () => {
    const [future1, future2, future3] = [new Future<number>(), new Future<number>(), new Future<number>()];
    const outcome = wait([future1, future2, future3], { returnWhen: FIRST_EXCEPTION });
    let returned = false;
    void outcome.then(() => (returned = true));
    future1.setResult(42);
    await flush();
    expect(returned).toBe(false);
    future2.setException(new Error('this is an exception'));
    const { done, notDone } = await outcome;
    expect(done).toEqual(new Set([future1, future2]));
    expect(notDone).toEqual(new Set([future3]));
  });

  it('FIRST_EXCEPTION does not count a cancellation as a failure, and waits for all when none fails', async () => {
    const [a, b] = [new Future<number>(), new Future<number>()];
    const outcome = wait([a, b], { returnWhen: FIRST_EXCEPTION });
    let returned = false;
    void outcome.then(() => (returned = true));
    a.cancel();
    await flush();
    expect(returned).toBe(false);
    b.setResult(1);
    expect(await outcome).toEqual({ done: new Set([a, b]), notDone: new Set() });
  });

  // test_first_exception_some_already_complete
  it('FIRST_EXCEPTION counts already-done futures and returns on a later failure', async () => {
    const executor = new Executor({ maxWorkers: 2 });
    const gate = deferred();
    const ok = succeeded(42);
    const gone = cancelled();
    const future1 = executor.submit(() => Promise.reject(new RangeError('integer division or modulo by zero')));
    const future2 = executor.submit(() => gate.promise);
    const { done, notDone } = await wait([ok, gone, future1, future2], { returnWhen: FIRST_EXCEPTION });
    expect(done).toEqual(new Set([ok, gone, future1]));
    expect(notDone).toEqual(new Set([future2]));
    gate.resolve();
  });

  // test_first_exception_one_already_failed
  it('FIRST_EXCEPTION returns at once when one has already failed', async () => {
    const failure = failed();
    const pending = new Future<number>();
    expect(await wait([failure, pending], { returnWhen: FIRST_EXCEPTION })).toEqual({
      done: new Set([failure]),
      notDone: new Set([pending]),
    });
  });

  // test_all_completed, test_pending_calls_race
  it('ALL_COMPLETED (the default) returns when every future is done', async () => {
    const executor = new Executor({ maxWorkers: 10 });
    const old = [succeeded(1), cancelled(), failed()];
    const fresh = Array.from({ length: 100 }, (_, i) => executor.submit(async () => i));
    const { done, notDone } = await wait([...old, ...fresh]);
    expect(done).toEqual(new Set([...old, ...fresh]));
    expect(notDone.size).toBe(0);
    expect(await wait([])).toEqual({ done: new Set(), notDone: new Set() });
  });

  it('keeps the input order in both sets and the futures’ own types', async () => {
    const [a, b, c] = [succeeded(1), new Future<string>(), failed()];
    const result = await wait([a, b, c], { timeout: 0 });
    expect([...result.done]).toEqual([a, c]);
    expect([...result.notDone]).toEqual([b]);
    expectTypeOf(result.done).toEqualTypeOf<Set<Future<number> | Future<string>>>();
  });

  describe('timeout', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    // test_timeout
    it('resolves with the split when time runs out, without throwing and without a timer left', async () => {
      const old = [cancelled(), failed(), succeeded(1)];
      const pending = new Future<number>();
      let result: unknown;
      void wait([...old, pending], { timeout: 50, returnWhen: ALL_COMPLETED }).then((value) => (result = value));
      await vi.advanceTimersByTimeAsync(49);
      expect(result).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(result).toEqual({ done: new Set(old), notDone: new Set([pending]) });
      expect(vi.getTimerCount()).toBe(0);
      expect(inspect(pending)).toBe('Future <pending, callbacks: 0, waiters: 0>');
    });

    it('with timeout 0 reports the split at once', async () => {
      const pending = new Future<number>();
      expect(await wait([pending], { timeout: 0 })).toEqual({ done: new Set(), notDone: new Set([pending]) });
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('abort phases', () => {
    it('already aborted: rejects with the reason, even when the condition already holds', async () => {
      const signal = AbortSignal.abort('stop');
      expect(await settle(wait([succeeded(1)], { signal }))).toEqual({ ok: false, error: 'stop' });
    });

    it('aborted while waiting: rejects with the reason, leaves no listener and no callback', async () => {
      const controller = new AbortController();
      const pending = new Future<number>();
      const outcome = settle(wait([pending, succeeded(1)], { signal: controller.signal, timeout: 1000 }));
      await flush();
      expect(abortListeners(controller.signal)).toBe(1);
      expect(inspect(pending)).toBe('Future <pending, callbacks: 1, waiters: 0>');
      controller.abort(new Error('gave up'));
      expect(await outcome).toEqual({ ok: false, error: new Error('gave up') });
      expect(abortListeners(controller.signal)).toBe(0);
      expect(inspect(pending)).toBe('Future <pending, callbacks: 0, waiters: 0>');
      expect(pending.cancelled()).toBe(false);
    });

    it('a signal whose reason is a TimeoutError still rejects: only our own timeout resolves', async () => {
      const controller = new AbortController();
      const outcome = settle(wait([new Future<number>()], { signal: controller.signal }));
      await flush();
      const reason = new TimeoutError('the caller’s own deadline');
      controller.abort(reason);
      expect(await outcome).toEqual({ ok: false, error: reason });
    });
  });

  it('validates its arguments synchronously', () => {
    expect(() => wait(5 as never)).toThrow(new TypeError('Expected `futures` to be an iterable of futures, got `5` (number)'));
    expect(() => wait([new Future(), {} as never])).toThrow(
      new TypeError('Expected `futures[1]` to be a Future, got `[object Object]` (Object)'),
    );
    expect(() => wait([], { returnWhen: 'SOME' as never })).toThrow(
      new TypeError("Expected `returnWhen` to be 'FIRST_COMPLETED', 'FIRST_EXCEPTION' or 'ALL_COMPLETED', got `\"SOME\"` (string)"),
    );
    expect(() => wait([], { signal: {} as never })).toThrow(
      new TypeError('Expected `signal` to be an AbortSignal, got `[object Object]` (Object)'),
    );
  });
});
