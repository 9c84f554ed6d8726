/**
 * Worker-thread pools: loom's `WorkerPool` against piscina, tinypool, workerpool and raw
 * `postMessage` (the limit), in one run.
 *
 * 1. Tiny tasks: 100k `a + b` submitted at once on 2 threads, one call per task (throughput).
 * 2. Latency: one task at a time, p50 and p99 of the round trip, the pools sampled in turn.
 * 3. Batched: loom's `map` over 1M tiny items against raw batched `postMessage` (256 per message).
 * 4. CPU scaling: the seed's factorize on 10x its numbers (40 factorizations), serially and on
 *    warm pools of each thread count in `LOOM_BENCH_THREADS` (default 1, 2, 4, … up to the
 *    cores present, and the core count itself), so the same command measures a many-core machine.
 *
 * This file is also the task module of every pool here (loom, piscina and tinypool import it
 * for the exported functions; workerpool runs it as its worker script, which then registers
 * its functions), so the peers run the very same code.
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { WorkerPool } from '../src/workers/index.js';
import { median, printTable, type Row, type Suite } from './harness.js';

/** The tiny task. */
export function add(a: number, b: number): number {
  return a + b;
}

/** The tiny task as piscina and tinypool call it: one argument. */
export function addPair(pair: { a: number; b: number }): number {
  return pair.a + pair.b;
}

/** The tiny item function of the batched case. */
export function double(x: number): number {
  return x * 2;
}

/** The seed's naive factorization (item 53). */
export function factorize(number: number): number[] {
  const factors: number[] = [];
  for (let i = 1; i <= number; i++) if (number % i === 0) factors.push(i);
  return factors;
}

if (!isMainThread && (workerData as { loomBench?: string } | null)?.loomBench === 'workerpool') {
  workerpool.worker({ add, factorize });
}

const SELF = import.meta.url;
const NUMBERS = [2139079, 1214759, 1516637, 1852285];

/** The common surface of the pools measured here. */
interface Contender {
  readonly name: string;
  run(a: number, b: number): Promise<number>;
  factorize(n: number): Promise<number[]>;
  close(): Promise<void>;
}

/** The pools named in `names`, each with `threads` threads. */
function contenders(threads: number, names: readonly string[]): Contender[] {
  const make: Record<string, () => Contender> = {
    loom: () => {
      const loom = new WorkerPool({ module: SELF, size: threads });
      return { name: 'loom', run: (a, b) => loom.run<number>('add', [a, b]), factorize: (n) => loom.run<number[]>('factorize', [n]), close: () => loom.shutdown() };
    },
    piscina: () => {
      const piscina = new Piscina({ filename: SELF, minThreads: threads, maxThreads: threads });
      return {
        name: 'piscina',
        run: (a, b) => piscina.run({ a, b }, { name: 'addPair' }) as Promise<number>,
        factorize: (n) => piscina.run(n, { name: 'factorize' }) as Promise<number[]>,
        close: () => piscina.destroy(),
      };
    },
    tinypool: () => {
      const tinypool = new Tinypool({ filename: SELF, minThreads: threads, maxThreads: threads });
      return {
        name: 'tinypool',
        run: (a, b) => tinypool.run({ a, b }, { name: 'addPair' }) as Promise<number>,
        factorize: (n) => tinypool.run(n, { name: 'factorize' }) as Promise<number[]>,
        close: () => tinypool.destroy(),
      };
    },
    workerpool: () => {
      const wp = workerpool.pool(new URL(SELF).pathname, {
        workerType: 'thread',
        minWorkers: threads,
        maxWorkers: threads,
        workerThreadOpts: { workerData: { loomBench: 'workerpool' } },
      });
      return {
        name: 'workerpool',
        run: (a, b) => wp.exec('add', [a, b]),
        factorize: (n) => wp.exec('factorize', [n]),
        close: async () => {
          await wp.terminate();
        },
      };
    },
  };
  // Every name is one of make's keys (the callers below pass literals).
  return names.map((name) => (make[name] as () => Contender)());
}

/** Raw `postMessage` to `threads` bare workers: the floor every pool sits on. */
function rawWorkers(threads: number): Worker[] {
  const code = `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (m) => {
      if (m.length === 2) { parentPort.postMessage(m[0] + m[1]); return; }
      const out = new Array(m.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = m[2 * i] + m[2 * i + 1];
      parentPort.postMessage(out);
    });`;
  return Array.from({ length: threads }, () => new Worker(code, { eval: true, execArgv: [] }));
}

