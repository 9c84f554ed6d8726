/**
 * Starting grids: the seed's glider, a blinker, seeded random soups and patterns in the RLE
 * format every Game of Life program exchanges (`x = 3, y = 3` header, `b` dead, `o` alive,
 * `$` end of row, `!` end, run counts before a tag; see conwaylife.com's "Run Length Encoded").
 *
 * @module
 */

import { checkInteger, checkOptions, expectation } from '../core/validate.js';
import { ALIVE } from './cell.js';
import { formatCells, Grid } from './grid.js';

/**
 * The seed's starting grid: a glider on a 5x9 torus.
 *
 * @example
 * ```ts
 * import { seedGlider } from 'loom/life';
 * console.log(seedGlider().toString());
 * ```
 */
export function seedGlider(): Grid {
  const grid = new Grid(5, 9);
  grid.set(0, 3, ALIVE);
  grid.set(1, 4, ALIVE);
  grid.set(2, 2, ALIVE);
  grid.set(2, 3, ALIVE);
  grid.set(2, 4, ALIVE);
  return grid;
}

/**
 * A `height` x `width` grid where each cell is alive with probability `density`, from a seeded
 * generator (mulberry32), so the same seed always gives the same grid.
 *
 * @example
 * ```ts
 * import { randomGrid } from 'loom/life';
 * const soup = randomGrid(100, 100, { seed: 56, density: 0.35 });
 * ```
 */
export function randomGrid(height: number, width: number, opts: { seed?: number; density?: number } = {}): Grid {
  const { seed = 1, density = 0.35 } = opts;
  checkInteger('seed', seed, 0);
  if (typeof density !== 'number' || !(density >= 0 && density <= 1)) {
    throw new RangeError(expectation('density', 'a number from 0 to 1', density));
  }
  const grid = new Grid(height, width);
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (next() < density) grid.set(y, x, ALIVE);
  return grid;
}

/**
 * Options of {@link parseRle}.
 *
 * @example
 * ```ts
 * import type { RleOptions } from 'loom/life';
 * const opts: RleOptions = { maxCells: 1_000_000 };
 * ```
 */
export interface RleOptions {
  /** The most cells the declared size may have, an integer >= 1. Default {@link Grid.MAX_CELLS} (2^28), which is also the most it may be. */
  readonly maxCells?: number;
}

const HEADER = /^\s*x\s*=\s*(\d+)\s*,\s*y\s*=\s*(\d+)\s*(?:,\s*rule\s*=\s*(\S+))?\s*$/i;

/**
 * Parses an RLE pattern into a grid exactly its size (`x` columns, `y` rows). Lines starting
 * with `#` are comments; the rule in the header, if any, must be Conway's (`B3/S23`).
 *
 * Hostile input costs time linear in its length and no memory past the grid: the declared
 * size is checked against `maxCells` before the grid exists, and a run count is checked
 * against the grid's cells as its digits are read, so `99999999999o` fails at its 11th digit
 * instead of counting to infinity. Every message names the line (1-based, comments included).
 *
 * @throws TypeError when `text` is not a string or an option is bad; RangeError when the
 *   declared size passes `maxCells` (`line 1: x = 99999999, y = 99999999 is
 *   9,999,999,800,000,001 cells, past the limit of 268,435,456 cells`); SyntaxError for text that
 *   is not RLE, a rule other than B3/S23, or cells outside the declared size. Nothing else.
 * @example
 * ```ts
 * import { parseRle } from 'loom/life';
 * const glider = parseRle('x = 3, y = 3, rule = B3/S23\nbob$2bo$3o!');
 * ```
 */
export function parseRle(text: string, opts: RleOptions = {}): Grid {
  if (typeof text !== 'string') throw new TypeError(expectation('text', 'a string', text));
  checkOptions('options', opts);
  const { maxCells = Grid.MAX_CELLS } = opts;
  checkInteger('maxCells', maxCells, 1);
  if (maxCells > Grid.MAX_CELLS) throw new RangeError(expectation('maxCells', `an integer between 1 and ${Grid.MAX_CELLS}`, maxCells));
  const lines = text.split(/\r?\n/);
  let at = lines.findIndex((line) => !line.startsWith('#') && line.trim() !== '');
  const header = at === -1 ? null : HEADER.exec(lines[at] as string);
  if (header === null) {
    const shown = at === -1 ? '' : (lines[at] as string).slice(0, 80);
    throw new SyntaxError(`line ${at + 1 || 1}: Expected an RLE header like "x = 3, y = 3", got ${JSON.stringify(shown)}`);
  }
  const where = `line ${at + 1}`;
  const width = Number(header[1]);
  const height = Number(header[2]);
  const rule = header[3];
  if (rule !== undefined && !/^(B3\/S23|23\/3)$/i.test(rule)) throw new SyntaxError(`${where}: Expected the rule B3/S23 (Conway's), got ${rule}`);
  if (width < 1 || height < 1) throw new SyntaxError(`${where}: Expected an RLE pattern of at least 1x1, got x = ${width}, y = ${height}`);
  if (width * height > maxCells) {
    const cells = formatCells(BigInt(header[1] as string) * BigInt(header[2] as string));
    throw new RangeError(`${where}: x = ${header[1]}, y = ${header[2]} is ${cells} cells, past the limit of ${formatCells(BigInt(maxCells))} cells`);
  }
  const grid = new Grid(height, width);
  let y = 0;
  let x = 0;
  let run = -1;
  for (at++; at < lines.length; at++) {
    const line = lines[at] as string;
    if (line.startsWith('#')) continue;
    for (let i = 0; i < line.length; i++) {
      const ch = line.charCodeAt(i);
      if (ch >= 0x30 && ch <= 0x39) {
        run = (run === -1 ? 0 : run * 10) + (ch - 0x30);
        // A run never needs more than the whole grid: stop reading digits the moment it passes.
        if (run > width * height) throw new SyntaxError(`line ${at + 1}: a run count past the declared ${width}x${height} at row ${y}`);
        continue;
      }
      if (ch === 0x20 || ch === 0x09 || ch === 0x0d) continue;
      const count = run === -1 ? 1 : run;
      run = -1;
      const tag = line[i] as string;
      if (tag === '!') return grid;
      if (tag === '$') {
        y += count;
        x = 0;
      } else if (tag === 'b') {
        x += count;
      } else if (tag === 'o') {
        if (y >= height || x + count > width) throw new SyntaxError(`line ${at + 1}: RLE cells run outside the declared ${width}x${height} at row ${y}`);
        for (let k = 0; k < count; k++) grid.set(y, x + k, ALIVE);
        x += count;
      } else {
        throw new SyntaxError(`line ${at + 1}: Unexpected ${JSON.stringify(tag)} in RLE body`);
      }
    }
  }
  throw new SyntaxError(`line ${lines.length}: Expected the RLE body to end with "!"`);
}

/**
 * Copies `pattern` into `grid` with its top-left corner at `(top, left)` (wrapping around).
 *
 * @example
 * ```ts
 * import { Grid, parseRle, place } from 'loom/life';
 * const grid = place(new Grid(20, 20), parseRle('x = 3, y = 1\n3o!'), 10, 10);
 * ```
 */
export function place(grid: Grid, pattern: Grid, top: number, left: number): Grid {
  for (let y = 0; y < pattern.height; y++) {
    for (let x = 0; x < pattern.width; x++) if (pattern.get(y, x) === ALIVE) grid.set(top + y, left + x, ALIVE);
  }
  return grid;
}
