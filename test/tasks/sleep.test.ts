import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { sleep } from '../../src/tasks/sleep.js';
import { abortListeners, activeTimers, flush, settle } from '../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Fake timers that leave setImmediate real, so that `flush()` still works. */
function useFakeTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

/** Tracks whether `promise` has settled, without leaving a rejection unhandled. */
function track(promise: Promise<unknown>): { settled: boolean; outcome: Promise<Awaited<ReturnType<typeof settle>>> } {
  const state = { settled: false, outcome: settle(promise) };
  void state.outcome.then(() => {
    state.settled = true;
  });
  return state;
}

describe('sleep', () => {
  it('resolves after the delay and not before', async () => {
    useFakeTimers();
    const slept = track(sleep(100));
    await vi.advanceTimersByTimeAsync(99);
    expect(slept.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await slept.outcome).toEqual({ ok: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits one timer turn for 0 ms', async () => {
    useFakeTimers();
    const slept = track(sleep(0));
    await flush();
    expect(slept.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(slept.settled).toBe(true);
  });

  it('keeps sleeping past the 24.8-day limit of one setTimeout', async () => {
    useFakeTimers();
    const limit = 2 ** 31 - 1;
    const slept = track(sleep(limit + 1000));
    await vi.advanceTimersByTimeAsync(limit);
    expect(slept.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(slept.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(slept.settled).toBe(true);
  });

  it('throws synchronously for a bad delay or bad options', () => {
    expect(() => sleep(-1)).toThrow(new RangeError('Expected `ms` to be a number of milliseconds >= 0, got `-1` (number)'));
    expect(() => sleep(Number.NaN)).toThrow(new RangeError('Expected `ms` to be a number of milliseconds >= 0, got `NaN` (number)'));
    expect(() => sleep('5' as any)).toThrow(new TypeError('Expected `ms` to be a number of milliseconds >= 0, got `"5"` (string)'));
    expect(() => sleep(1, 5 as any)).toThrow(new TypeError('Expected `options` to be an options object, got `5` (number)'));
    expect(() => sleep(1, { signal: {} as any })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `[object Object]` (Object)'));
    expect(() => sleep(1, { timeout: -5 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-5` (number)'));
  });

  it('rejects at once with the reason of an already aborted signal, starting no timer', async () => {
    useFakeTimers();
    const reason = new Error('stop');
    const slept = sleep(100, { signal: AbortSignal.abort(reason) });
    expect(vi.getTimerCount()).toBe(0);
    await expect(slept).rejects.toBe(reason);
  });

  it('clears its timer and rejects with the reason when aborted while sleeping', async () => {
    useFakeTimers();
    const controller = new AbortController();
    const slept = track(sleep(1000, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(500);
    expect(slept.settled).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort('shutting down');
    expect(await slept.outcome).toEqual({ ok: false, error: 'shutting down' });
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('leaves no real timer that would keep the process alive after an abort', async () => {
    const before = activeTimers();
    const controller = new AbortController();
    const slept = sleep(60_000, { signal: controller.signal });
    expect(activeTimers()).toBe(before + 1);
    controller.abort();
    await settle(slept);
    expect(activeTimers()).toBe(before);
  });

  it('parks any number of sleeps on one signal behind one listener, removed when the last one ends', async () => {
    useFakeTimers();
    const controller = new AbortController();
    const sleeps = [sleep(10, { signal: controller.signal }), sleep(20, { signal: controller.signal }), sleep(30, { signal: controller.signal })];
    expect(abortListeners(controller.signal)).toBe(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(abortListeners(controller.signal)).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(sleeps);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('rejects every sleep parked on a signal when it aborts, each with the reason', async () => {
    useFakeTimers();
    const controller = new AbortController();
    const sleeps = [10, 20, 30].map((ms) => track(sleep(ms, { signal: controller.signal })));
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('cancel');
    controller.abort(reason);
    expect(await Promise.all(sleeps.map((s) => s.outcome))).toEqual([
      { ok: true, value: undefined },
      { ok: false, error: reason },
      { ok: false, error: reason },
    ]);
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
    // The signal can be used again for nothing: a sleep on it now rejects at once.
    await expect(sleep(5, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('keeps the shared list whole whatever order the sleeps end in, and rejects the rest oldest first', async () => {
    useFakeTimers();
    const controller = new AbortController();
    const order: number[] = [];
    const sleeps = [50, 10, 40, 20, 5].map((ms) =>
      sleep(ms, { signal: controller.signal }).then(
        () => order.push(ms),
        () => order.push(-ms),
      ),
    );
    await vi.advanceTimersByTimeAsync(20); // the newest (5), then two in the middle (10, 20) leave the list
    controller.abort();
    await Promise.all(sleeps);
    expect(order).toEqual([5, 10, 20, -50, -40]);
    expect(abortListeners(controller.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sleeps forever with Infinity until the signal aborts, holding no timer', async () => {
    useFakeTimers();
    const controller = new AbortController();
    const slept = track(sleep(Infinity, { signal: controller.signal }));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 ** 9);
    expect(slept.settled).toBe(false);
    controller.abort('done');
    expect(await slept.outcome).toEqual({ ok: false, error: 'done' });
    expect(abortListeners(controller.signal)).toBe(0);
  });

  describe('sharing one timer', () => {
    /** `ms` sleeps on `signal`, each recording its own name when it resolves or rejects. */
    function sleepers(entries: readonly [name: string, ms: number][], signal: AbortSignal, order: string[]): Promise<unknown>[] {
      return entries.map(([name, ms]) =>
        sleep(ms, { signal }).then(
          () => order.push(name),
          () => order.push(`-${name}`),
        ),
      );
    }

    it('gives sleeps of one ms started in one millisecond one timer, ending them in start order at their time', async () => {
      useFakeTimers();
      const order: string[] = [];
      const sleeps = sleepers([['a', 100], ['b', 100], ['c', 100]], new AbortController().signal, order);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(99);
      expect(order).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await Promise.all(sleeps);
      expect(order).toEqual(['a', 'b', 'c']);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('gives a sleep of another ms, or started once the clock moved, a timer of its own', async () => {
      useFakeTimers();
      const order: string[] = [];
      const { signal } = new AbortController();
      const start = Date.now();
      const first = sleepers([['b', 60], ['a', 100]], signal, order);
      vi.advanceTimersByTime(50); // the same synchronous run, 50 ms later
      const later = sleepers([['c', 100]], signal, order);
      expect(vi.getTimerCount()).toBe(3);
      const at = async (ms: number): Promise<string[]> => {
        await vi.advanceTimersByTimeAsync(start + ms - Date.now());
        return [...order];
      };
      expect(await at(59)).toEqual([]);
      expect(await at(60)).toEqual(['b']);
      expect(await at(99)).toEqual(['b']);
      expect(await at(100)).toEqual(['b', 'a']);
      expect(await at(149)).toEqual(['b', 'a']); // c started at 50 and must not join a's timer
      expect(await at(150)).toEqual(['b', 'a', 'c']);
      await Promise.all([...first, ...later]);
      expect(order).toEqual(['b', 'a', 'c']);
    });

    it('gives a sleep started in a later synchronous run a timer of its own, even within the same millisecond', async () => {
      useFakeTimers();
      const { signal } = new AbortController();
      const order: string[] = [];
      const first = sleepers([['a', 100]], signal, order);
      await flush();
      const second = sleepers([['b', 100]], signal, order);
      expect(vi.getTimerCount()).toBe(2);
      await vi.advanceTimersByTimeAsync(100);
      await Promise.all([...first, ...second]);
      expect(order).toEqual(['a', 'b']);
    });

    it('keeps the timer for the sleeps still waiting when some are aborted, and clears it with the last', async () => {
      useFakeTimers();
      const stopA = new AbortController();
      const stopRest = new AbortController();
      const order: string[] = [];
      const sleeps = [...sleepers([['a', 100]], stopA.signal, order), ...sleepers([['b', 100], ['c', 100]], stopRest.signal, order)];
      expect(vi.getTimerCount()).toBe(1);
      stopA.abort();
      await flush();
      expect(order).toEqual(['-a']);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(order).toEqual(['-a', 'b', 'c']);

      const again = sleepers([['d', 100], ['e', 100]], stopRest.signal, order);
      expect(vi.getTimerCount()).toBe(1);
      stopRest.abort();
      await Promise.all([...sleeps, ...again]);
      expect(order).toEqual(['-a', 'b', 'c', '-d', '-e']);
      expect(vi.getTimerCount()).toBe(0);
      expect(abortListeners(stopRest.signal)).toBe(0);
    });

    it('lets a new sleep start a fresh timer once every sleep of the last one was aborted', async () => {
      useFakeTimers();
      const stop = new AbortController();
      const order: string[] = [];
      const aborted = sleepers([['a', 100]], stop.signal, order);
      stop.abort();
      const fresh = sleepers([['b', 100]], new AbortController().signal, order);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(100);
      await Promise.all([...aborted, ...fresh]);
      expect(order).toEqual(['-a', 'b']);
    });

    it('gives a sleep a fresh timer after a fake clock fired the shared one in the same synchronous run', async () => {
      useFakeTimers();
      const { signal } = new AbortController();
      const order: string[] = [];
      const first = sleepers([['a', 0]], signal, order);
      vi.runOnlyPendingTimers(); // fires a's timer now, without moving Date.now()
      const second = sleepers([['b', 0]], signal, order);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(0);
      await Promise.all([...first, ...second]);
      expect(order).toEqual(['a', 'b']);
    });

    it('leaves no real timer alive once every sleep of a shared timer is aborted', async () => {
      const before = activeTimers();
      const controller = new AbortController();
      const sleeps = [sleep(60_000, { signal: controller.signal }), sleep(60_000, { signal: controller.signal })];
      const armed = activeTimers() - before;
      expect(armed === 1 || armed === 2, `${armed} timers`).toBe(true); // two only when a millisecond ended in between
      controller.abort();
      await Promise.all(sleeps.map(settle));
      expect(activeTimers()).toBe(before);
    });
  });

  it('rejects with a TimeoutError when the timeout comes first, and clears both timers', async () => {
    useFakeTimers();
    const controller = new AbortController();
    const slept = track(sleep(1000, { signal: controller.signal, timeout: 100 }));
    await vi.advanceTimersByTimeAsync(99);
    expect(slept.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const outcome = await slept.outcome;
    expect(outcome).toEqual({ ok: false, error: new TimeoutError('sleep timed out after 100 milliseconds') });
    expect(outcome.ok ? undefined : outcome.error).toBeInstanceOf(TimeoutError);
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('resolves when the sleep ends before the timeout, and clears the timeout timer', async () => {
    useFakeTimers();
    const slept = track(sleep(100, { timeout: 1000 }));
    await vi.advanceTimersByTimeAsync(100);
    expect(await slept.outcome).toEqual({ ok: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once with a timeout of 0', async () => {
    useFakeTimers();
    await expect(sleep(10, { timeout: 0 })).rejects.toEqual(new TimeoutError('sleep timed out after 0 milliseconds'));
    expect(vi.getTimerCount()).toBe(0);
  });
});
