/**
 * `ParallelLifeEngine`: the large-grid engine stepped by worker threads — true parallelism the
 * seed's threads could not have (item 53). The grid's two byte planes live in one
 * `SharedArrayBuffer` (see `layout.ts`); each of `workers` threads owns a band of rows and
 * steps it in place, with a `SharedBarrier` between generations (see `band-worker.ts`).
 *
 * One `step(n)` is one task per band, each running all `n` generations: the threads meet at the
 * barrier between generations instead of coming back to the main thread, so a generation costs
 * one barrier crossing, not a message round-trip per band. The pool runs one task per thread
 * (`concurrentTasksPerWorker: 1`) and has exactly one thread per band, so every band task has
 * its own thread: two band tasks sharing a thread would wait for each other at the barrier
 * forever.
 *
 * Failure: if a band task fails (or `step`'s signal aborts), the barrier is aborted so that the
 * other bands wake with `BrokenBarrierError` instead of waiting forever, every band task is
 * awaited, and the engine is left broken (`step` throws): the planes hold a half-stepped
 * generation that no longer equals any generation of the game.
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { Deadline, isForever, type WaitOptions } from '../../core/deadline.js';
import { InvalidStateError } from '../../core/errors.js';
import { checkInteger, checkOptions, checkWaitOptions } from '../../core/validate.js';
import { SharedBarrier } from '../../workers/shared-barrier.js';
import { WorkerPool } from '../../workers/pool.js';
import type { Grid } from '../grid.js';
import { bands, plane } from './layout.js';
import { loadGrid, readGrid } from './engine.js';
import type { LifeBuffers } from './layout.js';
import type { StepBandArgs } from './band-worker.js';

/** The band worker module, `.ts` when loom runs from source (tests), `.js` once built. */
const BAND_WORKER = new URL(`./band-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * Options of {@link ParallelLifeEngine}.
 *
 * @example
 * ```ts
 * import type { ParallelLifeEngineOptions } from 'loom/life';
 * const opts: ParallelLifeEngineOptions = { workers: 2 };
 * ```
 */
export interface ParallelLifeEngineOptions {
  /** Worker threads (and bands), an integer >= 1; default `os.availableParallelism()`, at most the grid's height. */
  readonly workers?: number | undefined;
}

/**
 * A large grid stepped in parallel by worker threads over shared memory. Agrees with
 * `simulate` on every grid. Close it (`close()` or `await using`) to end its threads.
 *
 * @example
 * ```ts
 * import { Grid, ParallelLifeEngine } from 'loom/life';
 * await using engine = new ParallelLifeEngine(new Grid(4096, 4096), { workers: 4 });
 * await engine.step(10);
 * console.log(engine.population());
 * ```
 */
export class ParallelLifeEngine implements AsyncDisposable {
  /** The two planes; the current generation is plane `generation % 2`. */
  readonly buffers: LifeBuffers;
  readonly #bands: [number, number][];
  readonly #pool: WorkerPool;
  readonly #barrier: SharedBarrier;
  #generation = 0;
  /** True while a `step` runs; steps do not overlap. */
  #stepping = false;
  /** Set when a step failed half-way: the planes no longer hold a generation. */
  #broken: unknown;
  #closed = false;

  constructor(grid: Grid, opts?: ParallelLifeEngineOptions) {
    checkOptions('options', opts);
    const workers = opts?.workers ?? availableParallelism();
    checkInteger('workers', workers, 1);
    this.buffers = loadGrid(grid);
    this.#bands = bands(grid.height, workers);
    this.#barrier = new SharedBarrier(this.#bands.length);
    this.#pool = new WorkerPool({ module: BAND_WORKER, size: this.#bands.length, concurrentTasksPerWorker: 1 });
  }

  /** Rows of the grid. */
  get height(): number {
    return this.buffers.height;
  }

  /** Columns of the grid. */
  get width(): number {
    return this.buffers.width;
  }

  /** Bands (= threads) the grid is split into. */
  get workers(): number {
    return this.#bands.length;
  }

  /** Generations stepped since construction. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Advances `generations` generations (default 1, an integer >= 0) on the worker threads.
   *
   * @throws InvalidStateError (rejected) while another `step` runs, after `close()`, or after
   *   a step failed; `signal.reason` / `TimeoutError` (`ParallelLifeEngine.step timed out
   *   after N milliseconds`) when given up — the engine is then broken, as on any failure.
   */
  async step(generations = 1, opts?: WaitOptions): Promise<void> {
    checkInteger('generations', generations, 0);
    checkWaitOptions(opts);
    if (this.#closed) throw new InvalidStateError('ParallelLifeEngine is closed');
    if (this.#broken !== undefined) throw new InvalidStateError('ParallelLifeEngine is broken by a failed step', { cause: this.#broken });
    if (this.#stepping) throw new InvalidStateError('ParallelLifeEngine.step is already running');
    if (opts?.signal?.aborted) throw opts.signal.reason;
    if (generations === 0) return;
    this.#stepping = true;
    // One scope for all bands, so a timeout reads `ParallelLifeEngine.step timed out ...`.
    const scope = isForever(opts) ? undefined : new Deadline(opts, 'ParallelLifeEngine.step');
    const taskOptions = scope === undefined ? undefined : { signal: scope.signal };
    try {
      const tasks = this.#bands.map(([y0, y1]) => {
        const args: StepBandArgs = [this.buffers, this.#barrier.handle, y0, y1, this.#generation, generations];
        return this.#pool.run('stepBand', args, taskOptions);
      });
      const outcomes = await Promise.allSettled(
        tasks.map((task) =>
          task.catch((error: unknown) => {
            // Wake the bands parked at the barrier: they leave with BrokenBarrierError.
            this.#barrier.abort();
            throw error;
          }),
        ),
      );
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure !== undefined) {
        this.#broken = failure.reason;
        throw failure.reason;
      }
      this.#generation += generations;
    } finally {
      scope?.dispose();
      this.#stepping = false;
    }
  }

  /** The current generation as a `Grid`. */
  toGrid(): Grid {
    return readGrid(this.buffers, this.#generation);
  }

  /** Living cells in the current generation. */
  population(): number {
    let count = 0;
    for (const cell of plane(this.buffers, this.#generation)) count += cell;
    return count;
  }

  /** Ends the worker threads (waiting for a running step). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.shutdown();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
