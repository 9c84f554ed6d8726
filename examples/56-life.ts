/**
 * Item 56: Know How to Recognize When Concurrency Is Necessary.
 *
 * The seed's Game of Life: the glider on a 5x9 torus, five generations printed side by side.
 * Then the seed's argument, measured: with 100 ms of I/O in each cell's logic, 45 cells take
 * 4.5 s per generation one after another, and fanned out (every cell's I/O in flight at once)
 * about 0.1 s — which stays about 0.1 s at 10,000 cells, where serial would need over 15
 * minutes. `--quick` uses 10 ms of latency and 2,000 cells.
 *
 * @module
 */

import { ColumnPrinter, delayedGameLogic, randomGrid, seedGlider, simulate, simulateAsync, simulatePool, type Grid } from '../src/life/index.js';
import { runIfMain, seconds, type Demo } from './harness.js';

/** Item 56, as `loom demo 56` runs it; also runnable alone: `node dist/examples/56-life.js [--quick]`. */
const demo: Demo = {
  item: 56,
  title: 'Know How to Recognize When Concurrency Is Necessary',
  async run(ctx) {
    let grid: Grid = seedGlider();
    const columns = new ColumnPrinter();
    for (let i = 0; i < 5; i++) {
      columns.append(grid.toString());
      grid = simulate(grid);
    }
    for (const line of columns.toString().split('\n')) ctx.out(line);

    const latency = ctx.quick ? 10 : 100;
    const gameLogic = delayedGameLogic(latency);
    const glider = seedGlider();
    ctx.out('');
    ctx.out(`With ${latency} ms of I/O in game_logic, the seed expects 45 x ${latency} ms = ${seconds(45 * latency)} seconds per generation serially.`);
    let start = performance.now();
    await simulatePool(glider, { gameLogic, concurrency: 1, signal: ctx.signal });
    ctx.out(`Serially (one cell at a time): ${seconds(performance.now() - start)} seconds per generation`);
    start = performance.now();
    await simulateAsync(glider, { gameLogic, signal: ctx.signal });
    ctx.out(`Fanned out (all 45 cells at once): ${seconds(performance.now() - start)} seconds per generation`);

    const side = ctx.quick ? 45 : 100;
    const big = randomGrid(side, side, { seed: 56 });
    const cells = (side * side).toLocaleString('en-US');
    ctx.out(`${cells} cells serially would take ${seconds(side * side * latency)} seconds (${((side * side * latency) / 60_000).toFixed(1)} minutes) per generation.`);
    for (let generation = 1; generation <= 2; generation++) {
      start = performance.now();
      await simulateAsync(big, { gameLogic, signal: ctx.signal });
      ctx.out(`Fanned out, ${cells} cells, generation ${generation}: ${seconds(performance.now() - start)} seconds`);
    }
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
