/**
 * What `loom life` steps the grid with: one of the seed's strategies with the chosen I/O (a
 * timer latency, or requests to a game server over TCP), or the shared-memory engine on worker
 * threads. A runner owns what it opened (the in-process game server and its client, the
 * engine's threads) and closes it on `await using`, so an interrupted or failed run leaves no
 * socket or thread behind.
 *
 * One interface over both kinds was chosen over two code paths in the command: the engine
 * keeps its cells in shared memory and hands out a `Grid` only on request (a copy of millions
 * of cells), so `population()` and `view()` are separate, cheap questions rather than
 * `grid()` followed by work on the copy.
 *
 * @module
 */

import { ALIVE, EMPTY } from '../../../life/cell.js';
import { cellAt, plane } from '../../../life/engine/layout.js';
import { ParallelLifeEngine } from '../../../life/engine/parallel-engine.js';
import type { Grid } from '../../../life/grid.js';
import { connectLifeServer, type LifeClient } from '../../../life/net/client.js';
import { startLifeServer, type LifeServer } from '../../../life/net/server.js';
import { simulate } from '../../../life/rules.js';
import { simulateAsync } from '../../../life/strategies/async.js';
import { delayedGameLogic } from '../../../life/strategies/latency.js';
import { simulatePhasedPipeline } from '../../../life/strategies/phased-pipeline.js';
import { simulatePipeline } from '../../../life/strategies/pipeline.js';
import { simulatePool } from '../../../life/strategies/pool.js';
import { simulateThreaded } from '../../../life/strategies/threaded.js';
import type { CellLogic } from '../../../life/strategies/types.js';
import type { LifeRunConfig } from './config.js';

/**
 * Steps a grid generation by generation.
 *
 * @example
 * ```ts
 * await using runner = await openRunner(config, seedGlider(), signal);
 * await runner.step();
 * console.log(runner.population());
 * ```
 */
export interface Runner extends AsyncDisposable {
  /** Advances one generation. */
  step(): Promise<void>;
  /** The current generation. */
  grid(): Grid;
  /** Living cells now (cheap even where `grid()` is not). */
  population(): number;
  /** The top-left `rows` x `columns` corner of the current generation, one string per row (cheap on any size). */
  view(rows: number, columns: number): string[];
  /** What runs the cells, for the heading: `, 100 ms timer I/O per cell`. */
  readonly describe: string;
  /** Rows of the grid. */
  readonly height: number;
  /** Columns of the grid. */
  readonly width: number;
}

/**
 * Opens the runner `config` asks for, starting from `start`; every wait of `step()` stops when
 * `signal` aborts. With `io: 'tcp'` and no `server`, a game server is started in this process
 * on an ephemeral port, with `config.latency`.
 *
 * @example
 * ```ts
 * await using runner = await openRunner({ ...config, strategy: 'async', latency: 100 }, seedGlider(), signal);
 * await runner.step(); // ~100 ms: every cell's request is in flight at once
 * ```
 */
export async function openRunner(config: LifeRunConfig, start: Grid, signal: AbortSignal): Promise<Runner> {
  if (config.strategy === 'parallel') {
    const engine = new ParallelLifeEngine(start, config.workers === undefined ? {} : { workers: config.workers });
    return {
      step: () => engine.step(1, { signal }),
      grid: () => engine.toGrid(),
      population: () => engine.population(),
      view: (rows, columns) => engineView(engine, rows, columns),
      describe: ` on ${engine.workers} worker threads`,
      height: start.height,
      width: start.width,
      [Symbol.asyncDispose]: () => engine.close(),
    };
  }
  let server: LifeServer | undefined;
  let client: LifeClient | undefined;
  let logic: CellLogic | undefined;
  let describe = '';
  if (config.io === 'tcp') {
    server = config.server === undefined ? await startLifeServer({ latency: config.latency }) : undefined;
    // `server` was started just above exactly when `config.server` is undefined.
    client = connectLifeServer(config.server ?? { port: (server as LifeServer).port });
    logic = client.gameLogic;
    describe = config.server === undefined ? `, tcp I/O to an in-process game server (${config.latency} ms latency)` : `, tcp I/O to ${config.server.host}:${config.server.port}`;
  } else if (config.latency > 0) {
    logic = delayedGameLogic(config.latency);
    describe = `, ${config.latency} ms timer I/O per cell`;
  }
  const step = stepper(config, logic, signal);
  let grid = start;
  return {
    step: async () => {
      grid = await step(grid);
    },
    grid: () => grid,
    population: () => grid.population(),
    view: (rows, columns) => {
      const lines: string[] = [];
      for (let y = 0; y < Math.min(rows, grid.height); y++) {
        let line = '';
        for (let x = 0; x < Math.min(columns, grid.width); x++) line += grid.get(y, x);
        lines.push(line);
      }
      return lines;
    },
    describe,
    height: start.height,
    width: start.width,
    [Symbol.asyncDispose]: async () => {
      await client?.close();
      await server?.close();
    },
  };
}

/** The corner of the engine's current plane, read straight from its bits. */
function engineView(engine: ParallelLifeEngine, rows: number, columns: number): string[] {
  const cells = plane(engine.buffers, engine.generation);
  const lines: string[] = [];
  for (let y = 0; y < Math.min(rows, engine.height); y++) {
    let line = '';
    for (let x = 0; x < Math.min(columns, engine.width); x++) line += cellAt(cells, engine.width, y, x) === 1 ? ALIVE : EMPTY;
    lines.push(line);
  }
  return lines;
}

/** One generation of `config.strategy` with `gameLogic` (the pure rule when undefined). */
function stepper(config: LifeRunConfig, gameLogic: CellLogic | undefined, signal: AbortSignal): (grid: Grid) => Promise<Grid> {
  const opts = { gameLogic, signal };
  const workers = config.workers;
  switch (config.strategy) {
    case 'serial':
      // Serial with I/O is a pool of one: one cell at a time, as the seed's `simulate` does it.
      return gameLogic === undefined ? async (grid) => simulate(grid) : (grid) => simulatePool(grid, { ...opts, concurrency: 1 });
    case 'threaded':
      return (grid) => simulateThreaded(grid, opts);
    case 'pipeline':
      return (grid) => simulatePipeline(grid, { ...opts, workers });
    case 'phased':
      return (grid) => simulatePhasedPipeline(grid, { ...opts, workers });
    case 'pool':
      return (grid) => simulatePool(grid, { ...opts, concurrency: workers });
    case 'async':
    case 'parallel':
      return (grid) => simulateAsync(grid, opts);
  }
}
