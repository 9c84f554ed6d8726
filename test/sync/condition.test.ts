import { describe, expect, it, vi } from 'vitest';
import { InvalidStateError } from '../../src/core/errors.js';
import { Condition, Mutex } from '../../src/sync/index.js';
import { deferred, flush, settle } from '../helpers.js';
import { waitOnce } from './wait-once.js';

const notHeld = (method: string): InvalidStateError =>
  new InvalidStateError(`Condition.${method} needs the mutex held, but it is not locked: acquire it first`);

describe('Condition', () => {
  it('uses a new Mutex by default, or the one given, shared between conditions (test_explicit_lock)', async () => {
    expect(new Condition().mutex).toBeInstanceOf(Mutex);
    const mutex = new Mutex();
    const a = new Condition(mutex);
    const b = new Condition(mutex);
    expect(a.mutex).toBe(mutex);
    using _lock = await a.acquire();
    expect(b.locked).toBe(true);
    expect(mutex.locked).toBe(true);
  });

  it('notify wakes waiters in order, each resuming only once the notifier releases (test_wait)', async () => {
    const cond = new Condition();
    const log: string[] = [];
    const tasks = ['c1', 'c2', 'c3'].map((name) => waitOnce(cond, name, log));
    await flush();
    expect(cond.nWaiting).toBe(3);
    expect(cond.locked).toBe(false);

    let lock = await cond.acquire();
    cond.notify();
    await flush();
    expect(log).toEqual([]);
    lock.release();
    await flush();
    expect(log).toEqual(['c1 notified']);

    lock = await cond.acquire();
    cond.notify(2);
    await flush();
    expect(log).toEqual(['c1 notified']);
    lock.release();
    await Promise.all(tasks);
    expect(log).toEqual(['c1 notified', 'c2 notified', 'c3 notified']);
    expect(cond.locked).toBe(false);
  });

  it('notify(n) wakes at most n, notify(0) none, and does nothing with nobody waiting (test_notify)', async () => {
    const cond = new Condition();
    await cond.runExclusive(() => cond.notify(5));
    const log: string[] = [];
    const tasks = ['a', 'b', 'c'].map((name) => waitOnce(cond, name, log));
    await flush();
    await cond.runExclusive(() => cond.notify(0));
    await flush();
    expect(cond.nWaiting).toBe(3);
    await cond.runExclusive(() => cond.notify(2));
    await flush();
    expect(log).toEqual(['a notified', 'b notified']);
    await cond.runExclusive(() => cond.notify(2));
    await Promise.all(tasks);
    expect(log).toEqual(['a notified', 'b notified', 'c notified']);
  });

  it('notifyAll wakes everyone waiting now (test_notify_all)', async () => {
    const cond = new Condition();
    const log: string[] = [];
    const tasks = ['a', 'b'].map((name) => waitOnce(cond, name, log));
    await flush();
    await cond.runExclusive(() => cond.notifyAll());
    await Promise.all(tasks);
    expect(log).toEqual(['a notified', 'b notified']);
  });

  it('keeps the caller handle valid across wait, so using releases it afterwards', async () => {
    const cond = new Condition();
    const resumed = deferred();
    const task = (async () => {
      using lock = await cond.acquire();
      await cond.wait();
      resumed.resolve();
      lock.release();
      expect(cond.locked).toBe(false);
    })();
    await flush();
    await cond.runExclusive(() => cond.notify());
    await resumed.promise;
    await task;
    expect(cond.locked).toBe(false);
  });

  it('does not deadlock when the caller releases its handle while waiting (return without await in a using block)', async () => {
    const cond = new Condition();
    const task = (async () => {
      using _lock = await cond.acquire();
      return cond.wait(); // the using block ends, and releases, before the wait does
    })();
    await flush();
    await cond.runExclusive(() => cond.notify());
    await task;
    expect(cond.locked).toBe(false);
    expect(await settle(cond.acquire({ timeout: 0 }))).toMatchObject({ ok: true });
  });

  it('throws InvalidStateError synchronously without the lock (test_wait_unacquired, test_notify_unacquired, test_notify_all_unacquired)', () => {
    const cond = new Condition();
    expect(() => cond.wait()).toThrow(notHeld('wait'));
    expect(() => cond.waitFor(() => true)).toThrow(notHeld('waitFor'));
    expect(() => cond.notify()).toThrow(notHeld('notify'));
    expect(() => cond.notifyAll()).toThrow(notHeld('notifyAll'));
  });

  it('throws TypeError/RangeError synchronously on bad arguments', async () => {
    expect(() => new Condition({} as any)).toThrow(new TypeError('Expected `mutex` to be a Mutex, got `[object Object]` (Object)'));
    const cond = new Condition();
    using _lock = await cond.acquire();
    expect(() => cond.notify(-1)).toThrow(new RangeError('Expected `n` to be an integer >= 0, got `-1` (number)'));
    expect(() => cond.notify(1.5)).toThrow(new RangeError('Expected `n` to be an integer >= 0, got `1.5` (number)'));
    expect(() => cond.waitFor('yes' as any)).toThrow(new TypeError('Expected `predicate` to be a function, got `"yes"` (string)'));
    expect(() => cond.wait({ timeout: -1 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'));
    expect(cond.nWaiting).toBe(0);
  });

  describe('waitFor', () => {
    it('returns the truthy predicate value at once, or after the wake-up that makes it true (test_wait_for)', async () => {
      const cond = new Condition();
      let value: string | undefined;
      const calls = vi.fn(() => value);
      const task = (async () => {
        using _lock = await cond.acquire();
        return await cond.waitFor(calls);
      })();
      await flush();
      expect(calls).toHaveBeenCalledTimes(1);
      await cond.runExclusive(() => cond.notify());
      await flush();
      expect(calls).toHaveBeenCalledTimes(2);
      await cond.runExclusive(() => {
        value = 'ready';
        cond.notify();
      });
      expect(await task).toBe('ready');
      expect(calls).toHaveBeenCalledTimes(3);
      using _lock = await cond.acquire();
      expect(await cond.waitFor(() => 42)).toBe(42);
    });

    it('rejects with what the predicate threw, still holding the lock', async () => {
      const cond = new Condition();
      using _lock = await cond.acquire();
      await expect(
        cond.waitFor(() => {
          throw new Error('bad predicate');
        }),
      ).rejects.toThrow('bad predicate');
      expect(cond.locked).toBe(true);
    });
  });

});
