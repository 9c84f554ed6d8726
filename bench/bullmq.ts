/**
 * `loom/bullmq` against raw BullMQ, in one run: 10,000 no-op tasks with 64 in flight, on two
 * worker processes (32 jobs at once each).
 *
 * - loom: `BullExecutor.run` through loom's `map` (concurrency 64), two `loom worker` processes.
 * - raw BullMQ: the same by hand, as the BullMQ guide writes it: `Queue.add` with an id made
 *   before the add, a `QueueEvents` `completed` listener keyed by job id, two processes with a
 *   bare `Worker`. loom must reach 0.9x of its tasks/s.
 * - WorkerPool: the same tasks on two local threads: the price of going through Redis.
 *
 * This file is also the task module of the loom workers (its `noop` export). Without Redis
 * the suite prints one line and is skipped, unless `LOOM_REQUIRE_REDIS=1` (CI), which makes
 * that an error.
 *
 * @module
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { BullExecutor } from '../src/bullmq/index.js';
import { map } from '../src/tasks/index.js';
import { WorkerPool } from '../src/workers/index.js';
import { interleaved, printTable, type Suite } from './harness.js';
import { pingRedis } from './redis.js';

/** The task. */
export function noop(): null {
  return null;
}

const SELF = fileURLToPath(import.meta.url);
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IN_FLIGHT = 64;
const PER_WORKER = IN_FLIGHT / 2;

/** A bare BullMQ worker process: argv is url, prefix, queue, concurrency. */
const RAW_WORKER = `
const { Worker } = await import('bullmq');
const [url, prefix, queue, concurrency] = process.argv.slice(1);
const worker = new Worker(queue, async () => null, { connection: { url }, prefix, concurrency: Number(concurrency) });
worker.on('error', () => {});
await worker.waitUntilReady();
console.log('ready');
process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
`;

/** Starts a process and resolves once it printed a line starting with `ready` (or `loom worker ready`). */
async function startProcess(args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (/^(loom worker )?ready/m.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited with ${code}: ${out}`)));
  });
  child.stdout?.resume();
  return child;
}

async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

/** Raw BullMQ, written by hand: ids made before `add`, results from `QueueEvents` by id. */
async function rawBullmq(url: string, prefix: string, queueName: string): Promise<{ run: (i: number) => Promise<unknown>; close: () => Promise<void> }> {
  const { Queue, QueueEvents } = await import('bullmq');
  const queue = new Queue(queueName, { connection: { url }, prefix });
  // From the stream's start (the prefix is fresh): with the default '$' the reader begins only
  // once its first XREAD is sent, after `waitUntilReady`, and the first jobs' `completed` events
  // can come before it, leaving their callers waiting forever. (Run first, the raw case hung so.)
  const events = new QueueEvents(queueName, { connection: { url }, prefix, lastEventId: '0-0' });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const waiting = new Map<string, (value: unknown) => void>();
  events.on('completed', ({ jobId, returnvalue }) => waiting.get(jobId)?.(returnvalue));
  const base = `raw-${randomBytes(4).toString('hex')}-`;
  let next = 0;
  return {
    run: async (i) => {
      const jobId = base + String(next++);
      const done = new Promise((resolve) => waiting.set(jobId, resolve));
      await queue.add('noop', [i], { jobId, removeOnComplete: true, removeOnFail: true });
      const value = await done;
      waiting.delete(jobId);
      return value;
    },
    close: async () => {
      await events.close();
      await queue.close();
    },
  };
}

async function tasksPerSecond(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const items = Array.from({ length: count }, (_, i) => i);
  const start = performance.now();
  await map(items, run, { concurrency: IN_FLIGHT });
  return (count / (performance.now() - start)) * 1000;
}

const suite: Suite = async ({ quick }) => {
  const url = process.env.LOOM_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await pingRedis(url))) {
    if (process.env.LOOM_REQUIRE_REDIS === '1') throw new Error(`bench bullmq: Redis does not answer at ${url}, and LOOM_REQUIRE_REDIS=1 requires it`);
    console.log(`\n## bullmq: skipped, no Redis answers at ${url} (start one, or set LOOM_REDIS_URL)`);
    return;
  }
  const count = quick ? 200 : 10_000;
  const prefix = `loombench-${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  const executor = new BullExecutor({ queue: 'loom', connection: url, prefix });
  const pool = new WorkerPool({ module: new URL(import.meta.url), size: 2 });
  let raw: Awaited<ReturnType<typeof rawBullmq>> | undefined;
  try {
    for (let i = 0; i < 2; i++) {
      children.push(await startProcess([CLI, 'worker', '--redis', url, '--queue', 'loom', '--prefix', prefix, '--module', SELF, '--concurrency', String(PER_WORKER)]));
      children.push(await startProcess(['--input-type=module', '-e', RAW_WORKER, url, prefix, 'raw', String(PER_WORKER)]));
    }
    raw = await rawBullmq(url, prefix, 'raw');
    const rawRun = raw.run;
    const rows = await interleaved(
      [
        ['loom BullExecutor', () => tasksPerSecond(count, (i) => executor.run('noop', [i]))],
        ['raw BullMQ', () => tasksPerSecond(count, rawRun)],
        ['WorkerPool (local threads)', () => tasksPerSecond(count, (i) => pool.run('noop', [i]))],
      ],
      quick ? 1 : 3,
      quick,
    );
    printTable(`${count.toLocaleString('en-US')} no-op tasks, 2 worker processes, ${IN_FLIGHT} in flight`, 'tasks/s', rows, 'raw BullMQ', true);
  } finally {
    await executor.shutdown();
    await raw?.close();
    await pool.shutdown();
    await stopAll(children);
    const { Redis } = await import('ioredis');
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
};

export default suite;
