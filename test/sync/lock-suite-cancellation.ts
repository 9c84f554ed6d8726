/**
 * The cancellation half of the shared exclusive-lock suite (`lock-suite.ts`): the three abort
 * phases, the hand-off race, timeouts on a fake clock, and bad options.
 */

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { abortListeners, flush, settle } from '../helpers.js';
import { queueUp, type ExclusiveLock } from './exclusive-lock.js';

/**
 * @param what the `Class.acquire` that names a timeout in its message.
 */
export function cancellationSuite(what: string, make: () => ExclusiveLock): void {
  describe('cancellation', () => {
    it('already aborted: rejects with the reason at once even when free, and does not take the lock', async () => {
      const lock = make();
      const reason = new Error('too late');
      expect(await settle(lock.acquire({ signal: AbortSignal.abort(reason) }))).toEqual({ ok: false, error: reason });
      expect(lock.locked).toBe(false);
    });

    it('aborted while waiting: leaves the queue, rejects with the reason, keeps the others in order (test_acquire_cancel)', async () => {
      const lock = make();
      const first = await lock.acquire();
      const controller = new AbortController();
      const before = queueUp(lock, ['before']);
      const quitter = settle(lock.acquire({ signal: controller.signal }));
      const after = queueUp(lock, ['after']);
      controller.abort(new Error('quit'));
      expect(await quitter).toMatchObject({ ok: false, error: new Error('quit') });
      expect(abortListeners(controller.signal)).toBe(0);
      first.release();
      await flush();
      expect(before.order).toEqual(['before']);
      before.holds.get('before')?.release();
      await flush();
      expect(after.order).toEqual(['after']);
      after.holds.get('after')?.release();
      expect(lock.locked).toBe(false);
    });

    it('woken and aborted in the same tick: passes the lock on and holds nothing (hand-off race)', async () => {
      const lock = make();
      const first = await lock.acquire();
      const controller = new AbortController();
      const quitter = settle(lock.acquire({ signal: controller.signal }));
      const next = queueUp(lock, ['next']);
      first.release(); // hands the lock to the quitter...
      controller.abort(new Error('changed my mind')); // ...which gives up before it resumes
      expect(await quitter).toMatchObject({ ok: false, error: new Error('changed my mind') });
      await flush();
      expect(next.order).toEqual(['next']);
      next.holds.get('next')?.release();
      expect(lock.locked).toBe(false);
    });

    it('woken and aborted in the same tick with nobody behind: the lock ends up free', async () => {
      const lock = make();
      const first = await lock.acquire();
      const controller = new AbortController();
      const quitter = settle(lock.acquire({ signal: controller.signal }));
      first.release();
      controller.abort(new Error('gone'));
      expect((await quitter).ok).toBe(false);
      expect(lock.locked).toBe(false);
    });

    it('a waiter cancelled while the holder releases does not stall the next one (test_cancel_race)', async () => {
      const lock = make();
      const a = await lock.acquire();
      const controllerB = new AbortController();
      const b = settle(lock.acquire({ signal: controllerB.signal }));
      const c = queueUp(lock, ['c']);
      controllerB.abort(new Error('b cancelled'));
      a.release();
      expect((await b).ok).toBe(false);
      await flush();
      expect(c.order).toEqual(['c']);
      c.holds.get('c')?.release();
      expect(lock.locked).toBe(false);
    });

    it('leaves no listener on a signal after a successful or a waited acquire', async () => {
      const lock = make();
      const controller = new AbortController();
      (await lock.acquire({ signal: controller.signal })).release();
      expect(abortListeners(controller.signal)).toBe(0);
      const first = await lock.acquire();
      const waited = lock.acquire({ signal: controller.signal });
      expect(abortListeners(controller.signal)).toBe(1);
      first.release();
      (await waited).release();
      expect(abortListeners(controller.signal)).toBe(0);
    });
  });

  describe('timeouts', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('rejects with a TimeoutError naming the call and leaves no timer', async () => {
      const lock = make();
      const first = await lock.acquire();
      const waiting = settle(lock.acquire({ timeout: 20 }));
      await vi.advanceTimersByTimeAsync(19);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      const result = await waiting;
      expect(result.ok ? undefined : result.error).toEqual(new TimeoutError(`${what} timed out after 20 milliseconds`));
      expect(vi.getTimerCount()).toBe(0);
      first.release();
      expect(lock.locked).toBe(false);
    });

    it('takes a free lock even with timeout 0, and times out at once when busy', async () => {
      const lock = make();
      const held = await lock.acquire({ timeout: 0 });
      const result = await settle(lock.acquire({ timeout: 0 }));
      expect(result.ok ? undefined : result.error).toEqual(new TimeoutError(`${what} timed out after 0 milliseconds`));
      held.release();
      expect(lock.locked).toBe(false);
    });

    it('clears its timer when served before the deadline', async () => {
      const lock = make();
      const first = await lock.acquire();
      const waiting = lock.acquire({ timeout: 1000 });
      expect(vi.getTimerCount()).toBe(1);
      first.release();
      (await waiting).release();
      expect(vi.getTimerCount()).toBe(0);
    });

    it('with timeout Infinity waits without a timer', async () => {
      const lock = make();
      const first = await lock.acquire();
      const waiting = lock.acquire({ timeout: Infinity });
      expect(vi.getTimerCount()).toBe(0);
      first.release();
      (await waiting).release();
    });
  });

  describe('bad arguments', () => {
    it('throws synchronously with the message template', () => {
      const lock = make();
      expect(() => lock.acquire('x' as any)).toThrow(new TypeError('Expected `options` to be an options object, got `"x"` (string)'));
      expect(() => lock.acquire({ timeout: -1 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'));
      expect(() => lock.acquire({ timeout: '5' as any })).toThrow(
        new TypeError('Expected `timeout` to be a number of milliseconds >= 0, got `"5"` (string)'),
      );
      expect(() => lock.acquire({ signal: {} as any })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `[object Object]` (Object)'));
      expect(() => lock.runExclusive(() => 1, { timeout: Number.NaN })).toThrow(
        new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `NaN` (number)'),
      );
      expect(lock.locked).toBe(false);
    });
  });
}
