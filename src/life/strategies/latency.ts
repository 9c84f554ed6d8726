/**
 * Cell logic with a timer latency: the seed's 100 ms "cross-country round trip" without a
 * network, for demos, tests and benchmarks. Each call sleeps `ms` (loom's `sleep`, so an
 * abandoned generation clears its timers at once) and then applies the pure rule.
 *
 * @module
 */

import { sleep, checkMilliseconds } from '../../tasks/sleep.js';
import { checkFunction } from '../../core/validate.js';
import type { CellState } from '../cell.js';
import { countNeighbors, gameLogic } from '../rules.js';
import type { CellLogic, NeighborCounter } from './types.js';

/**
 * A {@link CellLogic} that waits `ms` milliseconds, then returns `logic(state, neighbors)`.
 *
 * @param ms the latency, a number >= 0.
 * @param logic the rule applied after the wait; default {@link gameLogic}.
 * @example
 * ```ts
 * import { Grid, delayedGameLogic, simulateAsync } from 'loom/life';
 * await simulateAsync(new Grid(5, 9), { gameLogic: delayedGameLogic(100) });
 * ```
 */
export function delayedGameLogic(ms: number, logic: (state: CellState, neighbors: number) => CellState = gameLogic): CellLogic {
  checkMilliseconds('ms', ms);
  checkFunction('logic', logic);
  return (state, neighbors, { signal }) => sleep(ms, { signal }).then(() => logic(state, neighbors));
}

/**
 * A {@link NeighborCounter} that waits `ms` milliseconds, then counts like {@link countNeighbors}
 * (item 58's second requirement: I/O in `count_neighbors` too).
 *
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
export function delayedCountNeighbors(ms: number): NeighborCounter {
  checkMilliseconds('ms', ms);
  return (y, x, get, { signal }) => sleep(ms, { signal }).then(() => countNeighbors(y, x, get));
}
