/**
 * The two states of a cell, as the seed spells them (`ALIVE = '*'`, `EMPTY = '-'`).
 *
 * Cells stay one-character strings rather than booleans or numbers so that a grid prints as
 * the seed prints it and a custom `gameLogic` reads like the seed's; the large-grid engine
 * (`engine/`) uses bytes instead, where the representation is the point.
 *
 * @module
 */

/**
 * A living cell: `'*'`.
 *
 * @example
 * ```ts
 * import { ALIVE, Grid } from 'loom/life';
 * const grid = new Grid(3, 3);
 * grid.set(1, 1, ALIVE);
 * ```
 */
export const ALIVE = '*';

/**
 * An empty (dead) cell: `'-'`. A new `Grid` is all `EMPTY`.
 *
 * @example
 * ```ts
 * import { EMPTY, Grid } from 'loom/life';
 * new Grid(2, 2).get(0, 0) === EMPTY; // true
 * ```
 */
export const EMPTY = '-';

/**
 * The state of one cell.
 *
 * @example
 * ```ts
 * import { ALIVE, type CellState } from 'loom/life';
 * const state: CellState = ALIVE;
 * ```
 */
export type CellState = typeof ALIVE | typeof EMPTY;

/**
 * True when `value` is `ALIVE` or `EMPTY`.
 *
 * @example
 * ```ts
 * import { isCellState } from 'loom/life';
 * isCellState('*'); // true
 * isCellState('x'); // false
 * ```
 */
export function isCellState(value: unknown): value is CellState {
  return value === ALIVE || value === EMPTY;
}
