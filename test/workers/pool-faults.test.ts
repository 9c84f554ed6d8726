/**
 * Every way a worker thread can fail a task: its task rejects with an error naming the cause,
 * the thread is replaced for later tasks, and the tasks elsewhere settle normally.
 */

import { describe, expect, test } from 'vitest';
import { WorkerError } from '../../src/workers/errors.js';
import { entered, flag, testPool } from './support.js';

describe('a failing worker thread', () => {
  test('process.exit: the task rejects with the exit code, the thread is replaced', async () => {
    const pool = testPool({ size: 1, concurrentTasksPerWorker: 1 });
    try {
      const before = await pool.run<number>('whoAmI');
      const f = flag();
      const error = await pool.run('exitWith', [f, 3]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerError);
      expect(error).toMatchObject({ message: 'Worker thread exited with code 3 while running task "exitWith"', exitCode: 3 });
      const after = await pool.run<number>('whoAmI');
      expect(after).not.toBe(before);
    } finally {
      await pool.terminate();
    }
  });

  test('an uncaught exception outside the task: rejects naming it, other threads unaffected', async () => {
    const pool = testPool({ size: 2, concurrentTasksPerWorker: 1 });
    try {
      const gate = flag();
      const elsewhere = pool.run('waitForGate', [gate, 5]);
      const error = await pool.run('crashLater').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerError);
      expect((error as Error).message).toBe('Worker thread crashed while running task "crashLater": Error: uncaught in worker');
      expect((error as Error).cause).toMatchObject({ message: 'uncaught in worker' });
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      expect(await elsewhere).toBe(5);
      expect(await pool.run('add', [1, 2])).toBe(3);
    } finally {
      await pool.terminate();
    }
  });

  test('out of memory under resourceLimits: rejects naming it', async () => {
    const pool = testPool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
    try {
      const error = await pool.run('hog').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerError);
      expect((error as Error).message).toBe('Worker thread ran out of memory while running task "hog"');
      expect((error as Error).cause).toMatchObject({ code: 'ERR_WORKER_OUT_OF_MEMORY' });
      expect(await pool.run('add', [2, 2])).toBe(4);
    } finally {
      await pool.terminate();
    }
  }, 30_000);

  test('a result that cannot be cloned: a DataCloneError naming the task; the batch-mates still succeed', async () => {
    const pool = testPool({ size: 1 });
    try {
      const [bad, good] = await Promise.allSettled([pool.run('unclonable'), pool.run('add', [1, 2])]);
      expect(bad).toMatchObject({ status: 'rejected', reason: { name: 'DataCloneError' } });
      expect((bad as PromiseRejectedResult).reason.message).toMatch(/^Task "unclonable" returned a value that cannot be cloned: /);
      expect(good).toEqual({ status: 'fulfilled', value: 3 });
    } finally {
      await pool.terminate();
    }
  });

  test('a task that never returns: its abort rejects it at once; after abortGrace its thread is terminated and replaced, and the task in flight beside it rejects naming why', async () => {
    const pool = testPool({ size: 1, concurrentTasksPerWorker: 2, abortGrace: 0 });
    try {
      const before = await pool.run<number>('whoAmI');
      const f = flag();
      const controller = new AbortController();
      const stuck = pool.run('blockForever', [f], { signal: controller.signal });
      const sibling = pool.run('waitForGate', [flag(), 1]);
      await entered(f);
      controller.abort(new Error('give up'));
      await expect(stuck).rejects.toThrow('give up');
      const error = await sibling.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerError);
      expect((error as Error).message).toBe(
        'Worker thread was terminated while running task "waitForGate": task "blockForever" did not stop within 0 milliseconds of its abort',
      );
      expect(await pool.run<number>('whoAmI')).not.toBe(before);
    } finally {
      await pool.terminate();
    }
  });

  test('a task that never returns, with a timeout: rejects with TimeoutError and the pool recovers', async () => {
    const pool = testPool({ size: 1, abortGrace: 0 });
    try {
      await expect(pool.run('blockForever', [flag()], { timeout: 50 })).rejects.toThrow('WorkerPool.run timed out after 50 milliseconds');
      expect(await pool.run('add', [1, 2])).toBe(3);
    } finally {
      await pool.terminate();
    }
  });

  test('a module that fails to load: every task rejects with the load error, nothing respawns in a loop', async () => {
    const { WorkerPool } = await import('../../src/workers/pool.js');
    const missing = new URL('../fixtures/workers/missing.js', import.meta.url).href;
    const pool = new WorkerPool({ module: missing, size: 1 });
    try {
      const results = await Promise.allSettled([pool.run('a'), pool.run('b'), pool.run('c')]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(WorkerError);
        expect((result as PromiseRejectedResult).reason.message).toMatch(new RegExp(`^Could not load task module ${missing}: Error: Cannot find module`));
        expect((result as PromiseRejectedResult).reason.cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
      }
      expect(pool.threadCount).toBe(0);
    } finally {
      await pool.terminate();
    }
  });
});
