/**
 * The faults `loom/bullmq` must survive, each caused for real (STYLE 20): a worker process
 * SIGKILLed in the middle of its jobs, Redis restarted with and without persistence under
 * queued and running jobs, and 10,000 tasks at once on 4 worker processes. Every item is
 * counted end to end.
 */

import { QueueEvents } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BullExecutor, JobLostError } from '../../src/bullmq/index.js';
import { settle } from '../helpers.js';
import { freePort, PrivateRedis, startWorkerProcess, type WorkerProcess } from './processes.js';
import { deleteKeys, redisUrl, uniquePrefix } from './support.js';

/** Short lock and stalled check, so that a killed worker's jobs come back within about 2 seconds. */
const FAST_STALL = ['--lock-duration', '1000', '--stalled-interval', '500'];

describe.skipIf(redisUrl === undefined)('loom/bullmq under faults', () => {
  const workers: WorkerProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(() => {
    workers.length = 0;
    cleanups.length = 0;
  });

  afterEach(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.finished));
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('a worker SIGKILLed mid-task: another takes its jobs, every item comes back exactly once', async () => {
    const url = redisUrl as string;
    const prefix = uniquePrefix();
    cleanups.push(() => deleteKeys(url, prefix));
    const doomed = startWorkerProcess(url, 'q', prefix, [...FAST_STALL, '--concurrency', '2']);
    const survivor = startWorkerProcess(url, 'q', prefix, [...FAST_STALL, '--concurrency', '2']);
    workers.push(doomed, survivor);
    await Promise.all(workers.map((worker) => worker.ready));
    const events = new QueueEvents('q', { connection: { url }, prefix });
    cleanups.push(() => events.close());
    await events.waitUntilReady();
    let stalled = 0;
    events.on('stalled', () => stalled++);
    const executor = new BullExecutor({ queue: 'q', connection: url, prefix });
    cleanups.push(() => executor.shutdown());

    const items = Array.from({ length: 40 }, (_, i) => i);
    const results: { item: number; pid: number }[] = [];
    let killed = false;
    const all = Promise.all(
      items.map(async (item) => {
        const result = await executor.run<{ item: number; pid: number }>('tag', [item, 150]);
        results.push(result);
        // Once the doomed worker has finished one job it is busy with the next ones (the queue is full).
        if (!killed && result.pid === doomed.child.pid) {
          killed = true;
          doomed.child.kill('SIGKILL');
        }
      }),
    );
    await all;
    expect(killed).toBe(true);
    expect((await doomed.finished).code).toBeNull();
    expect(results.map((result) => result.item).sort((a, b) => a - b)).toEqual(items);
    expect(stalled).toBeGreaterThanOrEqual(1);
    expect(results.some((result) => result.pid === survivor.child.pid)).toBe(true);
  });

  it('Redis restarted with persistence under queued and running jobs: callers and workers reconnect, nothing is lost', async () => {
    const redis = new PrivateRedis(await freePort(), true);
    cleanups.push(() => redis.dispose());
    await redis.start();
    const prefix = uniquePrefix();
    workers.push(startWorkerProcess(redis.url, 'q', prefix), startWorkerProcess(redis.url, 'q', prefix));
    await Promise.all(workers.map((worker) => worker.ready));
    const executor = new BullExecutor({ queue: 'q', connection: redis.url, prefix });
    cleanups.push(() => executor.shutdown());

    const items = Array.from({ length: 30 }, (_, i) => i);
    let done = 0;
    let restarted: Promise<void> | undefined;
    const results = await Promise.all(
      items.map(async (item) => {
        const result = await executor.run<{ item: number }>('tag', [item, 100]);
        if (++done === 5) restarted = redis.stop().then(() => redis.start());
        return result.item;
      }),
    );
    await restarted;
    expect(results).toEqual(items);
    // The workers are still there, connected to the restarted server.
    expect(await executor.run('add', [1, 2])).toBe(3);
  });

  it('Redis restarted without persistence: callers whose jobs vanished get JobLostError, none hangs', async () => {
    const redis = new PrivateRedis(await freePort(), false);
    cleanups.push(() => redis.dispose());
    await redis.start();
    const prefix = uniquePrefix();
    workers.push(startWorkerProcess(redis.url, 'q', prefix));
    await Promise.all(workers.map((worker) => worker.ready));
    const executor = new BullExecutor({ queue: 'q', connection: redis.url, prefix });
    cleanups.push(() => executor.shutdown());

    const items = Array.from({ length: 20 }, (_, i) => i);
    let done = 0;
    let restarted: Promise<void> | undefined;
    const outcomes = await Promise.all(
      items.map((item) =>
        settle(
          executor.run<{ item: number }>('tag', [item, 100]).then((result) => {
            if (++done === 3) restarted = redis.stop().then(() => redis.start());
            return result.item;
          }),
        ),
      ),
    );
    await restarted;
    const lost = outcomes.filter((outcome) => !outcome.ok);
    expect(lost.length).toBeGreaterThan(0);
    for (const outcome of lost) {
      const error = (outcome as { error: unknown }).error;
      expect(error).toBeInstanceOf(JobLostError);
      expect((error as JobLostError).message).toMatch(/^Job .+ of queue "q" is gone before it finished: Redis no longer has it \(a Redis restarted without persistence loses every job\)$/);
    }
    for (const [i, outcome] of outcomes.entries()) if (outcome.ok) expect(outcome.value).toBe(i);
    expect(await executor.run('add', [1, 2])).toBe(3);
  });

  it('10,000 tasks at once on 4 worker processes: all complete, the caller stays small, Redis keeps no results', async () => {
    const url = redisUrl as string;
    const prefix = uniquePrefix();
    cleanups.push(() => deleteKeys(url, prefix));
    for (let i = 0; i < 4; i++) workers.push(startWorkerProcess(url, 'q', prefix, ['--concurrency', '50']));
    await Promise.all(workers.map((worker) => worker.ready));
    const executor = new BullExecutor({ queue: 'q', connection: url, prefix });
    cleanups.push(() => executor.shutdown());
    await executor.run('noop');

    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    cleanups.push(async () => clearInterval(sample));
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const results = await executor.map<number>('echo', items);
    clearInterval(sample);
    expect(results).toEqual(items);
    expect(executor.pending).toBe(0);
    // Futures, jobs and events of 10,000 tasks: far below a leak of one result set per event.
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
    const { Redis } = await import('ioredis');
    const redis = new Redis(url);
    try {
      const jobKeys = (await redis.keys(`${prefix}:q:loom-*`)).length;
      expect(jobKeys).toBe(0);
    } finally {
      redis.disconnect();
    }
  }, 120_000);
});
