/**
 * `simulateThreaded`: item 57's thread per cell — one concurrent task per cell, all started
 * (fan-out), then all awaited (fan-in). In Node a "thread" for I/O is a task on the event loop,
 * so what item 57 could not afford (10,000 threads of 8 MB each) costs a few megabytes here;
 * the fan-out is still unbounded, which is what the benchmark shows at scale.
 *
 * What loom fixes is item 57's vanished exception: the tasks are children of a `TaskGroup`, so
 * the first cell that fails aborts its siblings, the group waits for every one of them, and the
 * generation rejects with that cell's `SimulationError(y, x)` (the original error as `cause`)
 * instead of printing a traceback to stderr and carrying on with a half-written grid.
 *
 * @module
 */

import { taskGroup } from '../../tasks/task-group.js';
import type { Grid } from '../grid.js';
import { GenerationScope } from './generation.js';
import type { SimulateOptions } from './types.js';

/**
 * The next generation of `grid`, one task per cell in a `TaskGroup`.
 *
 * @param opts `gameLogic`/`countNeighbors` (default: the pure rule), `signal`, `timeout`.
 * @returns the next grid, equal to `simulate(grid)` for the same logic.
 * @throws SimulationError for the first failing cell (its error as `cause`); `signal.reason`;
 *   `TimeoutError` (`simulateThreaded timed out after N milliseconds`). TypeError
 *   synchronously for bad arguments.
 * @example
 * ```ts
 * import { Grid, delayedGameLogic, simulateThreaded } from 'loom/life';
 * const next = await simulateThreaded(new Grid(5, 9), { gameLogic: delayedGameLogic(100) });
 * ```
 */
export function simulateThreaded(grid: Grid, opts?: SimulateOptions): Promise<Grid> {
  const scope = new GenerationScope(grid, opts, 'simulateThreaded');
  return run(scope);
}

async function run(scope: GenerationScope): Promise<Grid> {
  using _scope = scope;
  const stepCell = async (y: number, x: number): Promise<void> => {
    try {
      await scope.cell(y, x);
    } catch (error) {
      scope.fail(error);
      throw error;
    }
  };
  try {
    await taskGroup(
      (group) => {
        const { height, width } = scope.grid;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            if (scope.stopped) return;
            group.spawn(() => stepCell(y, x)); // Fan out
          }
        }
      },
      { signal: scope.signal },
    ); // Fan in
  } catch (error) {
    // The group's failure is the scope's (a cell's SimulationError, or the caller's abort), reported below.
    if (!scope.signal.aborted) throw error;
  }
  return scope.result();
}
