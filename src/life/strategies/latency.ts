/**
 * Cell logic with a timer latency: the seed's 100 ms "cross-country round trip" without a
 * network, for demos, tests and benchmarks. Each call waits `ms` and then applies the pure
 * rule; an abandoned generation's waits reject at once and leave no timer behind.
 *
 * The waits go through a `LatencyLine` (see `latency-line.ts`) rather than one `sleep` each:
 * every call still waits its own full `ms`, but the calls of one generation that fall due in
 * the same millisecond share a timer and an abort watcher, which is what lets 10,000 cells
 * finish close to the 100 ms floor. The logic keeps two lines, one per cell state, so that
 * what a wait carries is the neighbour count alone: a number in an array, no object per cell.
 *
 * @module
 */

import { checkMilliseconds } from '../../tasks/sleep.js';
import { checkFunction } from '../../core/validate.js';
import { ALIVE, EMPTY, type CellState } from '../cell.js';
import { countNeighbors, gameLogic } from '../rules.js';
import { LatencyLine } from './latency-line.js';
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
  const alive = new LatencyLine<number, CellState>(ms, (neighbors) => logic(ALIVE, neighbors));
  const empty = new LatencyLine<number, CellState>(ms, (neighbors) => logic(EMPTY, neighbors));
  return (state, neighbors, { signal }) => (state === ALIVE ? alive : empty).wait(neighbors, signal);
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
  const line = new LatencyLine<() => number, number>(ms, (count) => count());
  return (y, x, get, { signal }) => line.wait(() => countNeighbors(y, x, get), signal);
}
