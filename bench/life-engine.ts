/**
 * The large-grid Game of Life engine benchmark (issue 5): cells per second on a 1000x1000 torus
 * (100 generations per run, ~0.3 ms each on one thread) and a 4096x4096 torus (10 per run,
 * ~4.5 ms each) for a plain byte-per-cell `Uint8Array` step (the hand-written baseline), the
 * compact single-threaded `LifeEngine`, `ParallelLifeEngine` on 1, 2 and all cores, and what
 * two threads do with no coordination at all: each steps a fixed half of the grid with loom's
 * stepper and never waits (`limits/life-halves.ts`). Every engine first steps a few
 * hundred million cells, so that each thread's copy of the step is optimized (V8 tiers up each
 * worker's copy on its own); then the rows are measured in alternating rounds. "vs LifeEngine"
 * is the speedup taken within each round, then the median over rounds: this machine's speed
 * drifts for seconds at a time, and a round's rows share the same moment.
 *
 * Starts from a collected heap (`node --expose-gc`; without the flag it is skipped). `--quick`
 * runs each case once on tiny grids.
 *
 * `LOOM_BENCH_CHARTS=<dir>` (see `life.ts`) also draws `life-engine-speedup.svg` in `<dir>`: the
 * parallel engine's speedup over the single-thread LifeEngine against threads, one line per grid,
 * with the ideal line. Quick mode never draws.
 *
 * @module
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { lineCharts, type Series } from './charts.js';
import { interleaved, median, printTable, type Measured, type Row, type Suite } from './harness.js';
import { LifeEngine, ParallelLifeEngine, randomGrid } from '../src/life/index.js';
import { WorkerPool } from '../src/workers/index.js';

/** The baseline: a plain byte-per-cell step with wrapped neighbour indexes, as one would write it by hand. */
function plainStep(src: Uint8Array, dst: Uint8Array, height: number, width: number): void {
  for (let y = 0; y < height; y++) {
    const up = ((y + height - 1) % height) * width;
    const mid = y * width;
    const down = ((y + 1) % height) * width;
    for (let x = 0; x < width; x++) {
      const l = x === 0 ? width - 1 : x - 1;
      const r = x === width - 1 ? 0 : x + 1;
      const n =
        (src[up + l] as number) + (src[up + x] as number) + (src[up + r] as number) + (src[mid + l] as number) +
        (src[mid + r] as number) + (src[down + l] as number) + (src[down + x] as number) + (src[down + r] as number);
      dst[mid + x] = n === 3 || (n === 2 && src[mid + x] === 1) ? 1 : 0;
    }
  }
}

/** The no-coordination reference's worker module: two threads stepping fixed halves without waiting (see `limits/life-halves.ts`). */
const HALVES = new URL('./limits/life-halves.js', import.meta.url);

/** The median over rounds of `reference[i] / samples[i]`: a speedup measured within each round, where the machine's state is shared. */
function speedup(reference: Measured, row: Measured): number {
  return median(row.samples.map((ms, round) => (reference.samples[round] ?? NaN) / ms));
}

/**
 * The engine rows, measured in alternating rounds (plain, LifeEngine, 1 thread, 2 threads, ...,
 * two halves) so that a load spike on this shared machine spreads over every row instead of
 * landing on one; speedups are taken within each round (see `speedup`).
 */
