/**
 * Item 57: Avoid Creating New Thread Instances for On-demand Fan-out.
 *
 * The seed's `simulate_threaded` starts a thread per cell and joins them all. Here the "thread"
 * is a task in a `TaskGroup` (`simulateThreaded`): the glider runs with 100 ms of I/O per cell
 * in about 0.1 s per generation, and at 10,000 cells too, since a waiting task costs a promise,
 * not 8 MB of stack.
 *
 * Then the seed's debugging complaint. A Python `Thread` catches its target's exception,
 * prints the traceback to stderr and lets `join()` return as if nothing happened. The first
 * part replays that with a minimal thread-like wrapper; the second shows what loom does
 * instead: the generation rejects with `SimulationError(y, x)`, the original error as `cause`,
 * and no other cell is left running.
 *
 * @module
 */

import { ALIVE, ColumnPrinter, SimulationError, delayedGameLogic, gameLogic, randomGrid, seedGlider, simulateThreaded, type CellLogic, type Grid } from '../src/life/index.js';
import { runIfMain, seconds, type Demo } from './harness.js';

/**
 * A Python-style thread for the demonstration: `start` runs `target`, and an exception is
 * written to `stderr` the way `threading`'s default excepthook does; `join` never rethrows it.
 */
function pythonStyleThread(target: () => Promise<unknown>, stderr: string[]): { join(): Promise<void> } {
  const done = target().then(
    () => undefined,
    (error: unknown) => {
      stderr.push('Exception in thread Thread-1:', 'Traceback (most recent call last):', `${(error as Error).name}: ${(error as Error).message}`);
    },
  );
  return { join: () => done };
}

/** Item 57, as `loom demo 57` runs it; also runnable alone: `node dist/examples/57-threads.js [--quick]`. */
const demo: Demo = {
  item: 57,
  title: 'Avoid Creating New Thread Instances for On-demand Fan-out',
  async run(ctx) {
    const latency = ctx.quick ? 10 : 100;
    const slowLogic = delayedGameLogic(latency);
    let grid: Grid = seedGlider();
    const columns = new ColumnPrinter();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      columns.append(grid.toString());
      const start = performance.now();
      grid = await simulateThreaded(grid, { gameLogic: slowLogic, signal: ctx.signal });
      times.push(performance.now() - start);
    }
    for (const line of columns.toString().split('\n')) ctx.out(line);
    ctx.out(`One task per cell, ${latency} ms of I/O each: ${times.map((ms) => seconds(ms)).join(', ')} seconds per generation`);

    const side = ctx.quick ? 45 : 100;
    const start = performance.now();
    await simulateThreaded(randomGrid(side, side, { seed: 57 }), { gameLogic: slowLogic, signal: ctx.signal });
    ctx.out(`${(side * side).toLocaleString('en-US')} tasks (the seed: "couldn't even fit in the memory of my machine" as threads): ${seconds(performance.now() - start)} seconds`);

    const failing: CellLogic = async (state, neighbors, { signal }) => {
      await slowLogic(state, neighbors, { y: 0, x: 0, signal });
      throw new Error('Problem with I/O');
    };

    ctx.out('');
    ctx.out('The seed: a thread whose target raises. join() returns normally; the error only reaches stderr:');
    const stderr: string[] = [];
    const thread = pythonStyleThread(async () => failing(ALIVE, 3, { y: 0, x: 0, signal: ctx.signal }), stderr);
    await thread.join();
    ctx.out('  join() returned; the caller never saw the exception. stderr held:');
    for (const line of stderr) ctx.out(`    ${line}`);

    ctx.out('loom: the same failure in one cell of a generation:');
    let running = 0;
    const oneBadCell: CellLogic = async (state, neighbors, cell) => {
      running++;
      try {
        if (cell.y === 2 && cell.x === 3) return await failing(state, neighbors, cell);
        await slowLogic(state, neighbors, cell);
        return gameLogic(state, neighbors);
      } finally {
        running--;
      }
    };
    try {
      await simulateThreaded(seedGlider(), { gameLogic: oneBadCell, signal: ctx.signal });
    } catch (error) {
      if (!(error instanceof SimulationError)) throw error;
      ctx.out(`  ${error.name}: ${error.message}`);
      ctx.out(`  error.y = ${error.y}, error.x = ${error.x}, error.cause = ${String(error.cause)}`);
      ctx.out(`  cells still running after the rejection: ${running}`);
    }
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
