/**
 * `ParallelLifeEngine`: the large-grid engine stepped by worker threads — true parallelism the
 * seed's threads could not have (item 53). The grid's two bit planes live in one
 * `SharedArrayBuffer` (see `layout.ts`), cut into several bands per thread; the threads take
 * "step this band one generation" tasks from a shared ticket word, so a faster core takes more
 * of them, and a task waits only for its band and the two next to it (see `band-worker.ts`).
 *
 * One `step(n)` is one pool task per thread, each taking tickets until all `n` generations of
 * every band are done: the threads never come back to the main thread between generations, so
 * a step costs one message round trip per thread (~0.2 ms) whatever `n` is, and one thread
 * runs as fast as `LifeEngine`. (A step of more than `SEGMENT_TASKS` band-generations runs as
 * several such rounds, so the ticket word cannot overflow.)
 *
 * Stopping, like Go's `errgroup`: if a task fails or `step`'s signal aborts, the main thread
 * sets the stop flag in every control word, so every thread returns within one band; `step`
 * settles only once every thread has, so no thread touches the planes after it. The engine is
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
import { allocateControl, BANDS_PER_THREAD, countAlive, plane, segments, STOPPED } from './layout.js';
import { loadGrid, readGrid } from './engine.js';
import type { LifeBuffers } from './layout.js';
import type { StepBandsArgs } from './band-worker.js';

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
  /** Worker threads, an integer >= 1; default `os.availableParallelism()`, at most the grid's height. */
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
  /** @internal The two planes; the current generation is plane `generation % 2`. */
  readonly buffers: LifeBuffers;
  /** Bands the grid is cut into: `BANDS_PER_THREAD` per thread, at most one per row. */
  readonly #bands: number;
  readonly #threads: number;
  readonly #pool: WorkerPool;
  /** The ticket and one count per band (see `layout.ts`); only threads in a running `step` change them. */
  readonly #control: Int32Array;
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
    this.#threads = Math.min(workers, grid.height);
    this.#bands = Math.min(grid.height, this.#threads * BANDS_PER_THREAD);
    this.#control = allocateControl(this.#bands);
    this.#pool = new WorkerPool({ module: BAND_WORKER, size: this.#threads, concurrentTasksPerWorker: 1 });
  }

  /** Rows of the grid. */
  get height(): number {
    return this.buffers.height;
  }

  /** Columns of the grid. */
  get width(): number {
    return this.buffers.width;
  }

  /** Worker threads that step the grid. */
  get workers(): number {
    return this.#threads;
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
   *   A signal that aborts once every band of every generation is stepped does not fail the
   *   step. `step` settles only after every thread has stopped touching the planes.
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
      for (const length of segments(generations, this.#bands)) {
        // A signal that aborted after a segment ends the step before the next one resets the stop
        // flags; the step was given up, so the engine is broken like after any other give-up.
        if (scope?.signal.aborted === true) {
          this.#broken = scope.signal.reason;
          throw scope.signal.reason;
        }
        await this.#segment(length, scope?.signal);
      }
    } finally {
      scope?.signal.removeEventListener('abort', stop);
      scope?.dispose();
      this.#stepping = false;
    }
  }

  /** Runs `generations` generations as one round of pool tasks, one per thread; see `step`. */
  async #segment(generations: number, signal: AbortSignal | undefined): Promise<void> {
    // No thread runs between segments; seq-cst stores, so the tasks started below read the zeros.
    for (let word = 0; word < this.#control.length; word++) Atomics.store(this.#control, word, 0);
    const args: StepBandsArgs = [this.buffers, this.#control, this.#bands, this.#generation, generations];
    const tasks = Array.from({ length: this.#threads }, () =>
      this.#pool.run<number>('stepBands', args).catch((error: unknown) => {
        this.#stop();
        throw error;
      }),
    );
    const outcomes = await Promise.allSettled(tasks);
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) {
      this.#broken = failure.reason;
      throw failure.reason;
    }
    // Every task ran unless stopped; a signal that aborted after the last one finished changes nothing.
    const completed = outcomes.reduce((sum, outcome) => sum + (outcome.status === 'fulfilled' ? outcome.value : 0), 0);
    if (completed !== this.#bands * generations) {
      // Only the step's abort (`#stop`) ends the tasks early when none failed.
      this.#broken = signal?.reason;
      throw signal?.reason;
    }
    this.#generation += generations;
  }

  /** Sets the stop flag in every control word and wakes the threads parked on one. */
  #stop(): void {
    for (let word = 0; word < this.#control.length; word++) {
      // An atomic OR, not a store: a thread may count a band or take a ticket at the same moment.
      // The word changes, so a thread about to park on its old value does not, and one parked is notified.
      Atomics.or(this.#control, word, STOPPED);
      Atomics.notify(this.#control, word);
    }
  }

  /** The current generation as a `Grid`. */
  toGrid(): Grid {
    return readGrid(this.buffers, this.#generation);
  }

  /** Living cells in the current generation. */
  population(): number {
    return countAlive(plane(this.buffers, this.#generation));
  }

  /** Ends the worker threads (waiting for a running step). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.shutdown();
  }

  /** Same as {@link close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
