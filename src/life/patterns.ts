/**
 * Starting grids: the seed's glider, a blinker, seeded random soups and patterns in the RLE
 * format every Game of Life program exchanges (`x = 3, y = 3` header, `b` dead, `o` alive,
 * `$` end of row, `!` end, run counts before a tag; see conwaylife.com's "Run Length Encoded").
 *
 * @module
 */

import { checkInteger, expectation } from '../core/validate.js';
import { ALIVE } from './cell.js';
import { Grid } from './grid.js';

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
 * Parses an RLE pattern into a grid exactly its size (`x` columns, `y` rows). Lines starting
 * with `#` are comments; the rule in the header, if any, must be Conway's (`B3/S23`).
 *
 * @throws SyntaxError for text that is not RLE, a rule other than B3/S23, or cells outside the
 *   declared size.
 * @example
 * ```ts
 * import { parseRle } from 'loom/life';
 * const glider = parseRle('x = 3, y = 3, rule = B3/S23\nbob$2bo$3o!');
 * ```
 */
export function parseRle(text: string): Grid {
  if (typeof text !== 'string') throw new TypeError(expectation('text', 'a string', text));
  const lines = text.split(/\r?\n/).filter((line) => !line.startsWith('#') && line.trim() !== '');
  const header = /^\s*x\s*=\s*(\d+)\s*,\s*y\s*=\s*(\d+)\s*(?:,\s*rule\s*=\s*(\S+))?\s*$/i.exec(lines[0] ?? '');
  if (header === null) throw new SyntaxError(`Expected an RLE header like "x = 3, y = 3", got ${JSON.stringify(lines[0] ?? '')}`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  const rule = header[3];
  if (rule !== undefined && !/^(B3\/S23|23\/3)$/i.test(rule)) throw new SyntaxError(`Expected the rule B3/S23 (Conway's), got ${rule}`);
  if (width < 1 || height < 1) throw new SyntaxError(`Expected an RLE pattern of at least 1x1, got x = ${width}, y = ${height}`);
  const grid = new Grid(height, width);
  let y = 0;
  let x = 0;
  const body = lines.slice(1).join('');
  for (const [, count, tag] of body.matchAll(/(\d*)([bo$!]|[^\s\d])/g)) {
    const run = count === '' || count === undefined ? 1 : Number(count);
    if (tag === '!') return grid;
    if (tag === '$') {
      y += run;
      x = 0;
    } else if (tag === 'b') {
      x += run;
    } else if (tag === 'o') {
      if (y >= height || x + run > width) throw new SyntaxError(`RLE cells run outside the declared ${width}x${height} at row ${y}`);
      for (let i = 0; i < run; i++) grid.set(y, x + i, ALIVE);
      x += run;
    } else {
      throw new SyntaxError(`Unexpected ${JSON.stringify(tag)} in RLE body`);
    }
  }
  throw new SyntaxError('Expected the RLE body to end with "!"');
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
