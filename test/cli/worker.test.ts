/**
 * `loom worker`, the built command run as a child process: its usage errors, and its way out
 * on SIGTERM: stop taking jobs, finish the running ones or hand them back after `--grace`,
 * print what it did, exit 0. A handed-back job is run by the next worker, and its caller gets
 * one result.
 */

import { QueueEvents } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { BullExecutor } from '../../src/bullmq/index.js';
import { startWorkerProcess, type WorkerProcess } from '../bullmq/processes.js';
import { deleteKeys, redisUrl, uniquePrefix } from '../bullmq/support.js';
import { runCli } from './spawn-cli.js';

const HINT = 'Run `loom --help` for usage.\n';

describe('loom worker: usage', () => {
  it.each([
    [['worker', '--queue', 'q', '--module', 'tasks.js'], 'Missing --redis URL: loom worker needs --redis, --queue and --module'],
    [['worker', '--redis', 'redis://127.0.0.1:6379', '--module', 'tasks.js'], 'Missing --queue NAME: loom worker needs --redis, --queue and --module'],
    [['worker', '--redis', 'http://127.0.0.1', '--queue', 'q', '--module', 'tasks.js'], 'Expected `--redis` to be a redis:// or rediss:// URL of at most 2048 characters, got `"http://127.0.0.1"`'],
    [['worker', '--redis', 'redis://127.0.0.1', '--queue', 'q', '--module', 't.js', '--concurrency', '0'], 'Expected `--concurrency` to be an integer from 1 to 100000, got `0`'],
    [['worker', 'stray'], 'Unexpected argument stray for loom worker: it takes options only'],
  ])('%j exits 2: %s', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${message}\n${HINT}` });
  });

  it('exits 1 when the task module cannot be loaded', async () => {
    const { code, stderr } = await runCli(['worker', '--redis', 'redis://127.0.0.1:6379', '--queue', 'q', '--module', '/nonexistent/tasks.js']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^loom: Cannot find module '\/nonexistent\/tasks\.js'/);
  });
});

describe.skipIf(redisUrl === undefined)('loom worker: SIGTERM', () => {
  const url = redisUrl as string;
  const started: WorkerProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const worker of started) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await Promise.all(started.map((worker) => worker.finished));
    started.length = 0;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(): Promise<{ prefix: string; executor: BullExecutor; events: QueueEvents }> {
    const prefix = uniquePrefix();
    cleanups.push(() => deleteKeys(url, prefix));
    const executor = new BullExecutor({ queue: 'q', connection: url, prefix });
    cleanups.push(() => executor.shutdown());
    const events = new QueueEvents('q', { connection: { url }, prefix });
    cleanups.push(() => events.close());
    await events.waitUntilReady();
    return { prefix, executor, events };
  }

  it('finishes a running job, then exits 0', async () => {
    const { prefix, executor, events } = await setUp();
    const worker = startWorkerProcess(url, 'q', prefix);
    started.push(worker);
    await worker.ready;
    const active = new Promise<void>((resolve) => events.once('active', () => resolve()));
    const running = executor.run<{ item: number; pid: number }>('tag', [7, 500]);
    await active;
    worker.child.kill('SIGTERM');
    expect(await running).toEqual({ item: 7, pid: worker.child.pid });
    const { code, stdout } = await worker.finished;
    expect(code).toBe(0);
    expect(stdout).toBe('loom worker ready: queue q, concurrency 1, threads 0\nloom worker stopped: 1 completed, 0 failed, 0 handed back\n');
  });

  it('hands back a job still running after --grace; the next worker runs it and the caller gets one result', async () => {
    const { prefix, executor, events } = await setUp();
    const first = startWorkerProcess(url, 'q', prefix, ['--grace', '100']);
    started.push(first);
    await first.ready;
    const active = new Promise<void>((resolve) => events.once('active', () => resolve()));
    const running = executor.run<{ item: number; pid: number }>('tag', [8, 1500]);
    await active;
    first.child.kill('SIGTERM');
    const { code, stdout } = await first.finished;
    expect(code).toBe(0);
    expect(stdout).toBe('loom worker ready: queue q, concurrency 1, threads 0\nloom worker stopped: 0 completed, 0 failed, 1 handed back\n');
    expect(executor.pending).toBe(1);
    const second = startWorkerProcess(url, 'q', prefix);
    started.push(second);
    await second.ready;
    expect(await running).toEqual({ item: 8, pid: second.child.pid });
  }, 40_000);
});
