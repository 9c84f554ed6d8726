/**
 * Fuzzing `parseRle` with fast-check (fixed seeds): arbitrary text, biased towards the RLE
 * alphabet so that headers, run counts and bodies of every shape occur, throws nothing but its
 * documented `SyntaxError`/`RangeError`, and never allocates past `maxCells`; any grid written
 * as RLE parses back to itself.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALIVE, Grid, parseRle } from '../../src/life/index.js';

const RUNS = { seed: 10, numRuns: 500 };

/** Text made of RLE's pieces and noise: headers with sizes from 0 to huge, runs, tags, comments. */
const rleLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('x = ', ', y = ', ', rule = B3/S23', ', rule = B36/S23', '\n', '\r\n', '#C c\n', 'b', 'o', '$', '!', ' ', 'z', '9'),
      fc.nat({ max: 2 ** 31 }).map(String),
      fc.constantFrom('99999999', '99999999999999999999999', '0'),
      fc.string({ maxLength: 5 }),
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''));

/** A header that parses, followed by arbitrary body text. */
const headedRle = fc
  .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), rleLike)
  .map(([x, y, body]) => `x = ${x}, y = ${y}\n${body}`);

describe('parseRle under fuzzing', () => {
  it('throws only SyntaxError or RangeError, and every grid it returns fits maxCells', () => {
    fc.assert(
      fc.property(fc.oneof(rleLike, headedRle, fc.string({ unit: 'binary', maxLength: 200 })), fc.integer({ min: 1, max: 2000 }), (text, maxCells) => {
        try {
          const grid = parseRle(text, { maxCells });
          expect(grid.height * grid.width).toBeLessThanOrEqual(maxCells);
        } catch (error) {
          expect(error instanceof SyntaxError || error instanceof RangeError, String(error)).toBe(true);
          expect((error as Error).message).toMatch(/^line \d+: /);
        }
      }),
      RUNS,
    );
  });

  it('parses back any grid written as RLE', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((width) => fc.array(fc.array(fc.boolean(), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 12 })),
        (rows) => {
          const grid = new Grid(rows.length, (rows[0] as boolean[]).length);
          rows.forEach((row, y) => row.forEach((alive, x) => alive && grid.set(y, x, ALIVE)));
          const body = rows.map((row) => runs(row)).join('$');
          expect(parseRle(`#C fuzz\nx = ${grid.width}, y = ${grid.height}\n${body}!`).equals(grid)).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

/** One row in RLE: runs of `b`/`o` with counts. */
function runs(row: readonly boolean[]): string {
  let text = '';
  for (let x = 0; x < row.length; ) {
    let end = x;
    while (end < row.length && row[end] === row[x]) end++;
    text += `${end - x === 1 ? '' : end - x}${row[x] === true ? 'o' : 'b'}`;
    x = end;
  }
  return text;
}
