/**
 * `simulatePhasedPipeline`: item 58's second pipeline, for when `countNeighbors` does I/O too —
 * two stages of fixed workers (counting, then deciding) between three `Queue`s.
 *
 * In the seed this needs a second set of threads, a second exception-forwarding wrapper, a
 * `LockingGrid` (the counting threads read the grid concurrently) and `join()` calls in the
 * right order. Here the stages share `pipeline.ts`'s worker, fan-in and shutdown: the grid
 * needs no lock (one event loop), the counting stage closes the logic queue when it drains
 * (the seed's `in_queue.join(); logic_queue.join()` sequencing), and the first failure in
 * either stage aborts the generation and closes every queue.
 *
 * @module
 */

import { checkInteger } from '../../core/validate.js';
import { Queue } from '../../queue/queue.js';
import type { Grid } from '../grid.js';
import { GenerationScope, type CountedCell } from './generation.js';
import { DEFAULT_WORKERS, closeOnAbort, collect, logicWorker, withWorkers, type DecidedCell } from './pipeline.js';
import type { PipelineSimulateOptions } from './types.js';

/** The counting stage's worker: counts cells until its queue is closed and drained. */
async function countWorker(scope: GenerationScope, inQueue: Queue<readonly [number, number]>, logicQueue: Queue<CountedCell>): Promise<void> {
  for await (const [y, x] of inQueue) {
    try {
      logicQueue.putNowait(await scope.count(y, x));
    } catch (error) {
      scope.fail(error);
      throw error;
    }
  }
}

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

async function run(scope: GenerationScope, workers: number): Promise<Grid> {
  using _scope = scope;
  const inQueue = new Queue<readonly [number, number]>();
  const logicQueue = new Queue<CountedCell>();
  const outQueue = new Queue<DecidedCell>();
  using _closer = closeOnAbort(scope, [inQueue, logicQueue, outQueue]);
  // `return await`: the queues and the scope are disposed when this function returns, so it must not return before the generation has settled.
  const counter = (): Promise<void> => countWorker(scope, inQueue, logicQueue);
  const decider = (): Promise<void> => logicWorker(scope, logicQueue, outQueue);
  // More workers than cells would only wait on an empty queue.
  const perStage = Math.min(workers, scope.size);
  const stages = [...Array.from({ length: perStage }, () => counter), ...Array.from({ length: perStage }, () => decider)];
  return await withWorkers(scope, stages, async () => {
    const { height, width } = scope.grid;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) inQueue.putNowait([y, x]); // Fan out
    }
    inQueue.close();
    await inQueue.join({ signal: scope.signal }); // Pipeline sequencing: every cell counted
    logicQueue.close();
    await collect(scope, outQueue, scope.size); // Fan in
  });
}
