/**
 * One generation's scope, shared by every concurrent strategy: it validates the options, runs
 * one cell (reading the old grid, writing the new one), and owns the generation's signal.
 *
 * The failure model (what item 58 builds by hand with exceptions sent down a queue):
 * - The first cell to fail wins: its error becomes a `SimulationError(y, x)` with the original
 *   error as `cause`, and the generation's signal aborts with it, so every other cell's I/O
 *   stops early and no new cell starts.
 * - A cell that rejects with the generation's own abort reason is a casualty of that abort,
 *   not a second failure, and is not wrapped.
 * - The caller's `signal` and `timeout` are merged in through a `Deadline` (a timeout is a
 *   cancellation with a deadline); then the generation rejects with `signal.reason` or a
 *   `TimeoutError` (`simulateAsync timed out after N milliseconds`).
 * A strategy always waits for every started cell to settle before it reports, so when the
 * promise settles nothing of the generation is still running.
 *
 * Every in-flight cell may watch the generation's signal (10,000 cells: 10,000 listeners), so
 * the listener-count warning is switched off on that one signal, which this scope owns.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';
import { unwatchAbort, watchAbort, type AbortWatcher } from '../../core/abort-watch.js';
import { Deadline } from '../../core/deadline.js';
import { checkFunction, checkWaitOptions, expectation } from '../../core/validate.js';
import type { CellState } from '../cell.js';
import { SimulationError } from '../errors.js';
import { Grid } from '../grid.js';
import { countNeighbors, gameLogic, type CellGetter } from '../rules.js';
import type { CellContext, CellLogic, NeighborCounter, SimulateOptions } from './types.js';

/** A cell's state and neighbour count, between the two phases of the phased pipeline. */
export interface CountedCell {
  readonly y: number;
  readonly x: number;
  readonly state: CellState;
  readonly neighbors: number;
}

/** How a cell reports its end: `THROW` throws or rejects its failure; `RECORD` hands it to `fail`; `COUNT` does too and ends the cell's count. */
type Mode = 0 | 1 | 2;
const THROW: Mode = 0;
const RECORD: Mode = 1;
const COUNT: Mode = 2;

/** The grid, logic and signal of one generation in progress. */
export class GenerationScope implements Disposable {
  readonly grid: Grid;
  /** The next generation; cells are written as they finish. */
  readonly next: Grid;
  readonly #deadline: Deadline;
  /**
   * Aborted when a cell failed, the caller aborted, or the timeout elapsed: the deadline's
   * signal, kept in a field because every cell reads it (the controller's getter validates).
   */
  readonly signal: AbortSignal;
  readonly #logic: CellLogic;
  readonly #counter: NeighborCounter;
  readonly #get: CellGetter;
  /** The first cell failure (a SimulationError); set at most once. */
  #failure: SimulationError | undefined;
  /** True once `signal` has aborted: a plain field for the launch loop, set by `#watcher`. */
  #stopped = false;
  /** Watches `signal` for `#stopped` until dispose; `undefined` once the signal aborted. */
  #watcher: AbortWatcher | undefined;
  /** Cells launched and not yet settled (see {@link launch}). */
  #running = 0;
  /** Set while {@link launched} waits for `#running` to reach 0. */
  #allSettled: (() => void) | undefined;

