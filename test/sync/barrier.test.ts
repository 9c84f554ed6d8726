import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrokenBarrierError, TimeoutError } from '../../src/core/errors.js';
import { Barrier } from '../../src/sync/index.js';
import { abortListeners, flush, settle } from '../helpers.js';

const broken = (message: string, cause?: unknown): BrokenBarrierError =>
  new BrokenBarrierError(message, cause === undefined ? undefined : { cause });
const stillBroken = broken('Barrier is broken: call reset() before waiting on it again');

describe('Barrier', () => {
  it('reports its parties and starts empty and unbroken', () => {
    const barrier = new Barrier(3);
    expect(barrier.parties).toBe(3);
    expect(barrier.nWaiting).toBe(0);
    expect(barrier.broken).toBe(false);
  });

  it('holds everyone until the last party arrives, then resolves with arrival indices (test_wait_task_multi)', async () => {
    const barrier = new Barrier(3);
    const resolved: number[] = [];
    const first = barrier.wait().then((index) => resolved.push(index));
    const second = barrier.wait().then((index) => resolved.push(index));
    await flush();
    expect(resolved).toEqual([]);
    expect(barrier.nWaiting).toBe(2);
    const last = barrier.wait();
    expect(barrier.nWaiting).toBe(0);
    expect(await last).toBe(2);
    await Promise.all([first, second]);
    expect(resolved.sort()).toEqual([0, 1]);
  });

  it('is reusable round after round (test_barrier, several passes)', async () => {
    const barrier = new Barrier(2);
    for (let round = 0; round < 3; round++) {
      expect(await Promise.all([barrier.wait(), barrier.wait()])).toEqual([0, 1]);
    }
    expect(barrier.broken).toBe(false);
  });

  it('with one party never waits', async () => {
    const barrier = new Barrier(1);
    expect(await barrier.wait()).toBe(0);
    expect(await barrier.wait()).toBe(0);
  });

  it('abort breaks it for the waiters and every later wait until reset (test_abort)', async () => {
    const barrier = new Barrier(3);
    const waiting = [settle(barrier.wait()), settle(barrier.wait())];
    barrier.abort();
    barrier.abort();
    expect(barrier.broken).toBe(true);
    for (const result of await Promise.all(waiting)) {
      expect(result).toEqual({ ok: false, error: broken('Barrier was aborted while 2 of 3 parties had arrived') });
    }
    expect(await settle(barrier.wait())).toEqual({ ok: false, error: stillBroken });
    barrier.reset();
    expect(barrier.broken).toBe(false);
    const round = Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]);
    expect(await round).toEqual([0, 1, 2]);
  });

  it('reset wakes the waiters with BrokenBarrierError and leaves it usable (test_reset)', async () => {
    const barrier = new Barrier(3);
    const waiting = settle(barrier.wait());
    barrier.reset();
    expect(await waiting).toEqual({ ok: false, error: broken('Barrier was reset while 1 of 3 parties had arrived') });
    expect(barrier.broken).toBe(false);
    expect(barrier.nWaiting).toBe(0);
    expect(await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()])).toEqual([0, 1, 2]);
  });

  it('throws synchronously on bad arguments', () => {
    expect(() => new Barrier(0)).toThrow(new RangeError('Expected `parties` to be an integer >= 1, got `0` (number)'));
    expect(() => new Barrier(2.5)).toThrow(new RangeError('Expected `parties` to be an integer >= 1, got `2.5` (number)'));
    expect(() => new Barrier(undefined as any)).toThrow(new TypeError('Expected `parties` to be an integer >= 1, got `undefined`'));
    expect(() => new Barrier(2).wait({ signal: 'x' as any })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `"x"` (string)'));
  });

  describe('cancellation', () => {
    it('already aborted: rejects at once and does not count as an arrival', async () => {
      const barrier = new Barrier(2);
      const reason = new Error('early');
      expect(await settle(barrier.wait({ signal: AbortSignal.abort(reason) }))).toEqual({ ok: false, error: reason });
      expect(barrier.broken).toBe(false);
      expect(await Promise.all([barrier.wait(), barrier.wait()])).toEqual([0, 1]);
    });

    it('aborted while waiting: rejects with its reason and breaks the barrier for the others, as threading does', async () => {
      const barrier = new Barrier(3);
      const controller = new AbortController();
      const other = settle(barrier.wait());
      const quitter = settle(barrier.wait({ signal: controller.signal }));
      const reason = new Error('gave up');
      controller.abort(reason);
      expect(barrier.broken).toBe(true);
      expect(barrier.nWaiting).toBe(0);
      expect(await quitter).toEqual({ ok: false, error: reason });
      const result = await other;
      expect(result).toEqual({ ok: false, error: broken('Barrier was broken: a waiter gave up while 2 of 3 parties had arrived', reason) });
      expect(result.ok ? undefined : (result.error as Error).cause).toBe(reason);
      expect(abortListeners(controller.signal)).toBe(0);
    });

    it('breaks in the abort itself: a party arriving in the same tick cannot trip a barrier one short', async () => {
      const barrier = new Barrier(3);
      const controller = new AbortController();
      const first = settle(barrier.wait({ signal: controller.signal }));
      const second = settle(barrier.wait());
      controller.abort(new Error('leaving'));
      const third = await settle(barrier.wait());
      expect(third).toEqual({ ok: false, error: stillBroken });
      expect((await first).ok).toBe(false);
      expect((await second).ok).toBe(false);
    });

    it('tripped and aborted in the same tick: the waiter passes and the next round is not broken', async () => {
      const barrier = new Barrier(2);
      const controller = new AbortController();
      const waiting = settle(barrier.wait({ signal: controller.signal }));
      const last = barrier.wait();
      controller.abort(new Error('late'));
      expect(await waiting).toEqual({ ok: true, value: 0 });
      expect(await last).toBe(1);
      expect(barrier.broken).toBe(false);
      expect(await Promise.all([barrier.wait(), barrier.wait()])).toEqual([0, 1]);
      expect(abortListeners(controller.signal)).toBe(0);
    });

    it('an abort after reset does not break the new round', async () => {
      const barrier = new Barrier(2);
      const controller = new AbortController();
      const waiting = settle(barrier.wait({ signal: controller.signal }));
      barrier.reset();
      controller.abort(new Error('after reset'));
      expect((await waiting).ok).toBe(false);
      expect(barrier.broken).toBe(false);
    });
  });

  describe('timeouts', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('a waiter that times out rejects with TimeoutError and breaks the barrier (test_default_timeout)', async () => {
      const barrier = new Barrier(3);
      const patient = settle(barrier.wait());
      const hasty = settle(barrier.wait({ timeout: 50 }));
      await vi.advanceTimersByTimeAsync(50);
      const timeout = new TimeoutError('Barrier.wait timed out after 50 milliseconds');
      expect(await hasty).toEqual({ ok: false, error: timeout });
      expect(await patient).toEqual({ ok: false, error: broken('Barrier was broken: a waiter gave up while 2 of 3 parties had arrived', timeout) });
      expect(barrier.broken).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('clears the timer when the barrier trips in time', async () => {
      const barrier = new Barrier(2);
      const waiting = barrier.wait({ timeout: 1000 });
      expect(vi.getTimerCount()).toBe(1);
      await barrier.wait();
      expect(await waiting).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
