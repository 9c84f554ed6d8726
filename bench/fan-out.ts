/**
 * Fan-out/fan-in of 10,000 tasks that each await 100 ms (the seed's item 56 arithmetic: the
 * floor is 100 ms whatever the count). Measured: wall time, the part of it beyond the 100 ms
 * (what the machinery costs, compared with raw's), and heap per task at the peak, while every
 * task is parked. Peers: a raw `Promise.all` over `timers/promises` (also the
 * limit: nothing can be cheaper) and Python's `asyncio.gather` run through `python3`.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { map, sleep, taskGroup } from '../src/tasks/index.js';
import { median, printTable, type Row, type Suite } from './harness.js';

const WAIT_MS = 100;

interface Sample {
  ms: number;
  bytesPerTask: number;
}

/** Runs `fanOut(n)`, sampling the heap once every task has started and is parked. */
async function sample(n: number, fanOut: (n: number, started: () => void) => Promise<void>): Promise<Sample> {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const start = performance.now();
  await fanOut(n, () => {
    peak = process.memoryUsage().heapUsed;
  });
  return { ms: performance.now() - start, bytesPerTask: (peak - before) / n };
}

const fanOuts: [string, (n: number, started: () => void) => Promise<void>][] = [
  [
    'raw Promise.all',
    async (n, started) => {
      const all = Promise.all(Array.from({ length: n }, () => delay(WAIT_MS)));
      started();
      await all;
    },
  ],
  [
    'loom taskGroup',
    (n, started) =>
      taskGroup(async (group) => {
        for (let i = 0; i < n; i++) group.spawn((signal) => sleep(WAIT_MS, { signal }));
        started();
      }),
  ],
  [
    'loom map',
    async (n, started) => {
      const all = map(Array.from({ length: n }, (_, i) => i), (_item, _index, signal) => sleep(WAIT_MS, { signal }), { concurrency: Infinity });
      started();
      await all;
    },
  ],
];

/** Python's asyncio.gather of the same sleeps, timed inside Python; undefined without python3. */
function pythonMs(n: number): number | undefined {
  const script = [
    'import asyncio, time',
    'async def main(n):',
    `    await asyncio.gather(*(asyncio.sleep(${WAIT_MS / 1000}) for _ in range(n)))`,
    't = time.perf_counter()',
    `asyncio.run(main(${n}))`,
    'print((time.perf_counter() - t) * 1000)',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

const suite: Suite = async ({ quick }) => {
  const n = quick ? 100 : 10_000;
  const runs = quick ? 1 : 11;
  const rows: Row[] = [];
  // Rounds alternate the fan-outs (as `interleaved` does), so the machine's drift falls on all of them alike.
  const samples = fanOuts.map((): Sample[] => []);
  for (let round = 0; round <= runs; round++) {
    for (const [i, [, fanOut]] of fanOuts.entries()) {
      const measured = await sample(n, fanOut);
      if (round > 0 || quick) samples[i]?.push(measured);
    }
  }
  const beyond = (i: number): number => median((samples[i] ?? []).map((s) => s.ms - WAIT_MS));
  for (const [i, [name]] of fanOuts.entries()) {
    const own = samples[i] ?? [];
    const bytes = median(own.map((s) => s.bytesPerTask));
    rows.push({
      name,
      median: median(own.map((s) => s.ms)),
      extra: {
        'heap/task': globalThis.gc === undefined ? 'run with --expose-gc' : `${(bytes / 1024).toFixed(2)} KB`,
        // The cost of the machinery: the time past the 100 ms every fan-out must wait, against raw's.
        [`beyond ${WAIT_MS} ms`]: `${beyond(i).toFixed(1)} ms`,
        'vs raw, beyond': `${(beyond(i) / beyond(0)).toFixed(2)}x`,
      },
    });
  }
  if (!quick) {
    const python = pythonMs(n);
    if (python !== undefined) rows.push({ name: 'python asyncio.gather', median: python });
  }
  printTable(`fan-out of ${n.toLocaleString('en-US')} tasks each awaiting ${WAIT_MS} ms`, 'ms', rows, 'raw Promise.all', false);
};

export default suite;