  /** @param what names the strategy in a timeout message. */
  constructor(grid: Grid, opts: SimulateOptions | undefined, what: string) {
    if (!(grid instanceof Grid)) throw new TypeError(expectation('grid', 'a Grid', grid));
    // Checked through an alias: the assertion would narrow `opts` itself to bare WaitOptions.
    const waitOptions: unknown = opts;
    checkWaitOptions(waitOptions);
    const logic: unknown = opts?.gameLogic ?? gameLogic;
    const counter: unknown = opts?.countNeighbors ?? countNeighbors;
    checkFunction('gameLogic', logic);
    checkFunction('countNeighbors', counter);
    this.grid = grid;
    this.next = new Grid(grid.height, grid.width);
    this.#logic = opts?.gameLogic ?? gameLogic;
    this.#counter = opts?.countNeighbors ?? countNeighbors;
    this.#get = (y, x) => grid.get(y, x);
    this.#deadline = new Deadline(opts, what);
    this.signal = this.#deadline.signal;
    setMaxListeners(0, this.signal);
    if (this.signal.aborted) this.#stopped = true;
    else {
      this.#watcher = watchAbort(this.signal, () => {
        this.#stopped = true;
        this.#watcher = undefined;
      });
    }
  }

  /** True once {@link signal} has aborted: no further cell should start. As cheap as a field read. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Cells in the grid. */
  get size(): number {
    return this.grid.height * this.grid.width;
  }

  /** Row `i / width`, column `i % width` of cell index `i` (row-major, the seed's loop order). */
  position(i: number): [number, number] {
    return [Math.floor(i / this.grid.width), i % this.grid.width];
  }

  /**
   * Runs cell `(y, x)` completely: state, neighbours, logic, and the write to `next`. Returns
   * `undefined` when everything was synchronous, else a promise. Throws (or rejects with) a
   * `SimulationError`, or the generation's abort reason when it was abandoned.
   */
  cell(y: number, x: number): Promise<void> | undefined {
    return this.#step(y, x, THROW);
  }

  /**
   * {@link cell} for strategies that only need the first failure: never throws or rejects; a
   * failure goes to {@link fail}. Saves the one extra promise per cell a `.catch` would cost.
   */
  settledCell(y: number, x: number): Promise<void> | undefined {
    return this.#step(y, x, RECORD);
  }

  /**
   * {@link settledCell} without a promise to hold: the scope counts the cell until it settles,
   * and {@link launched} resolves once every launched cell has. For the unbounded fan-out, where
   * collecting 10,000 promises for a `Promise.all` cost a reaction and a closure per cell.
   */
  launch(y: number, x: number): void {
    this.#running++;
    void this.#step(y, x, COUNT);
  }

  /** Resolves once every cell {@link launch}ed so far has settled (at once when none is running). Never rejects; call it once, after the last launch. */
  launched(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#allSettled = resolve;
    });
  }

  /** The first phase alone: counts the neighbours of `(y, x)`. Same errors as {@link cell}. */
  count(y: number, x: number): CountedCell | Promise<CountedCell> {
    const state = this.grid.get(y, x);
    let neighbors: number | Promise<number>;
    try {
      neighbors = this.#counter(y, x, this.#get, { y, x, signal: this.signal });
    } catch (error) {
      throw this.#wrap(y, x, error);
    }
    if (typeof neighbors === 'number') return { y, x, state, neighbors };
    return neighbors.then(
      (counted) => ({ y, x, state, neighbors: counted }),
      (error: unknown) => {
        throw this.#wrap(y, x, error);
      },
    );
  }

  /** Runs the logic for a counted cell without writing it (the pipelines send it down a queue). Same errors as {@link cell}. */
  judge(cell: CountedCell): CellState | Promise<CellState> {
    const decided = this.#runLogic(cell);
    if (typeof decided === 'string') return decided;
    return Promise.resolve(decided).then(undefined, (error: unknown) => {
      throw this.#wrap(cell.y, cell.x, error);
    });
  }

  /** Calls the logic; a synchronous throw becomes a `SimulationError`, a rejection is left to the caller to wrap. */
  #runLogic(cell: CountedCell): CellState | Promise<CellState> {
    try {
      return this.#logic(cell.state, cell.neighbors, { y: cell.y, x: cell.x, signal: this.signal });
    } catch (error) {
      throw this.#wrap(cell.y, cell.x, error);
    }
  }

  /** Writes a decided state to the next grid; an invalid state throws a `SimulationError` for that cell. */
  write(y: number, x: number, state: CellState): void {
    this.#store(y, x, state, THROW);
  }

  /**
   * One cell, start to finish. In `THROW` mode a failure is thrown or rejected (wrapped); in
   * the others the wrapped failure goes to {@link fail} and the result never rejects, and in
   * `COUNT` mode the cell's end (stored or failed) also ends its count. Each asynchronous step
   * has one reaction for both outcomes: at 10,000 cells a generation, every promise per cell
   * shows in the time per generation.
   */
  #step(y: number, x: number, mode: Mode): Promise<void> | undefined {
    const state = this.grid.get(y, x);
    const ctx: CellContext = { y, x, signal: this.signal };
    let neighbors: number | Promise<number>;
    try {
      neighbors = this.#counter(y, x, this.#get, ctx);
    } catch (error) {
      return this.#failed(y, x, error, mode);
    }
    if (typeof neighbors === 'number') return this.#decide(state, neighbors, ctx, mode);
    return neighbors.then(
      (counted) => this.#decide(state, counted, ctx, mode),
      (error: unknown) => this.#failed(y, x, error, mode),
    );
  }

  #decide(state: CellState, neighbors: number, ctx: CellContext, mode: Mode): Promise<void> | undefined {
    const { y, x } = ctx;
    let decided: CellState | Promise<CellState>;
    try {
      decided = this.#logic(state, neighbors, ctx);
    } catch (error) {
      return this.#failed(y, x, error, mode);
    }
    if (typeof decided === 'string') return this.#store(y, x, decided, mode);
    return Promise.resolve(decided).then(
      (next) => this.#store(y, x, next, mode),
      (error: unknown) => this.#failed(y, x, error, mode),
    );
  }

  #store(y: number, x: number, state: CellState, mode: Mode): undefined {
    try {
      this.next.set(y, x, state);
    } catch (error) {
      return this.#failed(y, x, error, mode);
    }
    if (mode === COUNT) this.#settled();
    return undefined;
  }

  /** Wraps `error` for cell `(y, x)`, then throws it, or records it in the other modes. */
  #failed(y: number, x: number, error: unknown, mode: Mode): undefined {
    const wrapped = this.#wrap(y, x, error);
    if (mode === THROW) throw wrapped;
    this.fail(wrapped);
    if (mode === COUNT) this.#settled();
    return undefined;
  }

  /** One launched cell has settled. */
  #settled(): void {
    if (--this.#running === 0 && this.#allSettled !== undefined) {
      const resolve = this.#allSettled;
      this.#allSettled = undefined;
      resolve();
    }
  }

  /**
   * Records a failure: the first `SimulationError` aborts the generation with itself as the
   * reason; casualties of that abort (anything else) are ignored.
   */
  fail(error: unknown): void {
    if (!(error instanceof SimulationError) || this.#failure !== undefined || this.signal.aborted) return;
    this.#failure = error;
    this.#deadline.abort(error);
  }

  /** The next grid, or throws the first failure / the caller's abort reason / the TimeoutError. Call once every cell has settled. */
  result(): Grid {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.signal.aborted) throw this.signal.reason;
    return this.next;
  }

  [Symbol.dispose](): void {
    if (this.#watcher !== undefined) unwatchAbort(this.#watcher);
    this.#watcher = undefined;
    this.#deadline.dispose();
  }

  #wrap(y: number, x: number, error: unknown): unknown {
    if (this.signal.aborted && error === this.signal.reason) return error;
    return new SimulationError(y, x, { cause: error });
  }
}
