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
 * `268,435,456`, or `10^10` for a power of ten of a billion or more: a count of cells as the
 * limit messages print it, grouped so that a reader sees its size at a glance. Exact past
 * 2^53 (a product of two sizes read from a file can be that large).
 */
export function formatCells(cells: bigint): string {
  const digits = cells.toString();
  if (digits.length >= 10 && /^10+$/.test(digits)) return `10^${digits.length - 1}`;
  return cells.toLocaleString('en-US');
}

/**
 * A height x width grid of cells that wraps around at its edges; starts all `EMPTY`.
 * At most {@link Grid.MAX_CELLS} cells: one array holds them all, and a size from outside (a
 * command line, a file header) must fail with a message, not with the engine's `Invalid array
 * length` or an out-of-memory crash.
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
  /** The most cells a grid may have: 2^28 (268,435,456). */
  static readonly MAX_CELLS = 2 ** 28;
  /** Number of rows, an integer >= 1. */
  readonly height: number;
  /** Number of columns, an integer >= 1. */
  readonly width: number;
  /**
   * Row-major cells, 1 for `ALIVE` and 0 for `EMPTY`; always `height * width` long. One byte
   * a cell, so that the largest grid allowed (2^28 cells) takes 256 MiB rather than the 2 GiB
   * an array of strings would, past V8's default heap.
   */
  readonly #cells: Uint8Array;

  /**
   * @param height rows, an integer >= 1.
   * @param width columns, an integer >= 1.
   * @throws RangeError/TypeError when either is not an integer >= 1; RangeError when
   *   `height * width` passes {@link Grid.MAX_CELLS}
   *   (`Grid of 100000 x 100000 = 10^10 cells exceeds the limit of 268,435,456 cells`).
   */
  constructor(height: number, width: number) {
    checkInteger('height', height, 1);
    checkInteger('width', width, 1);
    checkCells(height, width);
    this.height = height;
    this.width = width;
    this.#cells = new Uint8Array(height * width);
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
        if (ch === '*' || ch === 'O') grid.#cells[y * width + x] = 1;
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
    return this.#cells[wrap(y, this.height) * this.width + wrap(x, this.width)] === 1 ? ALIVE : EMPTY;
  }

  /**
   * Sets `(y, x)` (wrapping around) to `state`.
   *
   * @throws TypeError when `state` is neither `ALIVE` nor `EMPTY` (a custom `gameLogic` that
   *   returns something else is caught here rather than printing garbage later).
   */
  set(y: number, x: number, state: CellState): void {
    if (!isCellState(state)) throw new TypeError(expectation('state', "'*' (ALIVE) or '-' (EMPTY)", state));
    this.#cells[wrap(y, this.height) * this.width + wrap(x, this.width)] = state === ALIVE ? 1 : 0;
  }

  /** How many cells are `ALIVE`. */
  population(): number {
    let count = 0;
    for (const cell of this.#cells) count += cell;
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
    for (let y = 0; y < this.height; y++) {
      let row = '';
      for (let i = y * this.width; i < (y + 1) * this.width; i++) row += this.#cells[i] === 1 ? ALIVE : EMPTY;
      rows.push(row);
    }
    return rows.join('\n');
  }
}

/**
 * Throws unless a `height` x `width` grid fits {@link Grid.MAX_CELLS}.
 *
 * @throws RangeError `Grid of 100000 x 100000 = 10^10 cells exceeds the limit of 268,435,456 cells`.
 */
export function checkCells(height: number, width: number): void {
  if (height * width <= Grid.MAX_CELLS) return;
  const cells = formatCells(BigInt(height) * BigInt(width));
  throw new RangeError(`Grid of ${height} x ${width} = ${cells} cells exceeds the limit of ${formatCells(BigInt(Grid.MAX_CELLS))} cells`);
}
