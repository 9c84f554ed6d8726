/**
 * The Game of Life I/O benchmark (issue 5): per-generation time against cell count for every
 * fan-out strategy, with 100 ms of I/O per cell, as a timer and as real requests to the game
 * server over TCP. The floor is the latency itself (the seed: "each generation takes roughly 100
 * milliseconds, regardless of how big the grid is"); each row's ratio reads "x the floor". The
 * bounded strategies run with a bound of 1,000 (pool concurrency, pipeline workers per stage),
 * so their time grows with cells / 1,000 while the unbounded ones stay flat. The large-grid
 * engine has its own suite, `life-engine.ts`.
 *
 * Each table starts from a collected heap (`node --expose-gc`; without the flag it is skipped),
 * so that one table's garbage is not collected on the next one's time.
 *
 * `--quick` runs each case once on tiny sizes with 10 ms latency.
 *
 * `LOOM_BENCH_CHARTS=<dir>` (an environment variable, so that `bench/index.ts` keeps one option
 * for every suite) also draws what this run measured as `life-generation-time.svg` in `<dir>`:
 * ms per generation against cells, one line per strategy, a timer panel and a tcp panel. Quick
 * mode never draws: its figures are not measurements.
 *
 * @module
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineCharts, type Chart, type Series } from './charts.js';
import { medianOf, printTable, type Row, type Suite } from './harness.js';
import {
  Grid,
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

/** Draws the generation-time chart (a timer panel and a tcp panel) from the figures this run measured. */
function writeChart(dir: string, latency: number, timer: Series[], tcp: Series[]): void {
  const generation = (kind: string, series: Series[]): Chart => ({
    title: `${latency} ms ${kind} I/O per cell`,
    xLabel: 'cells (log scale)',
    yLabel: 'ms per generation',
    xScale: 'log',
    series,
  });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'life-generation-time.svg');
  writeFileSync(file, lineCharts([generation('timer', timer), generation('tcp', tcp)]));
  console.log(`\nChart written to ${file}`);
}

/** The suite: strategies under I/O, timer then tcp; the chart if asked for. */
const suite: Suite = async ({ quick }) => {
  const latency = quick ? 10 : 100;
  const sizes = quick ? [45, 100] : [45, 1_000, 10_000];
  // Each table starts from a collected heap, not with the previous table's garbage (`--expose-gc`).
  const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
  collect();
  const timer = await ioTable('timer', latency, sizes, quick);
  collect();
  const tcp = await ioTable('tcp', latency, sizes, quick);
  const dir = process.env['LOOM_BENCH_CHARTS'];
  if (dir !== undefined && dir !== '' && !quick) writeChart(dir, latency, timer, tcp);
};

export default suite;
