/**
 * The three abort phases of a pool task, its timeout, and that nothing is left behind.
 * Tasks are caught inside the thread with SharedArrayBuffer handshakes, never with sleeps.
 */

import { afterAll, describe, expect, test } from 'vitest';
import { abortListeners, activeTimers } from '../helpers.js';
import { entered, flag, open, testPool } from './support.js';

const pool = testPool({ size: 1, concurrentTasksPerWorker: 1 });
afterAll(() => pool.terminate());

describe('WorkerPool.run with a signal', () => {
  test('already aborted: rejects with the reason at once, even with a free thread', async () => {
    const reason = new Error('before');
    await expect(pool.run('add', [1, 2], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const future = pool.submit('add', [1, 2], { signal: AbortSignal.abort(reason) });
    await expect(future.result()).rejects.toBe(reason);
  });

  test('aborted while queued: leaves the queue, rejects with the reason, never runs', async () => {
    const gate = flag();
    const busy = pool.run('waitForGate', [gate, 1]);
    const controller = new AbortController();
    const queued = pool.run('add', [1, 2], { signal: controller.signal });
    expect(pool.queueSize).toBe(1);
    controller.abort(new Error('while queued'));
    await expect(queued).rejects.toThrow('while queued');
    expect(pool.queueSize).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
    open(gate);
    expect(await busy).toBe(1);
  });

  test('aborted while running: the task receives the reason on its signal and stops; the caller rejects at once', async () => {
    const entry = flag();
    const controller = new AbortController();
    const running = pool.submit<string>('waitForAbort', [entry], { signal: controller.signal });
    await entered(entry);
    controller.abort(new Error('while running'));
    await expect(running.result()).rejects.toThrow('while running');
    expect(abortListeners(controller.signal)).toBe(0);
    // The thread heard the abort and finished the task cooperatively: it is not replaced.
    const before = await pool.run<number>('whoAmI');
    expect(await pool.run<number>('whoAmI')).toBe(before);
  });

  test('a timeout rejects with TimeoutError naming the call, and the task sees the abort', async () => {
    const entry = flag();
    await expect(pool.run('waitForAbort', [entry], { timeout: 20 })).rejects.toThrow('WorkerPool.run timed out after 20 milliseconds');
    await expect(pool.submit('waitForAbort', [flag()], { timeout: 20 }).result()).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'WorkerPool.submit timed out after 20 milliseconds',
    });
    await expect(pool.map('square', [1, 2, 3], { timeout: 0 })).rejects.toThrow('WorkerPool.map timed out after 0 milliseconds');
  });

  test('a finished task leaves no listener and no timer', async () => {
    const controller = new AbortController();
    const timers = activeTimers();
    expect(await pool.run('add', [1, 2], { signal: controller.signal, timeout: 60_000 })).toBe(3);
    expect(await pool.map('square', [1, 2], { signal: controller.signal, timeout: 60_000 })).toEqual([1, 4]);
    expect(abortListeners(controller.signal)).toBe(0);
    expect(activeTimers()).toBeLessThanOrEqual(timers);
  });

  test('map: aborting stops the chunks and rejects with the reason', async () => {
    const controller = new AbortController();
    const entry = flag();
    const mapping = pool.map('waitForAbort', [entry, flag()], { signal: controller.signal, chunkSize: 1 });
    await entered(entry);
    controller.abort(new Error('stop mapping'));
    await expect(mapping).rejects.toThrow('stop mapping');
    expect(abortListeners(controller.signal)).toBe(0);
  });
});
