/**
 * The seed's `Grid`: a height x width torus of cells whose `get`/`set` wrap around, so that
 * coordinates out of bounds (`-1`, `width`) land on the opposite edge "like an infinite looping
 * space". The wrap is Python's floored `%` (`-1 % 5 == 4`), not JavaScript's truncated `%`.
 *
 * On a tiny torus (1xN, 2x2, 1x1) a cell is its own neighbour, possibly several times over;
 * that is what the seed's code does and what `simulate` must reproduce, so nothing here
 * special-cases small grids.
 *
 * Storage is one flat array (row-major), not a list of row lists: it is what `toString`,
 * `equals` and the strategies iterate, and indexing it needs no second lookup. `get`/`set` are
 * plain methods bound by the callers that pass them around (`grid.get.bind(grid)` or the
 * `getter`/`setter` helpers), as the seed passes `grid.get`.
 *
 * @module
 */

import { expectation, checkInteger } from '../core/validate.js';
import { ALIVE, EMPTY, isCellState, type CellState } from './cell.js';

/**
 * Python's `a % n` for `n > 0`: always in `[0, n)`. Coordinates are almost always in range
 * already (a neighbour count reads eight cells, at most three of them across an edge), and
 * the comparison is several times cheaper than the division behind `%`.
 */
function wrap(a: number, n: number): number {
  if (a >= 0 && a < n) return a;
  const r = a % n;
  return r < 0 ? r + n : r;
}

/**
 * A height x width grid of cells that wraps around at its edges; starts all `EMPTY`.
 *
 * @example
 * ```ts
 * import { ALIVE, Grid } from 'loom/life';
 * const grid = new Grid(5, 9);
 * grid.set(0, 3, ALIVE);
 * grid.get(5, 12) === ALIVE; // true: (5, 12) wraps to (0, 3)
 * console.log(grid.toString());
 * ```
 */
export class Grid {
  /** Number of rows, an integer >= 1. */
  readonly height: number;
  /** Number of columns, an integer >= 1. */
  readonly width: number;
  /** Row-major cells; always `height * width` long and only ever holds `ALIVE`/`EMPTY`. */
  readonly #cells: CellState[];

  /**
   * @param height rows, an integer >= 1.
   * @param width columns, an integer >= 1.
   * @throws RangeError/TypeError when either is not an integer >= 1.
   */
  constructor(height: number, width: number) {
    checkInteger('height', height, 1);
    checkInteger('width', width, 1);
    this.height = height;
    this.width = width;
    this.#cells = new Array<CellState>(height * width).fill(EMPTY);
  }

  /**
   * Parses the text `toString()` prints: one line per row, `*` alive and `-` empty (also
   * accepts `.`/`O`, the common plain-text pattern spellings). Blank leading/trailing lines are
   * ignored; all rows must have the same length.
   *
   * @throws TypeError when `text` is not a string or holds another character; RangeError when
   *   it is empty or its rows differ in length.
   * @example
   * ```ts
   * import { Grid } from 'loom/life';
   * const blinker = Grid.parse('-----\n--*--\n--*--\n--*--\n-----');
   * blinker.height; // 5
   * ```
   */
  static parse(text: string): Grid {
    if (typeof text !== 'string') throw new TypeError(expectation('text', 'a string', text));
    const rows = text.replace(/\r/g, '').replace(/^\n+|\n+$/g, '').split('\n');
    const width = rows[0]?.length ?? 0;
    if (width === 0) throw new RangeError(expectation('text', 'at least one row of cells', text));
    const grid = new Grid(rows.length, width);
    rows.forEach((row, y) => {
      if (row.length !== width) {
        throw new RangeError(`Expected every row of \`text\` to be ${width} cells wide, got row ${y} with ${row.length}`);
      }
      for (let x = 0; x < width; x++) {
        const ch = row[x];
        if (ch === '*' || ch === 'O') grid.#cells[y * width + x] = ALIVE;
        else if (ch !== '-' && ch !== '.') {
          throw new TypeError(`Expected cells to be '*' or '-', got ${JSON.stringify(ch)} at row ${y}, column ${x}`);
        }
      }
    });
    return grid;
  }

  /**
   * The state at `(y, x)`, wrapping around out-of-bounds coordinates like the seed's
   * `self.rows[y % self.height][x % self.width]`.
   */
  get(y: number, x: number): CellState {
    // The index is in [0, height * width) by construction of `wrap`.
    return this.#cells[wrap(y, this.height) * this.width + wrap(x, this.width)] as CellState;
  }

  /**
   * Sets `(y, x)` (wrapping around) to `state`.
   *
   * @throws TypeError when `state` is neither `ALIVE` nor `EMPTY` (a custom `gameLogic` that
   *   returns something else is caught here rather than printing garbage later).
   */
  set(y: number, x: number, state: CellState): void {
    if (!isCellState(state)) throw new TypeError(expectation('state', "'*' (ALIVE) or '-' (EMPTY)", state));
    this.#cells[wrap(y, this.height) * this.width + wrap(x, this.width)] = state;
  }

  /** How many cells are `ALIVE`. */
  population(): number {
    let count = 0;
    for (const cell of this.#cells) if (cell === ALIVE) count++;
    return count;
  }

  /** True when `other` has the same size and the same cells. */
  equals(other: Grid): boolean {
    if (other.height !== this.height || other.width !== this.width) return false;
    const theirs = other.#cells;
    return this.#cells.every((cell, i) => cell === theirs[i]);
  }

  /** The rows, each as a string of `*` and `-`, joined by `\n` (no trailing newline). */
  toString(): string {
    const rows: string[] = [];
    for (let y = 0; y < this.height; y++) rows.push(this.#cells.slice(y * this.width, (y + 1) * this.width).join(''));
    return rows.join('\n');
  }
}
