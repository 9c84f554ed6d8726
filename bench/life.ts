/**
 * The Game of Life benchmarks (issue 5):
 *
 * 1. Per-generation time against cell count for every fan-out strategy, with 100 ms of I/O per
 *    cell, as a timer and as real requests to the game server over TCP. The floor is the
 *    latency itself (the seed: "each generation takes roughly 100 milliseconds, regardless of
 *    how big the grid is"); each row's ratio reads "x the floor". The bounded strategies run
 *    with a bound of 1,000 (pool concurrency, pipeline workers per stage), so their time grows
 *    with cells / 1,000 while the unbounded ones stay flat.
 * 2. The large-grid engine: cells per second on a 1000x1000 grid (20 generations per run) and a
 *    4096x4096 grid (4 per run, where a generation takes ~20 ms, so that the threads' scaling is
 *    not a measure of how fast they meet) for a plain `Uint8Array` step (the hand-written
 *    baseline), the compact single-threaded engine, and the parallel engine on 1, 2 and all
 *    cores, measured in alternating rounds (the rows share the machine's drift) after every
 *    engine stepped a few hundred million cells, so that each thread's step is optimized (V8
 *    tiers up each worker's copy of the step on its own); "vs LifeEngine" is the speedup.
 *
 * Each table starts from a collected heap (`node --expose-gc`; without the flag it is skipped),
 * so that one table's garbage is not collected on the next one's time.
 *
 * `--quick` runs each case once on tiny sizes with 10 ms latency.
 *
 * `LOOM_BENCH_CHARTS=<dir>` (an environment variable, so that `bench/index.ts` keeps one option
 * for every suite) also draws what this run measured as SVG charts in `<dir>`:
 * `life-generation-time.svg` (ms per generation against cells, one line per strategy, a timer
 * panel and a tcp panel) and `life-engine-speedup.svg` (the parallel engine's speedup over the
 * single-thread LifeEngine against threads, one line per grid, with the ideal line). Quick mode never
 * draws: its figures are not measurements.
 *
 * @module
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { lineCharts, type Chart, type Series } from './charts.js';
import { interleaved, medianOf, printTable, type Row, type Suite } from './harness.js';
import {
  Grid,
  LifeEngine,
  ParallelLifeEngine,
  connectLifeServer,
  delayedGameLogic,
  randomGrid,
  simulateAsync,
  simulatePhasedPipeline,
  simulatePipeline,
  simulatePool,
  simulateThreaded,
  startLifeServer,
  type CellLogic,
  type NeighborCounter,
} from '../src/life/index.js';

type Strategy = (grid: Grid, logic: CellLogic, counter: NeighborCounter | undefined) => Promise<Grid>;

const BOUND = 1_000;

const strategies: readonly [string, Strategy][] = [
  ['async', (grid, gameLogic) => simulateAsync(grid, { gameLogic })],
  ['threaded', (grid, gameLogic) => simulateThreaded(grid, { gameLogic })],
  [`pool(${BOUND})`, (grid, gameLogic) => simulatePool(grid, { gameLogic, concurrency: BOUND })],
  [`pipeline(${BOUND})`, (grid, gameLogic) => simulatePipeline(grid, { gameLogic, workers: BOUND })],
  [`phased(${BOUND})`, (grid, gameLogic) => simulatePhasedPipeline(grid, { gameLogic, workers: BOUND })],
];

/** Grid shapes by cell count: the seed's 5x9, then square-ish grids. */
function shape(cells: number): [number, number] {
  if (cells === 45) return [5, 9];
  const side = Math.round(Math.sqrt(cells));
  return [side, Math.round(cells / side)];
}

