/**
 * `simulatePhasedPipeline`: item 58's second pipeline, for when `countNeighbors` does I/O too —
 * two stages of fixed workers, counting then deciding, as one `pipeline()` call.
 *
 * In the seed this needs a second set of threads, a second exception-forwarding wrapper, a
 * `LockingGrid` (the counting threads read the grid concurrently) and `join()` calls in the
 * right order. Here `loom/pipeline` owns the queues, the workers, the closing of each stage
 * when the one before has drained (the seed's `in_queue.join(); logic_queue.join()`) and the
 * teardown; the grid needs no lock (one event loop), and the caller's side writes each decided
 * cell into the next grid as it comes out (fan-in).
 *
 * Failures keep the generation's model (`generation.ts`): a failing cell records its
 * `SimulationError` at once, which aborts the generation's signal — the one every cell's I/O
 * watches, and the pipeline's `signal` — so the pipeline tears down; it settles once every cell
 * in flight has, and the call rejects with that first failure.
 *
 * @module
 */

import { checkInteger } from '../../core/validate.js';
import { pipeline } from '../../pipeline/pipeline.js';
import type { Grid } from '../grid.js';
import { GenerationScope, type CountedCell } from './generation.js';
import { DEFAULT_WORKERS } from './pipeline.js';
import type { PipelineSimulateOptions } from './types.js';

/**
 * The next generation of `grid` through two stages of `workers` fixed workers each: one
 * counting neighbours, one running the game logic.
 *
 * @param opts `workers` per stage (an integer >= 1; default 5, the seed's), `gameLogic`,
 *   `countNeighbors`, `signal`, `timeout`.
 * @returns the next grid, equal to `simulate(grid)` for the same logic.
 * @throws SimulationError for the first failing cell, in either stage (its error as `cause`);
 *   `signal.reason`; `TimeoutError` (`simulatePhasedPipeline timed out after N
 *   milliseconds`). TypeError/RangeError synchronously for bad arguments.
 * @example
 * ```ts
 * import { Grid, delayedCountNeighbors, delayedGameLogic, simulatePhasedPipeline } from 'loom/life';
 * await simulatePhasedPipeline(new Grid(5, 9), {
 *   countNeighbors: delayedCountNeighbors(100),
 *   gameLogic: delayedGameLogic(100),
 *   workers: 45,
 * });
 * ```
 */
export function simulatePhasedPipeline(grid: Grid, opts?: PipelineSimulateOptions): Promise<Grid> {
  const workers = opts?.workers ?? DEFAULT_WORKERS;
  checkInteger('workers', workers, 1);
  const scope = new GenerationScope(grid, opts, 'simulatePhasedPipeline');
  return run(scope, workers);
}

/** Every cell's position, row by row (the seed's loop order). */
function* positions(grid: Grid): Generator<readonly [number, number]> {
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) yield [y, x];
  }
}

/** Runs `phase`; a failure is recorded in the scope before it propagates, so the generation stops at once. */
async function recorded<T>(scope: GenerationScope, phase: () => T | Promise<T>): Promise<T> {
  try {
    return await phase();
  } catch (error) {
    scope.fail(error);
    throw error;
  }
}

async function run(scope: GenerationScope, workers: number): Promise<Grid> {
  using _scope = scope;
  // More workers than cells would only wait on an empty buffer.
  const perStage = Math.min(workers, scope.size);
  const cells = pipeline(positions(scope.grid), { signal: scope.signal })
    .stage('count', ([y, x]) => recorded(scope, () => scope.count(y, x)), { workers: perStage })
    .stage('decide', (cell: CountedCell) => recorded(scope, async () => ({ y: cell.y, x: cell.x, state: await scope.judge(cell) })), { workers: perStage });
  try {
    for await (const { y, x, state } of cells) scope.write(y, x, state); // Fan in
  } catch (error) {
    scope.fail(error);
    // A failing cell or the caller's abort is the scope's outcome, reported by result().
    if (!scope.signal.aborted) throw error;
  }
  return scope.result();
}
