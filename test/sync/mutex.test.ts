import { describe, expect, it } from 'vitest';
import { Mutex } from '../../src/sync/index.js';
import { flush, settle } from '../helpers.js';
import { exclusiveLockSuite } from './lock-suite.js';

exclusiveLockSuite('Mutex.acquire', () => new Mutex());

describe('Mutex', () => {
  it('keeps a read-modify-write section atomic across awaits (the seed item 54 counter)', async () => {
    const mutex = new Mutex();
    let count = 0;
    const increment = async (): Promise<void> => {
      using _lock = await mutex.acquire();
      const value = count;
      await Promise.resolve();
      await Promise.resolve();
      count = value + 1;
    };
    await Promise.all(Array.from({ length: 50 }, increment));
    expect(count).toBe(50);
  });

  it('loses updates without the lock (the control experiment: the test above can fail)', async () => {
    let count = 0;
    const increment = async (): Promise<void> => {
      const value = count;
      await Promise.resolve();
      count = value + 1;
    };
    await Promise.all(Array.from({ length: 50 }, increment));
    expect(count).toBeLessThan(50);
  });

  it('resolves acquire with a fresh handle each time', async () => {
    const mutex = new Mutex();
    const first = await mutex.acquire();
    first.release();
    const second = await mutex.acquire();
    expect(second).not.toBe(first);
    second.release();
  });

  it('works with using on tryAcquire, whether it got the lock or not', () => {
    const mutex = new Mutex();
    {
      using first = mutex.tryAcquire();
      using second = mutex.tryAcquire();
      expect(first).toBeDefined();
      expect(second).toBeUndefined();
    }
    expect(mutex.locked).toBe(false);
  });

  it('a handle from tryAcquire hands over to waiters like any other', async () => {
    const mutex = new Mutex();
    const held = mutex.tryAcquire();
    const waiter = settle(mutex.acquire());
    held?.release();
    const result = await waiter;
    expect(result.ok).toBe(true);
    expect(mutex.locked).toBe(true);
    if (result.ok) result.value.release();
    expect(mutex.locked).toBe(false);
  });

  it('serves 100 queued waiters in order with nothing left behind', async () => {
    const mutex = new Mutex();
    const first = await mutex.acquire();
    const order: number[] = [];
    const tasks = Array.from({ length: 100 }, (_, i) =>
      mutex.runExclusive(async () => {
        order.push(i);
        await Promise.resolve();
      }),
    );
    expect(order).toEqual([]);
    first.release();
    await Promise.all(tasks);
    await flush();
    expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(mutex.locked).toBe(false);
  });
});
