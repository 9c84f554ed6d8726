/**
 * Worker-thread pools: loom's `WorkerPool` against piscina, tinypool, workerpool and raw
 * `postMessage` (the limit), in one run.
 *
 * 1. Tiny tasks: 100k `a + b` submitted at once on 2 threads, one call per task (throughput).
 * 2. Latency: one task at a time, p50 and p99 of the round trip, the pools sampled in turn.
 * 3. Batched: loom's `map` over 1M tiny items against raw batched `postMessage` (256 per message).
 * 4. CPU scaling: the seed's factorize on its numbers times 10 (10x the work per call, 40 calls
 *    on 2 cores), serially and on warm pools of each thread count in `LOOM_BENCH_THREADS`
 *    (default 1, 2, 4, … up to the cores present, and the core count itself), in alternating
 *    rounds, so the same command measures a many-core machine.
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

/** Bare workers that run `factorize` on each number posted to them: the CPU-bound floor. */
function rawFactorizeWorkers(threads: number): Worker[] {
  const code = `const { parentPort } = require('node:worker_threads');
    const factorize = ${factorize.toString()};
    parentPort.on('message', (n) => parentPort.postMessage(factorize(n)));`;
  return Array.from({ length: threads }, () => new Worker(code, { eval: true, execArgv: [] }));
}

/** Factorizes `numbers` on `workers`, one number per worker at a time, the next to whichever answers first. */
function rawFactorize(workers: readonly Worker[], numbers: readonly number[]): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let left = numbers.length;
    const handlers = workers.map((worker) => {
      const onMessage = (): void => {
        if (--left === 0) {
          workers.forEach((w, k) => w.off('message', handlers[k] as () => void));
          resolve();
        } else if (next < numbers.length) worker.postMessage(numbers[next++]);
      };
      worker.on('message', onMessage);
      return onMessage;
    });
    for (const worker of workers) if (next < numbers.length) worker.postMessage(numbers[next++]);
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

/**
 * CPU scaling, in alternating rounds like `interleaved` (each round: serial, then per thread
 * count loom, piscina and bare workers fed one number at a time, the floor any pool sits on,
 * each round starting one case further on; the first round warms threads and JIT and is not
 * counted). Per case: the median ms, and the
 * median over rounds of that round's serial time / the case's time, so that drift between
 * rounds (another process on the cores) cancels out of the speedup. `raw / row` is the same
 * against the bare workers of that thread count: the pool's own efficiency, whatever share of
 * the cores the machine left (1.00: as fast as bare `postMessage`). Every call factorizes one
 * of the seed's numbers times 10 (about 30 ms here, 10x the seed's work per call), so that
 * each is long next to a round trip and the table shows parallelism, not dispatch overhead;
 * there are at least 5 calls per thread of the widest pool, so the tail stays small.
 */
async function scaling(quick: boolean): Promise<void> {
  const counts = threadCounts();
  const repeats = quick ? 1 : Math.max(10, Math.ceil((5 * Math.max(...counts)) / NUMBERS.length));
  const numbers = Array.from({ length: repeats }, () => NUMBERS.map((n) => (quick ? n >> 6 : n * 10))).flat();
  const rounds = quick ? 1 : 6;
  const serial = (): void => {
    for (const n of numbers) factorize(n);
  };
  const pools = counts.flatMap((threads) => contenders(threads, ['loom', 'piscina']).map((pool) => ({ pool, threads })));
  const raws = counts.map((threads) => rawFactorizeWorkers(threads));
  const cases: { name: string; threads: number; measure: () => Promise<unknown> | void; ms: number[]; speedup: number[]; ofRaw: number[] }[] = [
    { name: 'serial', threads: 1, measure: serial, ms: [], speedup: [], ofRaw: [] },
    ...pools.map(({ pool, threads }) => ({
      name: `${pool.name}, ${threads} thread${threads === 1 ? '' : 's'}`,
      threads,
      measure: () => Promise.all(numbers.map((n) => pool.factorize(n))),
      ms: [],
      speedup: [],
      ofRaw: [],
    })),
    ...raws.map((workers) => ({
      name: `raw postMessage, ${workers.length} thread${workers.length === 1 ? '' : 's'}`,
      threads: workers.length,
      measure: () => rawFactorize(workers, numbers),
      ms: [],
      speedup: [],
      ofRaw: [],
    })),
  ];
  cases.sort((a, b) => a.threads - b.threads); // stable: serial first, then by thread count
  try {
    // Every thread started before the first round, so no round pays for a start.
    await Promise.all(pools.map(({ pool, threads }) => Promise.all(Array.from({ length: threads }, () => pool.factorize(3)))));
    await Promise.all(raws.map((workers) => rawFactorize(workers, workers.map(() => 3))));
    for (let round = 0; round < rounds; round++) {
      // Each round starts one case further on, so that no case always follows the same one.
      const times = new Array<number>(cases.length);
      for (let k = 0; k < cases.length; k++) {
        const i = (k + round) % cases.length;
        times[i] = await timeMs(async () => (cases[i] as (typeof cases)[number]).measure());
      }
      if (round === 0 && !quick) continue;
      const serialMs = times[0] as number; // cases[0] is serial
      for (const [i, c] of cases.entries()) {
        const ms = times[i] as number;
        const raw = times[cases.findIndex((other) => other.threads === c.threads && other.name.startsWith('raw'))] as number;
        c.ms.push(ms);
        c.speedup.push(serialMs / ms);
        c.ofRaw.push(raw / ms);
      }
    }
  } finally {
    await Promise.all(pools.map(({ pool }) => pool.close()));
    await Promise.all(raws.flat().map((worker) => worker.terminate()));
  }
  const rows: Row[] = cases.map((c) => {
    if (c.name === 'serial') return { name: c.name, median: median(c.ms) };
    const speedup = median(c.speedup);
    const extra = { speedup: `${speedup.toFixed(2)}x`, 'per thread': (speedup / c.threads).toFixed(2), 'raw / row': median(c.ofRaw).toFixed(2) };
    return { name: c.name, median: median(c.ms), extra };
  });
  const title = `CPU scaling: factorize(the seed's numbers x ${quick ? '1/64' : 10}), ${numbers.length} calls, warm threads, ${rounds} round${rounds === 1 ? '' : 's'}, ${availableParallelism()} cores`;
  printTable(title, 'ms', rows, 'serial', false);
}

const suite: Suite = async ({ quick }) => {
  await throughputAndLatency(quick);
  await batched(quick);
  await scaling(quick);
};

export default suite;