/** Posts `count` pairs (`batch` per message, round-robin over `workers`) and resolves when every answer is back. */
function rawRound(workers: readonly Worker[], count: number, batch: number): Promise<void> {
  return new Promise((resolve) => {
    let left = Math.ceil(count / batch);
    const onMessage = (): void => {
      if (--left === 0) {
        for (const worker of workers) worker.off('message', onMessage);
        resolve();
      }
    };
    for (const worker of workers) worker.on('message', onMessage);
    for (let sent = 0, k = 0; sent < count; sent += batch, k++) {
      const n = Math.min(batch, count - sent);
      const message = new Array<number>(n * 2);
      for (let i = 0; i < n; i++) {
        message[2 * i] = sent + i;
        message[2 * i + 1] = 1;
      }
      (workers[k % workers.length] as Worker).postMessage(message);
    }
  });
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function throughputAndLatency(quick: boolean): Promise<void> {
  const count = quick ? 1000 : 100_000;
  const samples = quick ? 50 : 3000;
  const runs = quick ? 1 : 5;
  const pools = contenders(2, ['loom', 'piscina', 'tinypool', 'workerpool']);
  const raw = rawWorkers(2);
  const rows: Row[] = [];
  const latency: Row[] = [];
  try {
    for (const pool of pools) {
      await Promise.all([pool.run(1, 1), pool.run(1, 1)]);
      const rates: number[] = [];
      for (let r = 0; r < runs + (quick ? 0 : 1); r++) {
        const ms = await timeMs(() => Promise.all(Array.from({ length: count }, (_, i) => pool.run(i, 1))));
        if (quick || r > 0) rates.push((count / ms) * 1000);
      }
      rows.push({ name: pool.name, median: median(rates) });
    }
    // Round-robin over the pools, one sample each in turn, so that the machine's noise falls on all alike.
    const rtts = pools.map((): number[] => []);
    for (let i = 0; i < samples; i++) {
      for (const [k, pool] of pools.entries()) {
        const start = process.hrtime.bigint();
        await pool.run(i, 1);
        rtts[k]?.push(Number(process.hrtime.bigint() - start) / 1000);
      }
    }
    for (const [k, pool] of pools.entries()) {
      const sorted = [...(rtts[k] ?? [])].sort((x, y) => x - y);
      latency.push({ name: pool.name, median: median(sorted), extra: { p99: `${(sorted[Math.floor(sorted.length * 0.99)] ?? 0).toFixed(1)} µs` } });
    }
    for (const [name, batch] of [
      ['raw postMessage, pipelined', 1],
      ['raw postMessage, 256 per message', 256],
    ] as const) {
      const rates: number[] = [];
      for (let r = 0; r < runs + (quick ? 0 : 1); r++) {
        const ms = await timeMs(() => rawRound(raw, count, batch));
        if (quick || r > 0) rates.push((count / ms) * 1000);
      }
      rows.push({ name, median: median(rates) });
    }
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
    await Promise.all(raw.map((worker) => worker.terminate()));
  }
  printTable(`Tiny tasks: ${count} x a + b submitted at once, one call each, 2 threads`, 'tasks/s', rows, 'piscina', true);
  printTable('Latency: one a + b at a time, 2 threads', 'p50 µs', latency, 'piscina', false);
}

async function batched(quick: boolean): Promise<void> {
  const count = quick ? 10_000 : 1_000_000;
  const runs = quick ? 1 : 5;
  const items = Array.from({ length: count }, (_, i) => i);
  const pool = new WorkerPool({ module: SELF, size: 2 });
  const raw = rawWorkers(2);
  const rows: Row[] = [];
  try {
    await pool.map('double', [1, 2]);
    const loomRates: number[] = [];
    const rawRates: number[] = [];
    for (let r = 0; r < runs + (quick ? 0 : 1); r++) {
      const loomMs = await timeMs(() => pool.map('double', items));
      const rawMs = await timeMs(() => rawRound(raw, count, 256));
      if (quick || r > 0) {
        loomRates.push((count / loomMs) * 1000);
        rawRates.push((count / rawMs) * 1000);
      }
    }
    rows.push({ name: 'loom map', median: median(loomRates) }, { name: 'raw postMessage, 256 per message', median: median(rawRates) });
  } finally {
    await pool.shutdown();
    await Promise.all(raw.map((worker) => worker.terminate()));
  }
  printTable(`Batched: ${count} tiny items (x * 2), 2 threads`, 'items/s', rows, 'raw postMessage, 256 per message', true);
}

/** `LOOM_BENCH_THREADS=1,2,4` or, by default, 1, 2, 4, … below the cores, and the cores. */
function threadCounts(): number[] {
  const cores = availableParallelism();
  const env = process.env.LOOM_BENCH_THREADS;
  if (env !== undefined && env !== '') {
    const counts = env.split(',').map((part) => Number(part.trim()));
    if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new RangeError(`Expected \`LOOM_BENCH_THREADS\` to be a list of integers >= 1, got \`${env}\` (string)`);
    return counts;
  }
  const counts: number[] = [];
  for (let n = 1; n < cores; n *= 2) counts.push(n);
  counts.push(cores);
  return counts;
}

async function scaling(quick: boolean): Promise<void> {
  const numbers = quick ? NUMBERS.map((n) => n >> 6) : Array.from({ length: 10 }, () => NUMBERS).flat();
  const runs = quick ? 1 : 3;
  const serialSamples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (const n of numbers) factorize(n);
    serialSamples.push(performance.now() - start);
  }
  const serial = median(serialSamples);
  const rows: Row[] = [{ name: 'serial', median: serial }];
  for (const threads of threadCounts()) {
    const pools = contenders(threads, ['loom', 'piscina']);
    try {
      for (const pool of pools) {
        await Promise.all(Array.from({ length: threads }, () => pool.factorize(3)));
        const samples: number[] = [];
        for (let r = 0; r < runs; r++) samples.push(await timeMs(() => Promise.all(numbers.map((n) => pool.factorize(n)))));
        const ms = median(samples);
        rows.push({ name: `${pool.name}, ${threads} thread${threads === 1 ? '' : 's'}`, median: ms, extra: { speedup: `${(serial / ms).toFixed(2)}x`, 'per thread': `${(serial / ms / threads).toFixed(2)}` } });
      }
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  }
  printTable(`CPU scaling: factorize x${quick ? 1 : 10} the seed's numbers (${numbers.length} calls), warm threads, ${availableParallelism()} cores`, 'ms', rows, 'serial', false);
}

const suite: Suite = async ({ quick }) => {
  await throughputAndLatency(quick);
  await batched(quick);
  await scaling(quick);
};

export default suite;
