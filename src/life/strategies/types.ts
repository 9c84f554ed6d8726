/**
 * The options every concurrent strategy shares, and the shapes of the cell logic it runs.
 *
 * The logic may be synchronous (the pure rule) or asynchronous (I/O: a timer latency, a
 * request to the game server); every strategy accepts both and gives the logic a `signal` that
 * aborts when the generation fails or the caller gives up, so I/O in flight can stop early.
 *
 * @module
 */

import type { CellState } from '../cell.js';
import type { CellGetter } from '../rules.js';

/**
 * What a cell's logic receives besides its inputs: which cell it is, and a signal that aborts
 * when the generation is abandoned (another cell failed, or the caller aborted).
 *
 * @example
 * ```ts
 * import type { CellContext } from 'loom/life';
 * const describe = (ctx: CellContext): string => `(${ctx.y}, ${ctx.x})${ctx.signal.aborted ? ' abandoned' : ''}`;
 * ```
 */
export interface CellContext {
  /** Row of the cell. */
  readonly y: number;
  /** Column of the cell. */
  readonly x: number;
  /** Aborted when the generation is abandoned; pass it to every wait. */
  readonly signal: AbortSignal;
}

/**
 * Decides a cell's next state (the seed's `game_logic`, possibly doing I/O).
 *
 * @example
 * ```ts
 * import { gameLogic, type CellLogic } from 'loom/life';
 * import { setTimeout as delay } from 'node:timers/promises';
 * const slow: CellLogic = async (state, neighbors, { signal }) => {
 *   await delay(100, undefined, { signal });
 *   return gameLogic(state, neighbors);
 * };
 * ```
 */
export type CellLogic = (state: CellState, neighbors: number, ctx: CellContext) => CellState | Promise<CellState>;

/**
 * Counts a cell's living neighbours (the seed's `count_neighbors`, possibly doing I/O), reading
 * the previous generation through `get`.
 *
 * @example
 * ```ts
 * import { countNeighbors, type NeighborCounter } from 'loom/life';
 * const counter: NeighborCounter = async (y, x, get) => countNeighbors(y, x, get);
 * ```
 */
export type NeighborCounter = (y: number, x: number, get: CellGetter, ctx: CellContext) => number | Promise<number>;

/**
 * Options of every strategy (`simulateThreaded`, `simulateAsync`, ...).
 *
 * @example
 * ```ts
 * import { Grid, delayedGameLogic, simulateAsync, type SimulateOptions } from 'loom/life';
 * const opts: SimulateOptions = { gameLogic: delayedGameLogic(100), timeout: 5000 };
 * await simulateAsync(new Grid(10, 10), opts);
 * ```
 */
export interface SimulateOptions {
  /** Decides each cell. Default: the pure rule, {@link gameLogic}. */
  readonly gameLogic?: CellLogic | undefined;
  /** Counts each cell's neighbours. Default: {@link countNeighbors}. */
  readonly countNeighbors?: NeighborCounter | undefined;
  /** Abandons the generation: the call rejects with `signal.reason` once every cell has stopped. */
  readonly signal?: AbortSignal | undefined;
  /** Abandons the generation after this many milliseconds: the call rejects with a `TimeoutError`. */
  readonly timeout?: number | undefined;
}

/**
 * Options of the strategies with a bound on cells in flight (`simulatePool`).
 *
 * @example
 * ```ts
 * import type { BoundedSimulateOptions } from 'loom/life';
 * const opts: BoundedSimulateOptions = { concurrency: 100 };
 * ```
 */
export interface BoundedSimulateOptions extends SimulateOptions {
  /** At most this many cells in flight, an integer >= 1 or `Infinity`. */
  readonly concurrency?: number | undefined;
}

/**
 * Options of the pipelines (`simulatePipeline`, `simulatePhasedPipeline`).
 *
 * @example
 * ```ts
 * import type { PipelineSimulateOptions } from 'loom/life';
 * const opts: PipelineSimulateOptions = { workers: 5 };
 * ```
 */
export interface PipelineSimulateOptions extends SimulateOptions {
  /** Fixed workers per stage, an integer >= 1 (the seed starts 5). */
  readonly workers?: number | undefined;
}
