import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { Condition } from '../../src/sync/index.js';
import { abortListeners, flush, settle } from '../helpers.js';
import { waitOnce } from './wait-once.js';

describe('Condition cancellation', () => {
  describe('cancellation', () => {
    it('already aborted: rejects at once and never lets go of the lock', async () => {
      const cond = new Condition();
      using _lock = await cond.acquire();
      const contender = vi.fn();
      void cond.acquire().then(contender);
      const reason = new Error('early');
      expect(await settle(cond.wait({ signal: AbortSignal.abort(reason) }))).toEqual({ ok: false, error: reason });
      expect(await settle(cond.waitFor(() => true, { signal: AbortSignal.abort(reason) }))).toEqual({ ok: false, error: reason });
      expect(cond.nWaiting).toBe(0);
      expect(contender).not.toHaveBeenCalled();
    });

    it('aborted while waiting: leaves the queue and rejects only once it holds the lock again (test_wait_cancel, test_wait_cancel_contested)', async () => {
      const cond = new Condition();
      const controller = new AbortController();
      const log: string[] = [];
      const task = waitOnce(cond, 'quitter', log, controller.signal);
      await flush();
      const blocker = await cond.acquire();
      controller.abort(new Error('cancel'));
      await flush();
      expect(cond.nWaiting).toBe(0);
      expect(log).toEqual([]); // it cannot resume while the blocker holds the lock
      blocker.release();
      await task;
      expect(log).toEqual(['quitter aborted']);
      expect(abortListeners(controller.signal)).toBe(0);
      expect(cond.locked).toBe(false);
    });

    it('notified and aborted in the same tick: passes the notification on (test_wait_cancel_after_notify, hand-off race)', async () => {
      const cond = new Condition();
      const controller = new AbortController();
      const log: string[] = [];
      const quitter = waitOnce(cond, 'quitter', log, controller.signal);
      const next = waitOnce(cond, 'next', log);
      const last = waitOnce(cond, 'last', log);
      await flush();
      const lock = await cond.acquire();
      cond.notify();
      controller.abort(new Error('not any more'));
      lock.release();
      await Promise.all([quitter, next]);
      expect(log.sort()).toEqual(['next notified', 'quitter aborted']);
      expect(cond.nWaiting).toBe(1);
      await cond.runExclusive(() => cond.notify());
      await last;
      expect(cond.locked).toBe(false);
    });

    it('an abort after the notification was taken does not undo it (test_cancelled_error_re_aquire)', async () => {
      const cond = new Condition();
      const controller = new AbortController();
      const log: string[] = [];
      const task = waitOnce(cond, 'waiter', log, controller.signal);
      await flush();
      const lock = await cond.acquire();
      cond.notify();
      await flush(); // the waiter took the notification and now waits for the lock
      controller.abort(new Error('too late'));
      lock.release();
      await task;
      expect(log).toEqual(['waiter notified']);
    });
  });

  describe('timeouts', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('wait times out with a TimeoutError, holding the lock again, and leaves no timer (test_timeout_in_block)', async () => {
      const cond = new Condition();
      using _lock = await cond.acquire();
      const waiting = settle(cond.wait({ timeout: 30 }));
      expect(cond.locked).toBe(false);
      await vi.advanceTimersByTimeAsync(30);
      const result = await waiting;
      expect(result.ok ? undefined : result.error).toEqual(new TimeoutError('Condition.wait timed out after 30 milliseconds'));
      expect(cond.locked).toBe(true);
      expect(cond.nWaiting).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('waitFor bounds the whole call, across wake-ups', async () => {
      const cond = new Condition();
      let ready = false;
      const task = (async () => {
        using _lock = await cond.acquire();
        return await settle(cond.waitFor(() => ready, { timeout: 100 }));
      })();
      await flush();
      await vi.advanceTimersByTimeAsync(60);
      await cond.runExclusive(() => cond.notify()); // a wake-up with the predicate still false
      await vi.advanceTimersByTimeAsync(40);
      const result = await task;
      expect(result.ok ? undefined : result.error).toEqual(new TimeoutError('Condition.waitFor timed out after 100 milliseconds'));
      expect(vi.getTimerCount()).toBe(0);
      ready = true;
    });

    it('a notified wait clears its timer', async () => {
      const cond = new Condition();
      const task = (async () => {
        using _lock = await cond.acquire();
        await cond.wait({ timeout: 1000 });
      })();
      await flush();
      expect(vi.getTimerCount()).toBe(1);
      await cond.runExclusive(() => cond.notify());
      await task;
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it('under random schedules and aborts: exclusive, no notification lost, every patient consumer served', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ abort: fc.boolean(), kill: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 3 }),
        async (s, consumers, extra) => {
          const cond = new Condition();
          let items = 0;
          let inside = 0;
          const controllers = consumers.map(() => new AbortController());
          const outcomes: string[] = consumers.map(() => 'pending');
          const enter = (): void => {
            inside++;
            expect(inside).toBe(1);
          };
          const consume = async (i: number): Promise<void> => {
            const controller = controllers[i] as AbortController;
            if (consumers[i]?.abort) void s.schedule(Promise.resolve(`abort ${i}`)).then(() => controller.abort(new Error('aborted')));
            await s.schedule(Promise.resolve(`consumer ${i}`));
            using _lock = await cond.acquire();
            enter();
            const result = await settle(
              (inside--, cond.waitFor(() => items > 0, { signal: controller.signal })).finally(() => {
                enter();
              }),
            );
            expect(cond.locked).toBe(true);
            if (result.ok) {
              items--;
              outcomes[i] = 'served';
            } else {
              expect(result.error).toEqual(new Error('aborted'));
              outcomes[i] = 'aborted';
            }
            inside--;
          };
          // Producer p notifies, then (kill) aborts consumer p in the same tick: the hand-off race.
          const produce = async (p: number): Promise<void> => {
            await s.schedule(Promise.resolve(`producer ${p}`));
            using _lock = await cond.acquire();
            enter();
            items++;
            cond.notify();
            if (consumers[p]?.kill) controllers[p]?.abort(new Error('aborted'));
            inside--;
          };
          const tasks = [
            ...consumers.map((_, i) => consume(i)),
            ...Array.from({ length: consumers.length + extra }, (_, p) => produce(p)),
          ];
          await s.waitIdle();
          await Promise.all(tasks);
          const served = outcomes.filter((outcome) => outcome === 'served').length;
          expect(items).toBe(consumers.length + extra - served);
          outcomes.forEach((outcome, i) => {
            const mayAbort = consumers[i]?.abort === true || consumers[i]?.kill === true;
            expect(outcome).toEqual(mayAbort ? expect.stringMatching(/^(served|aborted)$/) : 'served');
          });
          expect(cond.locked).toBe(false);
          expect(cond.nWaiting).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
