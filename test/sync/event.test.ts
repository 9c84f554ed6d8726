import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { Event } from '../../src/sync/index.js';
import { abortListeners, flush, settle } from '../helpers.js';

describe('Event', () => {
  it('starts unset; set and clear flip isSet (test_clear)', () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    event.set();
    expect(event.isSet()).toBe(true);
    event.set();
    expect(event.isSet()).toBe(true);
    event.clear();
    expect(event.isSet()).toBe(false);
  });

  it('wakes every waiter on set, in wait order (test_wait)', async () => {
    const event = new Event();
    const woken: number[] = [];
    const waits = [1, 2, 3].map((i) => event.wait().then(() => woken.push(i)));
    await flush();
    expect(woken).toEqual([]);
    event.set();
    await Promise.all(waits);
    expect(woken).toEqual([1, 2, 3]);
  });

  it('returns at once, with one shared promise, when already set (test_wait_on_set)', async () => {
    const event = new Event();
    event.set();
    const a = event.wait();
    expect(event.wait()).toBe(a);
    await expect(a).resolves.toBeUndefined();
  });

  it('waiters woken by set still resume after a quick clear (test_clear_with_waiters)', async () => {
    const event = new Event();
    const waiting = settle(event.wait());
    event.set();
    event.clear();
    expect(event.isSet()).toBe(false);
    expect(await waiting).toEqual({ ok: true, value: undefined });
    const later = vi.fn();
    void event.wait().then(later);
    await flush();
    expect(later).not.toHaveBeenCalled();
    event.set();
    await flush();
    expect(later).toHaveBeenCalledOnce();
  });

  it('already aborted: rejects with the reason even when set', async () => {
    const event = new Event();
    event.set();
    const reason = new Error('early');
    expect(await settle(event.wait({ signal: AbortSignal.abort(reason) }))).toEqual({ ok: false, error: reason });
  });

  it('aborted while waiting: rejects with the reason, leaves no listener, others still woken (test_wait_cancel)', async () => {
    const event = new Event();
    const controller = new AbortController();
    const quitter = settle(event.wait({ signal: controller.signal }));
    const stayer = settle(event.wait());
    controller.abort(new Error('bored'));
    expect(await quitter).toEqual({ ok: false, error: new Error('bored') });
    expect(abortListeners(controller.signal)).toBe(0);
    event.set();
    expect(await stayer).toEqual({ ok: true, value: undefined });
  });

  it('set then aborted in the same tick: the wake-up wins, there is nothing to give back', async () => {
    const event = new Event();
    const controller = new AbortController();
    const waiting = settle(event.wait({ signal: controller.signal }));
    event.set();
    controller.abort(new Error('late'));
    expect(await waiting).toEqual({ ok: true, value: undefined });
  });

  describe('timeouts', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('rejects with a TimeoutError after the timeout and leaves no timer', async () => {
      const event = new Event();
      const waiting = settle(event.wait({ timeout: 50 }));
      await vi.advanceTimersByTimeAsync(50);
      const result = await waiting;
      expect(result.ok ? undefined : result.error).toEqual(new TimeoutError('Event.wait timed out after 50 milliseconds'));
      expect(vi.getTimerCount()).toBe(0);
    });

    it('clears the timer when set in time, and a set event ignores timeout 0', async () => {
      const event = new Event();
      const waiting = event.wait({ timeout: 50 });
      await vi.advanceTimersByTimeAsync(49);
      event.set();
      await waiting;
      expect(vi.getTimerCount()).toBe(0);
      await expect(event.wait({ timeout: 0 })).resolves.toBeUndefined();
    });
  });

  it('throws synchronously on malformed options', () => {
    const event = new Event();
    expect(() => event.wait(null as any)).toThrow(new TypeError('Expected `options` to be an options object, got `null`'));
    expect(() => event.wait({ timeout: -5 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-5` (number)'));
  });
});
