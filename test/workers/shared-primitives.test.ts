import { afterAll, describe, expect, test } from 'vitest';
import { BrokenBarrierError, InvalidStateError } from '../../src/core/errors.js';
import { AtomicCounter } from '../../src/workers/atomic-counter.js';
import { SharedBarrier } from '../../src/workers/shared-barrier.js';
import { SharedSemaphore } from '../../src/workers/shared-semaphore.js';
import { abortListeners, flush } from '../helpers.js';
import { entered, flag, open, testPool } from './support.js';

const pool = testPool({ size: 4, concurrentTasksPerWorker: 1 });
afterAll(() => pool.terminate());

describe('SharedSemaphore', () => {
  test('hands out value permits; tryAcquire, release, value', async () => {
    const slots = new SharedSemaphore(2);
    const a = slots.tryAcquire()!;
    const b = await slots.acquire();
    expect(slots.value).toBe(0);
    expect(slots.tryAcquire()).toBeUndefined();
    let got = false;
    const c = slots.acquire().then((lock) => {
      got = true;
      return lock;
    });
    await flush();
    expect(got).toBe(false);
    a.release();
    a.release(); // once only
    (await c).release();
    b.release();
    expect(slots.value).toBe(2);
    slots.release();
    expect(slots.value).toBe(3);
  });

  test('abort phases and timeout', async () => {
    const slots = new SharedSemaphore(0);
    const reason = new Error('no');
    await expect(slots.acquire({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const controller = new AbortController();
    const waiting = slots.acquire({ signal: controller.signal });
    await flush();
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(abortListeners(controller.signal)).toBe(0);
    await expect(slots.acquire({ timeout: 5 })).rejects.toThrow('SharedSemaphore.acquire timed out after 5 milliseconds');
    expect(slots.value).toBe(0);
    expect(await slots.runExclusive(() => 1, { timeout: 0 }).catch((e: Error) => e.message)).toBe('SharedSemaphore.acquire timed out after 0 milliseconds');
  });

  test('checks its arguments; acquireSync throws on the main thread', () => {
    expect(() => new SharedSemaphore(-1)).toThrow(new RangeError('Expected `value` to be an integer >= 0, got `-1` (number)'));
    expect(() => new SharedSemaphore(1, { buffer: new ArrayBuffer(8) as any })).toThrow(TypeError);
    expect(() => new SharedSemaphore(1).acquireSync()).toThrow(InvalidStateError);
  });

  test('a worker holding a permit makes the main thread wait; releasing lets it in', async () => {
    const slots = new SharedSemaphore(1);
    const entry = flag();
    const release = flag();
    const holder = pool.run('holdPermit', [slots.handle, entry, release]);
    await entered(entry);
    expect(SharedSemaphore.from(slots.handle).value).toBe(0);
    const waiting = slots.acquire({ timeout: 10_000 });
    open(release);
    (await waiting).release();
    await holder;
    expect(slots.value).toBe(1);
  });
});

describe('SharedBarrier', () => {
  test('lets all parties through together with their arrival index', async () => {
    const barrier = new SharedBarrier(2);
    const first = barrier.wait();
    expect(barrier.nWaiting).toBe(1);
    const second = barrier.wait();
    expect(await Promise.all([first, second])).toEqual([0, 1]);
    expect(barrier.nWaiting).toBe(0);
    expect(await new SharedBarrier(1).wait()).toBe(0);
  });

  test('the main thread and 3 workers cross it together, twice', async () => {
    const barrier = new SharedBarrier(4);
    for (let round = 0; round < 2; round++) {
      const workers = [0, 1, 2].map(() => pool.run<number>('crossBarrier', [barrier.handle, 10_000]));
      const mine = await barrier.wait({ timeout: 10_000 });
      expect([mine, ...(await Promise.all(workers))].sort()).toEqual([0, 1, 2, 3]);
    }
  });

  test('a timeout breaks it for the other waiters; reset repairs it', async () => {
    const barrier = new SharedBarrier(3);
    const other = barrier.wait();
    await expect(barrier.wait({ timeout: 5 })).rejects.toThrow('SharedBarrier.wait timed out after 5 milliseconds');
    await expect(other).rejects.toThrow(new BrokenBarrierError('SharedBarrier is broken'));
    expect(barrier.broken).toBe(true);
    await expect(barrier.wait()).rejects.toThrow(BrokenBarrierError);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    const a = barrier.wait();
    const b = barrier.wait();
    expect(await barrier.wait()).toBe(2);
    expect(await Promise.all([a, b])).toEqual([0, 1]);
  });

  test('abort() breaks it; reset() with waiters breaks them too, then starts afresh', async () => {
    const barrier = new SharedBarrier(2);
    const waiting = barrier.wait();
    barrier.abort();
    await expect(waiting).rejects.toThrow(BrokenBarrierError);
    barrier.reset();
    const again = barrier.wait();
    barrier.reset();
    await expect(again).rejects.toThrow(BrokenBarrierError);
    expect(barrier.broken).toBe(false);
    const x = barrier.wait();
    expect(await barrier.wait()).toBe(1);
    expect(await x).toBe(0);
  });

  test('waitSync in a worker times out with the house message and breaks the barrier', async () => {
    const barrier = new SharedBarrier(2);
    expect(await pool.run('barrierWithTimeout', [barrier.handle, 5])).toBe('TimeoutError: SharedBarrier.waitSync timed out after 5 milliseconds');
    expect(barrier.broken).toBe(true);
  });

  test('checks its arguments; waitSync throws on the main thread; from keeps parties', () => {
    expect(() => new SharedBarrier(0)).toThrow(new RangeError('Expected `parties` to be an integer >= 1, got `0` (number)'));
    expect(() => new SharedBarrier(20_000)).toThrow(new RangeError('Expected `parties` to be an integer from 1 to 16383, got `20000` (number)'));
    expect(() => new SharedBarrier(2).waitSync()).toThrow(InvalidStateError);
    expect(SharedBarrier.from(new SharedBarrier(5).handle).parties).toBe(5);
  });
});

describe('AtomicCounter', () => {
  test('atomic operations return what they say', () => {
    const counter = new AtomicCounter(5);
    expect(counter.add()).toBe(6);
    expect(counter.add(4)).toBe(10);
    expect(counter.sub(3)).toBe(7);
    expect(counter.exchange(1)).toBe(7);
    expect(counter.compareExchange(1, 9)).toBe(1);
    expect(counter.compareExchange(1, 2)).toBe(9);
    expect(counter.value).toBe(9);
    expect(new AtomicCounter(0x7fffffff).add()).toBe(-0x80000000); // wraps like Int32Array
    expect(() => counter.add(1.5)).toThrow(new RangeError('Expected `delta` to be a 32-bit integer, got `1.5` (number)'));
    expect(() => new AtomicCounter(0, { buffer: new ArrayBuffer(4) as any })).toThrow(TypeError);
  });

  test('4 workers adding at once lose nothing', async () => {
    const counter = new AtomicCounter();
    await Promise.all([0, 1, 2, 3].map(() => pool.run('incrementAtomic', [counter.handle, 50_000])));
    expect(counter.value).toBe(200_000);
  });

  test('every primitive can be rebuilt in a worker from its handle', async () => {
    const made = await Promise.all([
      pool.run('fromInWorker', ['SharedSemaphore', new SharedSemaphore(1).handle]),
      pool.run('fromInWorker', ['SharedBarrier', new SharedBarrier(1).handle]),
      pool.run('fromInWorker', ['AtomicCounter', new AtomicCounter().handle]),
    ]);
    expect(made).toEqual(['SharedSemaphore', 'SharedBarrier', 'AtomicCounter']);
  });
});
