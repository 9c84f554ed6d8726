/**
 * One behavioural suite run against every exclusive lock (`Mutex`, `Semaphore(1)`,
 * `BoundedSemaphore(1)`), like async-mutex's `test/semaphoreSuite.ts`: whatever the class, a
 * one-holder lock must behave the same. Cases borrowed from CPython's
 * `Lib/test/test_asyncio/test_locks.py` name their origin. The cancellation half lives in
 * `lock-suite-cancellation.ts`.
 */

import { describe, expect, it, vi } from 'vitest';
import type { Lock } from '../../src/sync/index.js';
import { abortListeners, deferred, flush, settle } from '../helpers.js';
import { queueUp, type ExclusiveLock } from './exclusive-lock.js';
import { cancellationSuite } from './lock-suite-cancellation.js';

/**
 * @param what the `Class.acquire` that names a timeout in its message.
 */
export function exclusiveLockSuite(what: string, make: () => ExclusiveLock): void {
  describe(`${what}: exclusive lock behaviour`, () => {
    it('is free when new, held after acquire, free after release (test_lock)', async () => {
      const lock = make();
      expect(lock.locked).toBe(false);
      const held = await lock.acquire();
      expect(lock.locked).toBe(true);
      held.release();
      expect(lock.locked).toBe(false);
    });

    it('serves waiters first-in, first-out, including late arrivals (test_acquire)', async () => {
      const lock = make();
      const first = await lock.acquire();
      const { order, holds } = queueUp(lock, ['c1', 'c2']);
      await flush();
      expect(order).toEqual([]);
      first.release();
      await flush();
      expect(order).toEqual(['c1']);
      const late = queueUp(lock, ['c3']);
      holds.get('c1')?.release();
      await flush();
      expect(order).toEqual(['c1', 'c2']);
      holds.get('c2')?.release();
      await flush();
      expect(late.order).toEqual(['c3']);
      late.holds.get('c3')?.release();
      expect(lock.locked).toBe(false);
    });

    it('hands the lock over on release: it never looks free while someone waits', async () => {
      const lock = make();
      const first = await lock.acquire();
      const { order } = queueUp(lock, ['next']);
      first.release();
      expect(lock.locked).toBe(true);
      expect(lock.tryAcquire()).toBeUndefined();
      await flush();
      expect(order).toEqual(['next']);
    });

    it('does not let tryAcquire or a new acquire barge in ahead of a waiter', async () => {
      const lock = make();
      const first = await lock.acquire();
      const { order, holds } = queueUp(lock, ['waiter']);
      first.release();
      const newcomer = queueUp(lock, ['newcomer']);
      await flush();
      expect(order).toEqual(['waiter']);
      expect(newcomer.order).toEqual([]);
      holds.get('waiter')?.release();
      await flush();
      expect(newcomer.order).toEqual(['newcomer']);
    });

    it('takes the lock with tryAcquire only when free', () => {
      const lock = make();
      const held = lock.tryAcquire();
      expect(held).toBeDefined();
      expect(lock.tryAcquire()).toBeUndefined();
      held?.release();
      expect(lock.tryAcquire()).toBeDefined();
    });

    it('ignores a second release of the same handle, even after someone else took the lock', async () => {
      const lock = make();
      const first = await lock.acquire();
      first.release();
      first.release();
      expect(lock.locked).toBe(false);
      const second = await lock.acquire();
      first.release();
      first[Symbol.dispose]();
      expect(lock.locked).toBe(true);
      second.release();
      expect(lock.locked).toBe(false);
    });

    it('releases at the end of a using block, and a prior explicit release makes that a no-op (test_context_manager)', async () => {
      const lock = make();
      {
        using _held = await lock.acquire();
        expect(lock.locked).toBe(true);
      }
      expect(lock.locked).toBe(false);
      const other = deferred<Lock>();
      {
        using held = await lock.acquire();
        held.release();
        other.resolve(await lock.acquire());
      }
      expect(lock.locked).toBe(true);
      (await other.promise).release();
      expect(lock.locked).toBe(false);
    });

    it('releases at the end of a using block that throws', async () => {
      const lock = make();
      const boom = async (): Promise<void> => {
        using _held = await lock.acquire();
        throw new Error('boom');
      };
      await expect(boom()).rejects.toThrow('boom');
      expect(lock.locked).toBe(false);
    });

    describe('runExclusive', () => {
      it('passes on the result of a sync or async function', async () => {
        const lock = make();
        expect(await lock.runExclusive(() => 10)).toBe(10);
        expect(await lock.runExclusive(async () => 'x')).toBe('x');
        expect(lock.locked).toBe(false);
      });

      it('passes on a throw or a rejection and releases the lock', async () => {
        const lock = make();
        await expect(
          lock.runExclusive(() => {
            throw new Error('sync');
          }),
        ).rejects.toThrow('sync');
        await expect(lock.runExclusive(() => Promise.reject(new Error('async')))).rejects.toThrow('async');
        expect(lock.locked).toBe(false);
      });

      it('runs one function at a time, in call order', async () => {
        const lock = make();
        const gate = deferred();
        const events: string[] = [];
        const a = lock.runExclusive(async () => {
          events.push('a in');
          await gate.promise;
          events.push('a out');
        });
        const b = lock.runExclusive(() => {
          events.push('b');
        });
        await flush();
        expect(events).toEqual(['a in']);
        gate.resolve();
        await Promise.all([a, b]);
        expect(events).toEqual(['a in', 'a out', 'b']);
      });

      it('gives the function the caller signal, or undefined without one', async () => {
        const lock = make();
        const controller = new AbortController();
        expect(await lock.runExclusive((signal) => signal, { signal: controller.signal })).toBe(controller.signal);
        expect(await lock.runExclusive((signal) => signal)).toBeUndefined();
      });

      it('aborted while running: the function sees the abort and the lock stays held until it settles', async () => {
        const lock = make();
        const controller = new AbortController();
        const started = deferred();
        const running = lock.runExclusive(
          (signal) =>
            new Promise<string>((resolve) => {
              started.resolve();
              signal?.addEventListener('abort', () => resolve('stopped'), { once: true });
            }),
          { signal: controller.signal },
        );
        await started.promise;
        const next = queueUp(lock, ['next']);
        controller.abort(new Error('stop'));
        expect(lock.locked).toBe(true);
        expect(await running).toBe('stopped');
        await flush();
        expect(next.order).toEqual(['next']);
        expect(abortListeners(controller.signal)).toBe(0);
      });

      it('rejects at once with the reason when the signal is already aborted, without running', async () => {
        const lock = make();
        const fn = vi.fn();
        const reason = new Error('early');
        expect(await settle(lock.runExclusive(fn, { signal: AbortSignal.abort(reason) }))).toEqual({ ok: false, error: reason });
        expect(fn).not.toHaveBeenCalled();
      });

      it('throws a TypeError synchronously when fn is not a function', () => {
        const lock = make();
        expect(() => lock.runExclusive(42 as any)).toThrow(new TypeError('Expected `fn` to be a function, got `42` (number)'));
        expect(lock.locked).toBe(false);
      });
    });

    cancellationSuite(what, make);
  });
}
