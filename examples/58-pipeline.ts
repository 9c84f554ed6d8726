/**
 * Item 58: Understand How Using Queue for Concurrency Requires Refactoring.
 *
 * The seed's `simulate_pipeline`: five workers started up front between an in-queue and an
 * out-queue. It bounds the resources, and with them the parallelism: 45 cells of 100 ms I/O
 * through 5 workers take 9 rounds, about 0.9 s per generation. The exception a worker catches
 * comes back as `SimulationError(y, x)` with the original as `cause`, as in the seed. Then the
 * phased pipeline, where `count_neighbors` does I/O too: two stages, three queues, and one more
 * latency per cell (the stages overlap, so 5 workers per stage take about 10 rounds, not 18).
 * More workers shorten both, to the seed's point that the parallelism must be chosen up front.
 * `--quick` uses 10 ms of latency.
 *
 * @module
 */

import {
  ColumnPrinter,
  Grid,
  SimulationError,
  delayedCountNeighbors,
  delayedGameLogic,
  seedGlider,
  simulatePhasedPipeline,
  simulatePipeline,
} from '../src/life/index.js';
import { runIfMain, seconds, type Demo } from './harness.js';

/** Item 58, as `loom demo 58` runs it; also runnable alone: `node dist/examples/58-pipeline.js [--quick]`. */
const demo: Demo = {
  item: 58,
  title: 'Understand How Using Queue for Concurrency Requires Refactoring',
  async run(ctx) {
    const latency = ctx.quick ? 10 : 100;
    const gameLogic = delayedGameLogic(latency);
    let grid = seedGlider();
    const columns = new ColumnPrinter();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      columns.append(grid.toString());
      if (i === 4) break;
      const start = performance.now();
      grid = await simulatePipeline(grid, { gameLogic, workers: 5, signal: ctx.signal });
      times.push(performance.now() - start);
    }
    for (const line of columns.toString().split('\n')) ctx.out(line);
    ctx.out(`Pipeline, 5 workers, ${latency} ms per cell: ${times.map((ms) => seconds(ms)).join(', ')} seconds per generation (45 / 5 = 9 rounds)`);

    ctx.out('');
    ctx.out('A worker\'s exception, re-raised in the caller:');
    try {
      await simulatePipeline(new Grid(1, 1), {
        gameLogic: () => {
          throw new Error('Problem with I/O in game_logic');
        },
        signal: ctx.signal,
      });
    } catch (error) {
      if (!(error instanceof SimulationError)) throw error;
      ctx.out(`  ${String(error.cause)}`);
      ctx.out('  The above exception was the direct cause of the following exception:');
      ctx.out(`  ${error.name}: (${error.y}, ${error.x})`);
    }

    ctx.out('');
    const countNeighbors = delayedCountNeighbors(latency);
    for (const workers of [5, 45]) {
      const start = performance.now();
      await simulatePhasedPipeline(seedGlider(), { countNeighbors, gameLogic, workers, signal: ctx.signal });
      ctx.out(`Phased pipeline, I/O in count_neighbors and game_logic, ${workers} workers per stage: ${seconds(performance.now() - start)} seconds per generation`);
    }
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