/** Prints the table and returns each strategy's [cells, ms per generation] points. */
async function ioTable(kind: 'timer' | 'tcp', latency: number, sizes: readonly number[], quick: boolean): Promise<Series[]> {
  await using server = kind === 'tcp' ? await startLifeServer({ latency }) : undefined;
  await using client = server === undefined ? undefined : connectLifeServer({ port: server.port, connections: 4 });
  const logic = client?.gameLogic ?? delayedGameLogic(latency);
  const rows: Row[] = [{ name: 'floor', median: latency }];
  const lines = new Map(strategies.map(([name]): [string, [number, number][]] => [name, []]));
  for (const cells of sizes) {
    const [height, width] = shape(cells);
    for (const [name, strategy] of strategies) {
      let grid = randomGrid(height, width, { seed: cells });
      const ms = await medianOf(
        5,
        async () => {
          const start = performance.now();
          grid = await strategy(grid, logic, undefined);
          return performance.now() - start;
        },
        quick,
      );
      rows.push({ name: `${name} ${(height * width).toLocaleString('en-US')} cells`, median: ms });
      lines.get(name)?.push([height * width, ms]);
    }
  }
  printTable(`Game of Life: ms per generation, ${latency} ms ${kind} I/O per cell (ratio = x the floor)`, 'ms/gen', rows, 'floor', false);
  return [...lines].map(([name, points]) => ({ name, points }));
}

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

/**
 * The engine rows, measured in alternating rounds (plain, LifeEngine, 1 thread, 2 threads, ...)
 * so that a load spike on this shared machine spreads over every row instead of landing on one.
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
  try {
    single.step(warmUp);
    for (const engine of engines) await engine.step(warmUp);
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
    ];
    const measured = await interleaved(cases, 7, quick);
    const reference = measured.find(({ name }) => name === 'LifeEngine (1 thread)')?.median ?? NaN;
    const rows: Row[] = measured.map(({ name, median: ms }) => ({
      name,
      median: perSecond(ms),
      extra: { 'ms/gen': (ms / generations).toFixed(2), 'vs LifeEngine': `${(reference / ms).toFixed(2)}x` },
    }));
    printTable(`Game of Life engine: cells per second, ${side}x${side}, ${generations} generations per run (${cores} cores)`, 'cells/s', rows, 'plain Uint8Array', true);
    // Speedup over the single-thread LifeEngine, the yardstick: what the threads buy over
    // the best one-thread step, including what the parallel engine's own machinery costs.
    const parallel = measured.slice(-engines.length);
    return { name: `${side}x${side}`, points: parallel.map(({ median: ms }, i) => [threads[i] ?? NaN, reference / ms]) };
  } finally {
    for (const engine of engines) await engine.close();
  }
}

/** Draws the two charts of `LOOM_BENCH_CHARTS` from the figures this run measured. */
function writeCharts(dir: string, latency: number, timer: Series[], tcp: Series[], speedups: Series[]): void {
  const generation = (kind: string, series: Series[]): Chart => ({
    title: `${latency} ms ${kind} I/O per cell`,
    xLabel: 'cells (log scale)',
    yLabel: 'ms per generation',
    xScale: 'log',
    series,
  });
  const most = Math.max(...speedups.flatMap(({ points }) => points.map(([threads]) => threads)));
  const ideal: Series = { name: 'ideal', points: [[1, 1], [most, most]], dashed: true };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'life-generation-time.svg'), lineCharts([generation('timer', timer), generation('tcp', tcp)]));
  writeFileSync(
    join(dir, 'life-engine-speedup.svg'),
    lineCharts([{ title: `ParallelLifeEngine speedup (${availableParallelism()} cores)`, xLabel: 'threads', yLabel: 'speedup vs LifeEngine (1 thread)', series: [...speedups, ideal] }]),
  );
  console.log(`\nCharts written to ${join(dir, 'life-generation-time.svg')} and ${join(dir, 'life-engine-speedup.svg')}`);
}

/** The suite: strategies under I/O (timer, then tcp), then the engine; charts if asked for. */
const suite: Suite = async ({ quick }) => {
  const latency = quick ? 10 : 100;
  const sizes = quick ? [45, 100] : [45, 1_000, 10_000];
  // Each table starts from a collected heap, not with the previous table's garbage (`--expose-gc`).
  const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
  collect();
  const timer = await ioTable('timer', latency, sizes, quick);
  collect();
  const tcp = await ioTable('tcp', latency, sizes, quick);
  collect();
  const small = await engineTable(quick ? 64 : 1_000, quick ? 2 : 20, quick);
  collect();
  const large = await engineTable(quick ? 128 : 4_096, quick ? 1 : 4, quick);
  const dir = process.env['LOOM_BENCH_CHARTS'];
  if (dir !== undefined && dir !== '' && !quick) writeCharts(dir, latency, timer, tcp, [small, large]);
};

export default suite;
