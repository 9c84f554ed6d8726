/**
 * `simulatePool`: item 59's `ThreadPoolExecutor` — the cells are submitted to an `Executor`
 * that runs at most `concurrency` of them at once; the rest queue in FIFO order.
 *
 * The bound is the point and the cost: memory and sockets stay bounded whatever the grid, but
 * with 100 ms of I/O per cell a generation takes `ceil(cells / concurrency) * 100 ms`.
 *
 * The executor does not pass signals to what it runs (a `Future` is cancelled only before it
 * starts), so each cell gets the generation's signal through its context, and on the first
 * failure the queued cells are cancelled with `shutdown({ cancelFutures: true })` while the
 * running ones see the abort. The generation settles only after `shutdown()` has waited for
 * every running cell: nothing is left behind.
 *
 * @module
 */

import { checkInteger } from '../../core/validate.js';
import { Executor } from '../../tasks/executor.js';
import type { Grid } from '../grid.js';
import { GenerationScope } from './generation.js';
import type { BoundedSimulateOptions } from './types.js';

/** The seed's pool size (item 59: `ThreadPoolExecutor(max_workers=10)`). */
const DEFAULT_CONCURRENCY = 10;

/**
 * The next generation of `grid`, at most `concurrency` cells in flight on an `Executor`.
 *
 * @param opts `concurrency` (an integer >= 1 or `Infinity`; default 10, the seed's
 *   `max_workers`), `gameLogic`, `countNeighbors`, `signal`, `timeout`.
 * @returns the next grid, equal to `simulate(grid)` for the same logic.
 * @throws SimulationError for the first failing cell (its error as `cause`); `signal.reason`;
 *   `TimeoutError` (`simulatePool timed out after N milliseconds`). TypeError/RangeError
 *   synchronously for bad arguments.
 * @example
 * ```ts
 * import { Grid, delayedGameLogic, simulatePool } from 'loom/life';
 * await simulatePool(new Grid(5, 9), { gameLogic: delayedGameLogic(100), concurrency: 45 });
 * ```
 */
export function simulatePool(grid: Grid, opts?: BoundedSimulateOptions): Promise<Grid> {
  const concurrency = opts?.concurrency ?? DEFAULT_CONCURRENCY;
  checkInteger('concurrency', concurrency, 1, true);
  const scope = new GenerationScope(grid, opts, 'simulatePool');
  return run(scope, concurrency);
}

async function run(scope: GenerationScope, concurrency: number): Promise<Grid> {
  using _scope = scope;
  const executor = new Executor({ maxWorkers: concurrency });
  // Never rejects: a failure is recorded in the scope, which aborts the other cells.
  const stepOne = (y: number, x: number): Promise<void> | undefined => scope.settledCell(y, x);
  const cancelQueued = (): void => {
    void executor.shutdown({ wait: false, cancelFutures: true });
  };
  scope.signal.addEventListener('abort', cancelQueued, { once: true });
  try {
    const { height, width } = scope.grid;
    start: for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (scope.stopped) break start;
        executor.submit(stepOne, y, x);
      }
    }
  } finally {
    scope.signal.removeEventListener('abort', cancelQueued);
    await executor.shutdown();
  }
  return scope.result();
}
