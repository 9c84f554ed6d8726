/**
 * `ParallelLifeEngine`: the large-grid engine stepped by worker threads — true parallelism the
 * seed's threads could not have (item 53). The grid's two byte planes live in one
 * `SharedArrayBuffer` (see `layout.ts`); each of `workers` threads owns a band of rows and
 * steps it in place, meeting only its two neighbour bands through shared progress words
 * between generations (see `band-worker.ts`).
 *
 * One `step(n)` is one task per band, each running all `n` generations: the threads never come
 * back to the main thread between generations, so a step costs one message round trip per band
 * (~0.2 ms) whatever `n` is, and one thread runs as fast as `LifeEngine`. The pool runs one task
 * per thread (`concurrentTasksPerWorker: 1`) and has exactly one thread per band, so every band
 * task has its own thread: two band tasks sharing a thread would wait for each other forever.
 *
 * Stopping, like Go's `errgroup`: if a band task fails or `step`'s signal aborts, the main thread
 * sets the stop flag in every progress word, so every band returns within one generation; `step`
 * settles only once every band task has, so no thread touches the planes after it. The engine is
 * then broken (`step` throws): the bands stopped at different generations, so the planes no
 * longer hold one generation of the game. Rejected: passing the signal to the pool, whose abort
 * message a thread blocked in its band loop never reads (the pool would terminate it after a
 * grace period, and `step` would settle while it still wrote).
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { Deadline, isForever, type WaitOptions } from '../../core/deadline.js';
import { InvalidStateError } from '../../core/errors.js';
import { checkInteger, checkOptions, checkWaitOptions } from '../../core/validate.js';
import { WorkerPool } from '../../workers/pool.js';
import type { Grid } from '../grid.js';
import { allocateProgress, bands, plane, PROGRESS_STOPPED } from './layout.js';
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
  /** One progress word per band (see `layout.ts`); only bands in a running `step` change them. */
  readonly #progress: Int32Array;
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
    this.#progress = allocateProgress(this.#bands.length);
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
   *   A signal that aborts once every band has finished does not fail the step. `step` settles
   *   only after every band thread has stopped touching the planes.
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
    const stop = (): void => this.#stop();
    scope?.signal.addEventListener('abort', stop, { once: true });
    try {
      // No band runs between steps; seq-cst stores, so the bands started below read the zeros.
      for (let band = 0; band < this.#progress.length; band++) Atomics.store(this.#progress, band, 0);
      const count = this.#bands.length;
      const tasks = this.#bands.map(([y0, y1], band) => {
        const args: StepBandArgs = [this.buffers, this.#progress, band, (band + count - 1) % count, (band + 1) % count, y0, y1, this.#generation, generations];
        return this.#pool.run<number>('stepBand', args).catch((error: unknown) => {
          stop();
          throw error;
        });
      });
      const outcomes = await Promise.allSettled(tasks);
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure !== undefined) {
        this.#broken = failure.reason;
        throw failure.reason;
      }
      // Every band ran to the end unless stopped; a signal that aborted after the last band finished changes nothing.
      if (outcomes.some((outcome) => outcome.status === 'fulfilled' && outcome.value !== generations)) {
        // Only the scope's abort (`stop`) ends a band early when no band failed.
        const reason: unknown = scope?.signal.reason;
        this.#broken = reason;
        throw reason;
      }
      this.#generation += generations;
    } finally {
      scope?.signal.removeEventListener('abort', stop);
      scope?.dispose();
      this.#stepping = false;
    }
  }

  /** Sets the stop flag in every band's progress word and wakes the bands parked on it. */
  #stop(): void {
    for (let band = 0; band < this.#progress.length; band++) {
      // An atomic OR, not a store: the band may increment its count at the same moment. The word
      // changes, so a band about to park on its old value does not, and one parked is notified.
      Atomics.or(this.#progress, band, PROGRESS_STOPPED);
      Atomics.notify(this.#progress, band);
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
