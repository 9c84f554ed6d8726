/**
 * The seed's rule functions, kept as separate functions with function parameters (`get`,
 * `set`) instead of a `Grid` argument, exactly as item 56 argues ("accept functions instead of
 * classes"): every strategy reads the previous generation through one grid's `get` and writes
 * the next through another grid's `set`, which is what keeps the cells in lockstep.
 *
 * @module
 */

import { expectation } from '../core/validate.js';
import { ALIVE, EMPTY, type CellState } from './cell.js';
import { Grid } from './grid.js';

/**
 * Reads the cell at `(y, x)` of some generation (wrapping around).
 *
 * @example
 * ```ts
 * import { Grid, type CellGetter } from 'loom/life';
 * const grid = new Grid(3, 3);
 * const get: CellGetter = (y, x) => grid.get(y, x);
 * ```
 */
export type CellGetter = (y: number, x: number) => CellState;

/**
 * Writes the cell at `(y, x)` of some generation (wrapping around).
 *
 * @example
 * ```ts
 * import { ALIVE, Grid, type CellSetter } from 'loom/life';
 * const grid = new Grid(3, 3);
 * const set: CellSetter = (y, x, state) => grid.set(y, x, state);
 * set(1, 1, ALIVE);
 * ```
 */
export type CellSetter = (y: number, x: number, state: CellState) => void;

/**
 * How many of the eight cells around `(y, x)` are `ALIVE`, read through `get` in the seed's
 * order (N, NE, E, SE, S, SW, W, NW). On a grid narrower or shorter than 3 the same cell is
 * read more than once and counted each time, as in the seed.
 *
 * @example
 * ```ts
 * import { ALIVE, Grid, countNeighbors } from 'loom/life';
 * const grid = new Grid(3, 3);
 * grid.set(0, 0, ALIVE);
 * countNeighbors(1, 1, (y, x) => grid.get(y, x)); // 1
 * ```
 */
export function countNeighbors(y: number, x: number, get: CellGetter): number {
  let count = 0;
  if (get(y - 1, x + 0) === ALIVE) count++; // North
  if (get(y - 1, x + 1) === ALIVE) count++; // Northeast
  if (get(y + 0, x + 1) === ALIVE) count++; // East
  if (get(y + 1, x + 1) === ALIVE) count++; // Southeast
  if (get(y + 1, x + 0) === ALIVE) count++; // South
  if (get(y + 1, x - 1) === ALIVE) count++; // Southwest
  if (get(y + 0, x - 1) === ALIVE) count++; // West
  if (get(y - 1, x - 1) === ALIVE) count++; // Northwest
  return count;
}

/**
 * Conway's rule: a living cell with fewer than two or more than three living neighbours dies;
 * an empty cell with exactly three comes alive; every other cell keeps its state.
 *
 * @example
 * ```ts
 * import { ALIVE, EMPTY, gameLogic } from 'loom/life';
 * gameLogic(EMPTY, 3); // ALIVE
 * gameLogic(ALIVE, 4); // EMPTY
 * ```
 */
export function gameLogic(state: CellState, neighbors: number): CellState {
  if (state === ALIVE) {
    if (neighbors < 2) return EMPTY; // Die: too few
    if (neighbors > 3) return EMPTY; // Die: too many
  } else if (neighbors === 3) {
    return ALIVE; // Regenerate
  }
  return state;
}

/**
 * One cell's transition: reads its state and neighbours through `get` (the previous
 * generation) and writes its next state through `set` (the next generation).
 *
 * @example
 * ```ts
 * import { Grid, stepCell } from 'loom/life';
 * const now = Grid.parse('---\n***\n---');
 * const next = new Grid(3, 3);
 * stepCell(0, 1, (y, x) => now.get(y, x), (y, x, s) => next.set(y, x, s));
 * ```
 */
export function stepCell(y: number, x: number, get: CellGetter, set: CellSetter): void {
  const state = get(y, x);
  const neighbors = countNeighbors(y, x, get);
  const nextState = gameLogic(state, neighbors);
  set(y, x, nextState);
}

/**
 * The next generation of `grid`, serially, one cell after another (the seed's `simulate`).
 * `grid` is not modified.
 *
 * @example
 * ```ts
 * import { Grid, simulate } from 'loom/life';
 * const blinker = Grid.parse('-----\n--*--\n--*--\n--*--\n-----');
 * simulate(blinker).toString(); // '-----\n-----\n-***-\n-----\n-----'
 * ```
 */
export function simulate(grid: Grid): Grid {
  if (!(grid instanceof Grid)) throw new TypeError(expectation('grid', 'a Grid', grid));
  const next = new Grid(grid.height, grid.width);
  const get: CellGetter = (y, x) => grid.get(y, x);
  const set: CellSetter = (y, x, state) => next.set(y, x, state);
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) stepCell(y, x, get, set);
  }
  return next;
}
