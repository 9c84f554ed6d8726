/**
 * `loom/pipeline` against the ways a user would otherwise build a three-stage pipeline, in one
 * run (issue 9's table):
 *
 * 1. Machinery: 3 stages of `async (x) => x + 1`, workers 4, buffer 16 (ns per item). Peers: the
 *    hand-written minimal version (`bench/limits/pipeline.ts`: three bounded queues, 4 loops each,
 *    a close sentinel — the limit), Node streams (`Readable.from(src).map(fn, { concurrency: 4 })`
 *    three times) and Effect (`Stream.mapEffect(fn, { concurrency: 4 })` three times). Effect
 *    runs a tenth of the items (it needs ~50 µs per item here; per-item figures compare).
 * 2. I/O: 3 stages of 10 ms timers, 4/8/4 workers; the ideal is items x 10 ms / 4 (the
 *    narrowest stage), which timer lateness alone keeps out of reach by a few percent.
 * 3. Memory: 1,000,000 items through 3 stages to a consumer that yields to the event loop after
 *    each item: the heap after a GC, sampled every 100,000 items, minus the heap before the run.
 *
 * @module
 */

import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Effect, Stream } from 'effect';
import { pipeline } from '../src/pipeline/index.js';
import { sleep } from '../src/tasks/index.js';
import { interleaved, nsSince, printTable, type Row, type Suite } from './harness.js';
import { minimalPipeline } from './limits/pipeline.js';

const WORKERS = 4;
const BUFFER = 16;

const inc = async (x: number): Promise<number> => x + 1;

/** ns per item to move `n` items through `transfer`, which returns how many came out. */
async function perItem(n: number, transfer: (n: number) => Promise<number>): Promise<number> {
  const start = process.hrtime.bigint();
  const out = await transfer(n);
  const ns = nsSince(start) / n;
  if (out !== n) throw new Error(`expected ${n} items out, got ${out}`);
  return ns;
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

const machinery: [string, (n: number) => Promise<number>][] = [
  [
    'loom pipeline',
    async (n) => {
      const opts = { workers: WORKERS, buffer: BUFFER };
      const stats = await pipeline(range(n)).stage('a', inc, opts).stage('b', inc, opts).stage('c', inc, opts).run();
      return stats.stages[2]?.emitted ?? 0;
    },
  ],
  ['limit', (n) => minimalPipeline(range(n), [inc, inc, inc], WORKERS, BUFFER)],
  [
    'node streams',
    async (n) => {
      const opts = { concurrency: WORKERS, highWaterMark: BUFFER };
      let out = 0;
      for await (const _ of Readable.from(range(n)).map(inc, opts).map(inc, opts).map(inc, opts)) out++;
      return out;
    },
  ],
  [
    'effect Stream',
    async (n) => {
      const step = (x: number): Effect.Effect<number> => Effect.promise(() => inc(x));
      const opts = { concurrency: WORKERS };
      let out = 0;
      const counted = Stream.fromIterable(range(n / 10)).pipe(
        Stream.mapEffect(step, opts),
        Stream.mapEffect(step, opts),
        Stream.mapEffect(step, opts),
        Stream.runForEach(() => Effect.sync(() => void out++)),
      );
      await Effect.runPromise(counted);
      return out * 10; // per-item figures: a tenth of the items, see the module notes
    },
  ],
];

/** 3 stages of `ms` timers with `widths` workers; returns the wall time in ms. */
async function io(n: number, ms: number, widths: readonly number[], loom: boolean): Promise<number> {
  const wait = async (x: number): Promise<number> => {
    await sleep(ms);
    return x;
  };
  const start = performance.now();
  if (loom) {
    let p = pipeline(range(n));
    for (const [i, workers] of widths.entries()) p = p.stage(`io${i}`, wait, { workers });
    await p.run();
  } else {
    // The limit has one width for every stage: give it the narrowest stage's, which sets the pace anyway.
    await minimalPipeline(range(n), widths.map(() => wait), Math.min(...widths), Math.min(...widths));
  }
  return performance.now() - start;
}

/** The largest heap growth (MB, after a GC) seen while `n` items go through 3 stages to a slow consumer. */
async function heapGrowth(n: number): Promise<number> {
  const gc = globalThis.gc;
  if (gc === undefined) return NaN;
  gc();
  const before = process.memoryUsage().heapUsed;
  let worst = 0;
  let seen = 0;
  const opts = { workers: WORKERS, buffer: BUFFER };
  for await (const _ of pipeline(range(n)).stage('a', inc, opts).stage('b', inc, opts).stage('c', inc, opts)) {
    await nextTurn();
    if (++seen % 100_000 === 0 || seen === n) {
      gc();
      worst = Math.max(worst, process.memoryUsage().heapUsed - before);
    }
  }
  return worst / 2 ** 20;
}

const suite: Suite = async ({ quick }) => {
  const n = quick ? 2_000 : 200_000;
  const rows = await interleaved(
    machinery.map(([name, transfer]) => [name, () => perItem(n, transfer)] as const),
    quick ? 1 : 7,
    quick,
  );
  printTable(`3 stages of async x + 1, ${n.toLocaleString('en-US')} items, workers ${WORKERS}, buffer ${BUFFER}`, 'ns/item', rows, 'limit', false);

  const items = quick ? 40 : 2_000;
  const ms = 10;
  const widths = [4, 8, 4];
  const ideal = (items * ms) / Math.min(...widths);
  const ioRows: Row[] = [
    { name: 'ideal', median: ideal },
    ...(await interleaved(
      [
        ['loom pipeline', () => io(items, ms, widths, true)],
        ['limit', () => io(items, ms, widths, false)],
      ],
      quick ? 1 : 3,
      quick,
    )),
  ];
  printTable(`3 stages of ${ms} ms I/O, ${widths.join('/')} workers, ${items.toLocaleString('en-US')} items`, 'ms', ioRows, 'ideal', false);

  const count = quick ? 10_000 : 1_000_000;
  const growth = await heapGrowth(count);
  printTable(
    `heap growth after GC, ${count.toLocaleString('en-US')} items through 3 stages to a slow consumer`,
    'MB',
    [{ name: 'loom pipeline', median: growth, extra: { note: Number.isNaN(growth) ? 'run with --expose-gc' : 'sampled every 100,000 items' } }],
    'loom pipeline',
    false,
  );
};

export default suite;
