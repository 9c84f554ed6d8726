/**
 * The seed's `ColumnPrinter` (its body is elided in the seed as `...`; its printed output shows
 * the contract): several multi-line texts, typically successive generations of a grid, printed
 * side by side with a numbered header centred over each column and the columns joined by
 * `" | "`, time going to the right:
 *
 *         0     |     1     |     2
 *     ---*----- | --------- | ---------
 *     ----*---- | --*-*---- | ----*----
 *
 * Each column is as wide as its widest line (or its header), shorter lines are padded with
 * spaces and missing lines (a column with fewer rows) are blank, so columns never drift even
 * with even widths or two-digit headers, which the seed's printed columns got wrong. Trailing
 * spaces are trimmed from each printed line.
 *
 * @module
 */

import { expectation } from '../core/validate.js';

/** Centres `text` in `width` columns; the odd space goes to the right, like Python's `str.center` for odd widths. */
function centre(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return (' '.repeat(Math.max(left, 0)) + text).padEnd(width);
}

/**
 * Collects texts and prints them as columns with numbered headers.
 *
 * @example
 * ```ts
 * import { ColumnPrinter, Grid, simulate } from 'loom/life';
 * let grid = Grid.parse('-----\n--*--\n--*--\n--*--\n-----');
 * const columns = new ColumnPrinter();
 * for (let i = 0; i < 3; i++) {
 *   columns.append(grid.toString());
 *   grid = simulate(grid);
 * }
 * console.log(columns.toString());
 * ```
 */
export class ColumnPrinter {
  /** Every appended column, in order: its header and its lines. */
  readonly #columns: { header: string; lines: string[] }[] = [];

  /** How many columns have been appended. */
  get length(): number {
    return this.#columns.length;
  }

  /**
   * Adds a column to the right.
   *
   * @param text the column's content; `\n` separates its lines.
   * @param header printed centred above the column; defaults to the column's index (`'0'`, `'1'`, ...).
   * @throws TypeError when `text` or `header` is not a string.
   */
  append(text: string, header: string = String(this.#columns.length)): void {
    if (typeof text !== 'string') throw new TypeError(expectation('text', 'a string', text));
    if (typeof header !== 'string') throw new TypeError(expectation('header', 'a string', header));
    this.#columns.push({ header, lines: text.split('\n') });
  }

  /** The columns side by side: one header line, then one line per row of the tallest column. Empty when nothing was appended. */
  toString(): string {
    if (this.#columns.length === 0) return '';
    const widths = this.#columns.map(({ header, lines }) => Math.max(header.length, ...lines.map((line) => line.length)));
    const height = Math.max(...this.#columns.map(({ lines }) => lines.length));
    const render = (cell: (column: number) => string): string =>
      this.#columns
        .map((_, i) => cell(i))
        .join(' | ')
        .trimEnd();
    const out = [render((i) => centre(this.#columns[i]?.header ?? '', widths[i] ?? 0))];
    for (let row = 0; row < height; row++) {
      out.push(render((i) => (this.#columns[i]?.lines[row] ?? '').padEnd(widths[i] ?? 0)));
    }
    return out.join('\n');
  }
}
