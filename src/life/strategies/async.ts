/**
 * `simulateAsync`: plain coroutines, item 60's answer — every cell's logic is started at once
 * and the generation awaits them all together (`asyncio.gather` over the cells). Nothing
 * bounds the fan-out, and nothing needs to: a waiting cell is a promise and a timer or a
 * request id, a few hundred bytes, not a thread's 8 MB.
 *
 * Unlike a bare `Promise.all`, the first failure aborts the other cells' signal and the
 * generation still waits for all of them to settle before it rejects, so no cell is left
 * running behind the caller's back (structured, like asyncio's `TaskGroup`, without a task
 * object per cell). Synchronous logic runs without a single promise per cell, and the fan-in
 * is a count of cells still running kept by the scope, not a `Promise.all` over 10,000
 * promises (which cost one more reaction and closure per cell).
 *
 * @module
 */

import type { Grid } from '../grid.js';
import { GenerationScope } from './generation.js';
import type { SimulateOptions } from './types.js';

/**
 * The next generation of `grid`, every cell's (possibly async) logic in flight at once.
 *
 * @param opts `gameLogic`/`countNeighbors` (default: the pure rule), `signal`, `timeout`.
 * @returns the next grid, equal to `simulate(grid)` for the same logic.
 * @throws SimulationError (rejected) for the first failing cell, with its error as `cause`;
 *   `signal.reason` when aborted; `TimeoutError` (`simulateAsync timed out after N
 *   milliseconds`) past `timeout`. TypeError synchronously for bad arguments.
 * @example
 * ```ts
 * import { Grid, delayedGameLogic, simulateAsync } from 'loom/life';
 * const grid = new Grid(100, 100);
 * const next = await simulateAsync(grid, { gameLogic: delayedGameLogic(100) }); // ~100 ms for 10,000 cells
 * ```
 */
export function simulateAsync(grid: Grid, opts?: SimulateOptions): Promise<Grid> {
  const scope = new GenerationScope(grid, opts, 'simulateAsync');
  return run(scope);
}

async function run(scope: GenerationScope): Promise<Grid> {
  using _scope = scope;
  const { height, width } = scope.grid;
  start: for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (scope.stopped) break start;
      // A failure is recorded in the scope, which aborts the other cells.
      scope.launch(y, x);
    }
  }
  await scope.launched();
  return scope.result();
}
