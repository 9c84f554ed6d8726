/**
 * `simulatePipeline`: item 58's pipeline — a fixed number of workers started up front, fed
 * through one `Queue` (fan-out) and answering through another (fan-in), with the grid read and
 * written only by the caller's side, so the plain `Grid` needs no lock.
 *
 * What item 58 writes by hand, loom's pieces do:
 * - `ClosableQueue`/`StoppableWorker` are `Queue.close()` and `for await (const item of queue)`.
 * - The exception a worker catches and sends down the out-queue is the generation's failure:
 *   the worker records it, which aborts every cell's signal and closes both queues at once
 *   (`close({ immediate: true })`), so idle workers leave their loops, the caller stops waiting
 *   for results, and the call rejects with the `SimulationError(y, x)` — the seed's
 *   `raise SimulationError(y, x) from next_state`, without waiting for the rest of the grid.
 * - The workers are children of a `TaskGroup`, so the call returns only once every one of them
 *   has finished, whether the generation succeeded or not.
 *
 * The neighbour count runs on the caller's side as in the seed; if it does I/O it is awaited
 * cell by cell, which is item 58's point about this design (use the phased pipeline then).
 * The workers live for one call: with `(grid, opts)` as the signature, nothing can outlive it.
 *
 * @module
 */

import { checkInteger } from '../../core/validate.js';
import { Queue } from '../../queue/queue.js';
import { taskGroup } from '../../tasks/task-group.js';
import type { CellState } from '../cell.js';
import type { Grid } from '../grid.js';
import { GenerationScope, type CountedCell } from './generation.js';
import type { PipelineSimulateOptions } from './types.js';

/** The seed's worker count (item 58 starts 5 threads per stage). */
export const DEFAULT_WORKERS = 5;

/** A decided cell on its way back to the caller. */
export interface DecidedCell {
  readonly y: number;
  readonly x: number;
  readonly state: CellState;
}

/** Closes every queue at once when the generation is abandoned, so no worker or reader waits on it. */
export function closeOnAbort(scope: GenerationScope, queues: readonly Pick<Queue<never>, 'close'>[]): Disposable {
  const close = (): void => {
    for (const queue of queues) queue.close({ immediate: true });
  };
  scope.signal.addEventListener('abort', close, { once: true });
  return {
    [Symbol.dispose]: () => {
      scope.signal.removeEventListener('abort', close);
      for (const queue of queues) queue.close();
    },
  };
}

/** The logic stage's worker: judges counted cells until its queue is closed and drained. */
export async function logicWorker(scope: GenerationScope, inQueue: Queue<CountedCell>, outQueue: Queue<DecidedCell>): Promise<void> {
  for await (const cell of inQueue) {
    try {
      outQueue.putNowait({ y: cell.y, x: cell.x, state: await scope.judge(cell) });
    } catch (error) {
      scope.fail(error);
      throw error;
    }
  }
}

/** Reads `count` decided cells from `outQueue` into the next grid (fan-in). */
export async function collect(scope: GenerationScope, outQueue: Queue<DecidedCell>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { y, x, state } = await outQueue.get({ signal: scope.signal });
    scope.write(y, x, state);
  }
}

/** Runs `body` with `workers` copies of `worker` in a task group tied to the scope, then reports the scope's outcome. */
export async function withWorkers(scope: GenerationScope, workers: readonly (() => Promise<void>)[], body: () => Promise<void>): Promise<Grid> {
  try {
    await taskGroup(
      async (group) => {
        for (const worker of workers) group.spawn(worker);
        try {
          await body();
        } catch (error) {
          scope.fail(error);
          throw error;
        }
      },
      { signal: scope.signal },
    );
  } catch (error) {
    // A failing cell or the caller's abort is the scope's outcome, reported by result().
    if (!scope.signal.aborted) throw error;
  }
  return scope.result();
}

/**
 * The next generation of `grid` through a pipeline of `workers` fixed workers running the
 * game logic between two queues.
 *
 * @param opts `workers` (an integer >= 1; default 5, the seed's), `gameLogic`,
 *   `countNeighbors` (run on the caller's side, awaited cell by cell), `signal`, `timeout`.
 * @returns the next grid, equal to `simulate(grid)` for the same logic.
 * @throws SimulationError for the first failing cell (its error as `cause`); `signal.reason`;
 *   `TimeoutError` (`simulatePipeline timed out after N milliseconds`). TypeError/RangeError
 *   synchronously for bad arguments.
 * @example
 * ```ts
 * import { Grid, delayedGameLogic, simulatePipeline } from 'loom/life';
 * await simulatePipeline(new Grid(5, 9), { gameLogic: delayedGameLogic(100), workers: 45 });
 * ```
 */
export function simulatePipeline(grid: Grid, opts?: PipelineSimulateOptions): Promise<Grid> {
  const workers = opts?.workers ?? DEFAULT_WORKERS;
  checkInteger('workers', workers, 1);
  const scope = new GenerationScope(grid, opts, 'simulatePipeline');
  return run(scope, workers);
}

async function run(scope: GenerationScope, workers: number): Promise<Grid> {
  using _scope = scope;
  const inQueue = new Queue<CountedCell>();
  const outQueue = new Queue<DecidedCell>();
  using _closer = closeOnAbort(scope, [inQueue, outQueue]);
  // `return await`: the queues and the scope are disposed when this function returns, so it must not return before the generation has settled.
  const worker = (): Promise<void> => logicWorker(scope, inQueue, outQueue);
  // More workers than cells would only wait on an empty queue.
  return await withWorkers(scope, Array.from({ length: Math.min(workers, scope.size) }, () => worker), async () => {
    const { height, width } = scope.grid;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (scope.stopped) return;
        const counted = scope.count(y, x);
        inQueue.putNowait(counted instanceof Promise ? await counted : counted); // Fan out
      }
    }
    inQueue.close();
    await collect(scope, outQueue, scope.size); // Fan in
  });
}
