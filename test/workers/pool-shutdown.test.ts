/** shutdown() and terminate(): concurrent.futures semantics, and nothing keeps running. */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { CancelledError } from '../../src/core/errors.js';
import { entered, flag, open, testPool } from './support.js';

describe('WorkerPool.shutdown', () => {
  test('lets running and queued tasks finish, then ends every thread', async () => {
    const pool = testPool({ size: 1, concurrentTasksPerWorker: 1 });
    const gate = flag();
    const running = pool.run('waitForGate', [gate, 1]);
    const queued = pool.submit('add', [1, 1]);
    let done = false;
    const shutdown = pool.shutdown().then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    open(gate);
    await shutdown;
    expect(await running).toBe(1);
    expect(await queued).toBe(2);
    expect(pool.threadCount).toBe(0);
    await pool.shutdown(); // idempotent
  });

  test('cancelFutures cancels the queued tasks; running ones finish', async () => {
    const pool = testPool({ size: 1, concurrentTasksPerWorker: 1 });
    const gate = flag();
    const running = pool.run('waitForGate', [gate, 1]);
    const future = pool.submit('add', [1, 1]);
    const promise = pool.run('add', [2, 2]);
    const shutdown = pool.shutdown({ cancelFutures: true });
    expect(future.cancelled()).toBe(true);
    await expect(promise).rejects.toThrow(new CancelledError('Task "add" was cancelled: WorkerPool.shutdown({ cancelFutures: true }) was called'));
    open(gate);
    await shutdown;
    expect(await running).toBe(1);
  });

  test('past its timeout, terminates what still runs (also a thread blocked in Atomics.wait)', async () => {
    const pool = testPool({ size: 1 });
    const entry = flag();
    const stuck = pool.run('blockForever', [entry]);
    await entered(entry);
    await pool.shutdown({ timeout: 10 });
    await expect(stuck).rejects.toThrow('Task "blockForever" was cancelled: WorkerPool.shutdown timed out after 10 milliseconds');
    expect(pool.threadCount).toBe(0);
  });

  test('wait: false returns at once; the pool still drains', async () => {
    const pool = testPool({ size: 1 });
    const gate = flag();
    const running = pool.run('waitForGate', [gate, 3]);
    await pool.shutdown({ wait: false });
    open(gate);
    expect(await running).toBe(3);
    await pool.shutdown();
    expect(pool.threadCount).toBe(0);
  });

  test('a signal gives up the wait, not the shutdown', async () => {
    const pool = testPool({ size: 1 });
    const gate = flag();
    const running = pool.run('waitForGate', [gate, 4]);
    const controller = new AbortController();
    const waiting = pool.shutdown({ signal: controller.signal });
    controller.abort(new Error('stop waiting'));
    await expect(waiting).rejects.toThrow('stop waiting');
    open(gate);
    expect(await running).toBe(4);
    await pool.shutdown();
    expect(pool.threadCount).toBe(0);
  });

  test('checks its options', async () => {
    const pool = testPool();
    await expect(pool.shutdown({ wait: 1 as any })).rejects.toThrow(new TypeError('Expected `wait` to be a boolean, got `1` (number)'));
    await expect(pool.shutdown({ timeout: -1 })).rejects.toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'));
    await pool[Symbol.asyncDispose]();
  });
});

describe('WorkerPool.terminate', () => {
  test('ends everything now: running and queued tasks reject with CancelledError', async () => {
    const pool = testPool({ size: 1, concurrentTasksPerWorker: 1 });
    const entry = flag();
    const stuck = pool.run('blockForever', [entry]);
    const queued = pool.submit('add', [1, 1]);
    await entered(entry);
    await pool.terminate();
    await expect(stuck).rejects.toThrow(new CancelledError('Task "blockForever" was cancelled: WorkerPool.terminate() was called'));
    expect(queued.cancelled()).toBe(true);
    expect(pool.threadCount).toBe(0);
    await pool.terminate(); // idempotent
  });
});

describe('the process', () => {
  const pool = fileURLToPath(new URL('../../src/workers/pool.ts', import.meta.url));
  const tasks = new URL('../fixtures/workers/tasks.ts', import.meta.url).href;

  test('an idle pool does not keep it alive, whatever flags it was started with', () => {
    const script = `import { WorkerPool } from ${JSON.stringify(pool)};
      const p = new WorkerPool({ module: ${JSON.stringify(tasks)}, size: 2 });
      console.log(await p.run('add', [20, 22]), await p.map('square', [1, 2, 3]));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('42 [ 1, 4, 9 ]\n');
    expect(child.status).toBe(0);
  });
});
