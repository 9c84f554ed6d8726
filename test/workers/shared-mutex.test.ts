import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, test } from 'vitest';
import { InvalidStateError } from '../../src/core/errors.js';
import { SharedMutex } from '../../src/workers/shared-mutex.js';
import { abortListeners, activeTimers, flush } from '../helpers.js';
import { entered, flag, open, testPool } from './support.js';

const pool = testPool({ size: 4, concurrentTasksPerWorker: 1 });
afterAll(() => pool.terminate());

describe('SharedMutex on one thread', () => {
  test('tryAcquire takes a free mutex once; release frees it; releasing twice does nothing', () => {
    const mutex = new SharedMutex();
    const lock = mutex.tryAcquire();
    expect(lock).toBeDefined();
    expect(mutex.locked).toBe(true);
    expect(mutex.tryAcquire()).toBeUndefined();
    lock!.release();
    lock!.release();
    expect(mutex.locked).toBe(false);
    {
      using _again = mutex.tryAcquire()!;
      expect(mutex.locked).toBe(true);
    }
    expect(mutex.locked).toBe(false);
  });

  test('acquire waits without blocking and gets the mutex when released', async () => {
    const mutex = new SharedMutex();
    const first = await mutex.acquire();
    let got = false;
    const second = mutex.acquire().then((lock) => {
      got = true;
      return lock;
    });
    await flush();
    expect(got).toBe(false);
    first.release();
    (await second).release();
    expect(mutex.locked).toBe(false);
  });

  test('the three abort phases and the timeout; a waiter that gave up holds nothing', async () => {
    const mutex = new SharedMutex();
    const reason = new Error('no');
    await expect(mutex.acquire({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason); // even though free
    expect(mutex.locked).toBe(false);
    const held = mutex.tryAcquire()!;
    const controller = new AbortController();
    const waiting = mutex.acquire({ signal: controller.signal });
    await flush();
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(abortListeners(controller.signal)).toBe(0);
    const timers = activeTimers();
    await expect(mutex.acquire({ timeout: 5 })).rejects.toMatchObject({ name: 'TimeoutError', message: 'SharedMutex.acquire timed out after 5 milliseconds' });
    expect(activeTimers()).toBeLessThanOrEqual(timers);
    held.release();
    expect(mutex.locked).toBe(false);
    (await mutex.acquire({ timeout: 1000 })).release();
  });

  test('runExclusive holds it around fn, also when fn throws', async () => {
    const mutex = new SharedMutex();
    expect(await mutex.runExclusive(() => mutex.locked)).toBe(true);
    await expect(mutex.runExclusive(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(mutex.locked).toBe(false);
    expect(() => mutex.runExclusive(1 as any)).toThrow(new TypeError('Expected `fn` to be a function, got `1` (number)'));
  });

  test('acquireSync throws on the main thread', () => {
    expect(() => new SharedMutex().acquireSync()).toThrow(
      new InvalidStateError('SharedMutex.acquireSync would block the main thread\'s event loop; use the asynchronous method on the main thread'),
    );
  });

  test('lives in a SharedArrayBuffer: placement, handle and from', () => {
    const buffer = new SharedArrayBuffer(8);
    const a = new SharedMutex({ buffer, byteOffset: 4 });
    const b = SharedMutex.from(a.handle);
    expect(a.handle).toEqual({ kind: 'SharedMutex', buffer, byteOffset: 4 });
    using _lock = a.tryAcquire()!;
    expect(b.locked).toBe(true);
    expect(b.tryAcquire()).toBeUndefined();
  });

  test('rejects a plain ArrayBuffer and bad placements with TypeError/RangeError', () => {
    expect(() => new SharedMutex({ buffer: new ArrayBuffer(4) as any })).toThrow(new TypeError('Expected `buffer` to be a SharedArrayBuffer, got `[object ArrayBuffer]` (ArrayBuffer)'));
    expect(() => new SharedMutex({ buffer: new SharedArrayBuffer(4), byteOffset: 2 })).toThrow(
      new RangeError('Expected `byteOffset` to be a multiple of 4 with 4 bytes after it in a buffer of 4, got `2` (number)'),
    );
    expect(() => SharedMutex.from({ kind: 'SharedSemaphore' } as any)).toThrow(new TypeError('Expected `handle` to be the .handle of a SharedMutex, got `[object Object]` (Object)'));
  });
});

describe('SharedMutex across threads', () => {
  test('4 workers incrementing under the mutex lose nothing', async () => {
    const mutex = new SharedMutex();
    const counter = new Int32Array(new SharedArrayBuffer(4));
    await Promise.all([0, 1, 2, 3].map(() => pool.run('incrementLocked', [mutex.handle, counter, 20_000])));
    expect(counter[0]).toBe(80_000);
    expect(mutex.locked).toBe(false);
  });

  test('the main thread waits for a mutex held by a worker without blocking its event loop', async () => {
    const mutex = new SharedMutex();
    const entry = flag();
    const release = flag();
    const holder = pool.run('holdMutex', [mutex.handle, entry, release]);
    await entered(entry);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let acquired = false;
    const waiting = mutex.acquire({ timeout: 10_000 }).then((lock) => {
      acquired = true;
      return lock;
    });
    // The event loop keeps turning while we wait: timers fire, immediates run.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(acquired).toBe(false);
    open(release);
    (await waiting).release();
    await holder;
    delay.disable();
    expect(delay.max / 1e6).toBeLessThan(200); // ms; a blocked loop would show the whole wait
  });

  test('acquireSync in a worker waits at most its timeout', async () => {
    const mutex = new SharedMutex();
    const held = mutex.tryAcquire()!;
    expect(await pool.run('acquireSyncWithTimeout', [mutex.handle, 5])).toBe('TimeoutError: SharedMutex.acquireSync timed out after 5 milliseconds');
    held.release();
    expect(await pool.run('acquireSyncWithTimeout', [mutex.handle, 1000])).toBe('acquired');
  });

  test('a worker that dies holding it leaves it locked: waiters end by their timeout', async () => {
    const mutex = new SharedMutex();
    const entry = flag();
    await expect(pool.run('dieHolding', [mutex.handle, entry])).rejects.toThrow('Worker thread exited with code 7 while running task "dieHolding"');
    expect(mutex.locked).toBe(true);
    await expect(mutex.acquire({ timeout: 10 })).rejects.toThrow('SharedMutex.acquire timed out after 10 milliseconds');
  });
});
