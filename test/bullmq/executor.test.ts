/**
 * `BullExecutor` against a real Redis, with workers started in this process by `startWorker`
 * (the fault tests in `faults.test.ts` use worker processes): results, failures with their
 * cause, deduplication, retries, and the three phases of cancellation.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BullExecutor, JobLostError, RemoteTaskError, startWorker, type BullWorker } from '../../src/bullmq/index.js';
import { CancelledError, InvalidStateError, TimeoutError } from '../../src/core/errors.js';
import { abortListeners, settle } from '../helpers.js';
import { deleteKeys, redisUrl, TASKS, uniquePrefix } from './support.js';

describe.skipIf(redisUrl === undefined)('BullExecutor with a worker in this process', () => {
  const url = redisUrl as string;
  let prefix: string;
  let executor: BullExecutor;
  let worker: BullWorker;
  let events: QueueEvents;

  beforeEach(async () => {
    prefix = uniquePrefix();
    executor = new BullExecutor({ queue: 'tasks', connection: url, prefix });
    worker = await startWorker({ queue: 'tasks', connection: url, prefix, module: TASKS, concurrency: 4 });
    events = new QueueEvents('tasks', { connection: { url }, prefix });
    await events.waitUntilReady();
  });

  afterEach(async () => {
    await executor.shutdown();
    await worker.close({ timeout: 0 });
    await events.close();
    await deleteKeys(url, prefix);
  });

  it('runs a task and returns its result', async () => {
    expect(await executor.run('add', [2, 3])).toBe(5);
    expect(await executor.run('echo', [{ a: [1, 'two', null, true], b: { c: 1.5 } }])).toEqual({ a: [1, 'two', null, true], b: { c: 1.5 } });
  });

  it('gives undefined results as null, as JSON does', async () => {
    expect(await executor.run('noop')).toBeNull();
  });

  it('submits a future', async () => {
    const future = executor.submit<number>('add', [20, 22]);
    expect(await future).toBe(42);
    expect(future.done()).toBe(true);
  });

  it('maps items in order', async () => {
    expect(await executor.map('echo', [3, 1, 2])).toEqual([3, 1, 2]);
    expect(await executor.map('echo', [])).toEqual([]);
  });

  it('rejects with the remote error: name, message, stack, job id, attempts', async () => {
    const outcome = await settle(executor.run('fail', ['out of range'], { jobId: 'failing-job' }));
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: RemoteTaskError }).error;
    expect(error).toBeInstanceOf(RemoteTaskError);
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('out of range');
    expect(error.stack).toContain('tasks.ts');
    expect(error.jobId).toBe('failing-job');
    expect(error.attemptsMade).toBe(1);
  });

  it('reports a thrown non-error, a missing export and an unserializable result, each alone', async () => {
    const [thrown, missing, result, fine] = await Promise.all([
      settle(executor.run('throwString')),
      settle(executor.run('nope', [], { attempts: 3 })),
      settle(executor.run('badResult', [], { attempts: 3 })),
      executor.run('add', [1, 1]),
    ]);
    expect((thrown as { error: Error }).error.message).toBe('Non-error thrown: not an error');
    const missingError = (missing as { error: RemoteTaskError }).error;
    expect(missingError.name).toBe('TypeError');
    expect(missingError.message).toMatch(/^Task module file:.*tasks\.ts has no exported function "nope" \(it exports .*add.*\)$/);
    expect(missingError.attemptsMade).toBe(1);
    const resultError = (result as { error: RemoteTaskError }).error;
    expect(resultError.message).toBe(
      'Task "badResult" returned a value that does not survive the trip back: Expected `result` to be a JSON value (null, boolean, finite number, string, array or plain object), got `[object Date]` (Date)',
    );
    expect(resultError.attemptsMade).toBe(1);
    expect(fine).toBe(2);
  });

  it('retries with attempts and backoff', async () => {
    expect(await executor.run('flaky', ['retry-me', 2], { attempts: 3, backoff: 10 })).toBe(3);
    const outcome = await settle(executor.run('flaky', ['give-up', 5], { attempts: 2, backoff: { type: 'exponential', delay: 5 } }));
    const error = (outcome as { error: RemoteTaskError }).error;
    expect(error.message).toBe('flaky give-up failed attempt 2');
    expect(error.attemptsMade).toBe(2);
  });

  it('deduplicates by jobId: a second submit attaches to the same job, even after it finished', async () => {
    const first = executor.run('whoAmI', [], { jobId: 'same-job' });
    const second = executor.run('whoAmI', [], { jobId: 'same-job' });
    expect(await first).toBe(await second);
    // Another executor's `add` with other arguments gets the finished job's result: it did not run again.
    const other = new BullExecutor({ queue: 'tasks', connection: url, prefix });
    try {
      expect(await other.run('add', [1, 2], { jobId: 'same-job' })).toBe(process.pid);
    } finally {
      await other.shutdown();
    }
  });

  it('rejects a remote failure found at resubmission with its RemoteTaskError', async () => {
    await settle(executor.run('fail', ['once'], { jobId: 'failed-before' }));
    const again = await settle(executor.run('fail', ['twice'], { jobId: 'failed-before' }));
    expect((again as { error: RemoteTaskError }).error).toMatchObject({ name: 'RangeError', message: 'once', jobId: 'failed-before' });
  });

  it('rejects at once with the reason of an aborted signal, sending nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('never mind'));
    await expect(executor.run('add', [1, 2], { signal: controller.signal })).rejects.toThrow('never mind');
    const future = executor.submit('add', [1, 2], { signal: controller.signal });
    await expect(future.result()).rejects.toThrow('never mind');
    await expect(executor.map('add', [1], { signal: controller.signal })).rejects.toThrow('never mind');
    expect(executor.pending).toBe(0);
  });

  it('cancels a running job through BullMQ: the remote signal aborts and the job fails without retry', async () => {
    const controller = new AbortController();
    const active = new Promise<void>((resolve) => events.once('active', () => resolve()));
    const failed = new Promise<{ failedReason: string }>((resolve) => events.once('failed', (args) => resolve(args)));
    const running = executor.run('waitForAbort', [], { signal: controller.signal, attempts: 3, jobId: 'to-cancel' });
    await active;
    controller.abort(new Error('stop it'));
    await expect(running).rejects.toThrow('stop it');
    const { failedReason } = await failed;
    expect(JSON.parse(failedReason)).toMatchObject({ name: 'CancelledError', message: 'Job to-cancel was cancelled by its caller: Error: stop it', attemptsMade: 1 });
  });

  it('times out a running job with TimeoutError and cancels it', async () => {
    const failed = new Promise<{ failedReason: string }>((resolve) => events.once('failed', (args) => resolve(args)));
    await expect(executor.run('waitForAbort', [], { timeout: 300 })).rejects.toThrow(new TimeoutError('BullExecutor.run timed out after 300 milliseconds'));
    expect(JSON.parse((await failed).failedReason)).toMatchObject({ name: 'CancelledError' });
  });

  it('hands a job still running when the worker closes back to the queue, its task\'s signal aborted with a CancelledError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-handback-'));
    const file = join(dir, 'reason');
    const active = new Promise<string>((resolve) => events.once('active', ({ jobId }) => resolve(jobId)));
    const waiting = new Promise<string>((resolve) => events.on('waiting', ({ jobId }) => jobId === 'handed-back' && resolve(jobId)));
    const running = settle(executor.run('reportAbort', [file], { jobId: 'handed-back' }));
    expect(await active).toBe('handed-back');
    await worker.close({ timeout: 0 });
    expect(worker.counts.handedBack).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('CancelledError: Job handed-back was handed back: its worker is closing');
    rmSync(dir, { recursive: true });
    expect(await waiting).toBe('handed-back');
    expect(executor.pending).toBe(1);
    await executor.shutdown({ timeout: 0 });
    expect(await running).toMatchObject({ ok: false, error: { name: 'CancelledError' } });
  });

  it('removes a waiting job when its caller gives up', async () => {
    await worker.close({ timeout: 0 });
    const removed = new Promise<string>((resolve) => events.once('removed', ({ jobId }) => resolve(jobId)));
    const added = new Promise<void>((resolve) => events.once('waiting', () => resolve()));
    const controller = new AbortController();
    const waiting = executor.run('add', [1, 2], { signal: controller.signal, jobId: 'never-runs' });
    await added;
    controller.abort(new Error('changed my mind'));
    await expect(waiting).rejects.toThrow('changed my mind');
    expect(await removed).toBe('never-runs');
  });

  it('fails a caller whose job was removed by someone else with JobLostError', async () => {
    await worker.close({ timeout: 0 });
    const added = new Promise<void>((resolve) => events.once('waiting', () => resolve()));
    const waiting = settle(executor.run('add', [1, 2], { jobId: 'removed-by-admin' }));
    await added;
    const { Queue } = await import('bullmq');
    const admin = new Queue('tasks', { connection: { url }, prefix });
    await admin.remove('removed-by-admin');
    await admin.close();
    expect(await waiting).toEqual({
      ok: false,
      error: new JobLostError('Job removed-by-admin of queue "tasks" is gone before it finished: it was removed from the queue', 'removed-by-admin'),
    });
  });

  it('cancels a future that has not reached Redis, and not one that has', async () => {
    const small = new BullExecutor({ queue: 'tasks', connection: url, prefix, maxInFlight: 1 });
    try {
      const first = small.submit('sleep', [50]);
      const second = small.submit('add', [1, 2]);
      expect(second.cancel()).toBe(true);
      expect(first.cancel()).toBe(false);
      expect(await first).toBe(50);
      await expect(second.result()).rejects.toThrow(CancelledError);
    } finally {
      await small.shutdown();
    }
  });

  it('leaves no listener on the caller\'s signal, settled or aborted', async () => {
    const controller = new AbortController();
    expect(await executor.run('add', [1, 2], { signal: controller.signal, timeout: 10_000 })).toBe(3);
    expect(await executor.submit('add', [2, 2], { signal: controller.signal })).toBe(4);
    expect(await executor.map('echo', [1, 2], { signal: controller.signal })).toEqual([1, 2]);
    expect(abortListeners(controller.signal)).toBe(0);
    const other = new AbortController();
    const running = executor.run('waitForAbort', [], { signal: other.signal });
    other.abort(new Error('gone'));
    await expect(running).rejects.toThrow('gone');
    expect(abortListeners(other.signal)).toBe(0);
  });

  it('refuses new tasks after shutdown, and waits for running ones', async () => {
    const running = executor.run('sleep', [100]);
    await executor.shutdown();
    expect(await running).toBe(100);
    await expect(executor.run('add', [1, 2])).rejects.toThrow(new InvalidStateError('BullExecutor.run cannot start task "add": the executor is shut down'));
    expect(() => executor.submit('add', [1, 2])).toThrow(new InvalidStateError('BullExecutor.submit cannot start task "add": the executor is shut down'));
    await expect(executor.map('add', [1])).rejects.toThrow(new InvalidStateError('BullExecutor.map cannot start task "add": the executor is shut down'));
  });
});