async function engineTable(side: number, generations: number, quick: boolean): Promise<Series> {
  // Enough generations for V8 to optimize the step in every thread before the measured rounds.
  const warmUp = quick ? 1 : Math.ceil(2e8 / (side * side));
  const grid = randomGrid(side, side, { seed: 56 });
  const cells = side * side;
  const perSecond = (ms: number): number => (cells * generations) / (ms / 1000);

  let a = new Uint8Array(cells);
  let b = new Uint8Array(cells);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) a[y * side + x] = grid.get(y, x) === '*' ? 1 : 0;
  const single = new LifeEngine(grid);
  const cores = availableParallelism();
  const threads = [...new Set([1, 2, cores])];
  const engines = threads.map((workers) => new ParallelLifeEngine(grid, { workers }));
  const halves = new WorkerPool({ module: HALVES, size: 2, concurrentTasksPerWorker: 1 });
  const scratch = new LifeEngine(grid).buffers;
  const twoHalves = (count: number): Promise<unknown> =>
    Promise.all([halves.run('stepAlone', [scratch, 0, side >> 1, count]), halves.run('stepAlone', [scratch, side >> 1, side, count])]);
  try {
    single.step(warmUp);
    for (const engine of engines) await engine.step(warmUp);
    await twoHalves(warmUp);
    const timed = async (run: () => unknown): Promise<number> => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    const cases: [string, () => Promise<number>][] = [
      [
        'plain Uint8Array',
        () =>
          timed(() => {
            for (let g = 0; g < generations; g++) {
              plainStep(a, b, side, side);
              [a, b] = [b, a];
            }
          }),
      ],
      ['LifeEngine (1 thread)', () => timed(() => single.step(generations))],
      ...engines.map((engine, i): [string, () => Promise<number>] => [`ParallelLifeEngine (${threads[i]} thread${threads[i] === 1 ? '' : 's'})`, () => timed(() => engine.step(generations))]),
      ['2 fixed halves, no waits', () => timed(() => twoHalves(generations))],
    ];
    const measured = await interleaved(cases, 9, quick);
    const reference = measured[1] as Measured;
    const rows: Row[] = measured.map((row) => ({
      name: row.name,
      median: perSecond(row.median),
      extra: { 'ms/gen': (row.median / generations).toFixed(2), 'vs LifeEngine': `${speedup(reference, row).toFixed(2)}x` },
    }));
    printTable(`Game of Life engine: cells per second, ${side}x${side}, ${generations} generations per run (${cores} cores)`, 'cells/s', rows, 'plain Uint8Array', true);
    const parallel = measured.slice(2, 2 + engines.length);
    const two = parallel[threads.indexOf(2)] as Measured;
    console.log(`ParallelLifeEngine (2 threads) vs 2 fixed halves with no waits, within each round: ${speedup(measured.at(-1) as Measured, two).toFixed(2)}x`);
    // Speedup over the single-thread LifeEngine, the yardstick: what the threads buy over
    // the best one-thread step, including what the parallel engine's own machinery costs.
    return { name: `${side}x${side}`, points: parallel.map((row, i) => [threads[i] ?? NaN, speedup(reference, row)]) };
  } finally {
    for (const engine of engines) await engine.close();
    await halves.shutdown();
  }
}

/** Draws the speedup chart from the figures this run measured. */
function writeChart(dir: string, speedups: Series[]): void {
  const most = Math.max(...speedups.flatMap(({ points }) => points.map(([threads]) => threads)));
  const ideal: Series = { name: 'ideal', points: [[1, 1], [most, most]], dashed: true };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'life-engine-speedup.svg');
  writeFileSync(
    file,
    lineCharts([{ title: `ParallelLifeEngine speedup (${availableParallelism()} cores)`, xLabel: 'threads', yLabel: 'speedup vs LifeEngine (1 thread)', series: [...speedups, ideal] }]),
  );
  console.log(`\nChart written to ${file}`);
}

/** The suite: the engine on a mid-sized and a large grid; the chart if asked for. */
const suite: Suite = async ({ quick }) => {
  // Each table starts from a collected heap, not with the previous table's garbage (`--expose-gc`).
  const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
  collect();
  const small = await engineTable(quick ? 64 : 1_000, quick ? 2 : 100, quick);
  collect();
  const large = await engineTable(quick ? 128 : 4_096, quick ? 1 : 10, quick);
  const dir = process.env['LOOM_BENCH_CHARTS'];
  if (dir !== undefined && dir !== '' && !quick) writeChart(dir, [small, large]);
};

export default suite;
