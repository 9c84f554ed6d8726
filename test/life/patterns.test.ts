import { describe, expect, it } from 'vitest';
import { Grid, parseRle, place, randomGrid, seedGlider } from '../../src/life/index.js';

describe('patterns', () => {
  it('seedGlider is the seed\'s 5x9 glider', () => {
    expect(seedGlider().toString()).toBe('---*-----\n----*----\n--***----\n---------\n---------');
  });

  it('randomGrid is reproducible per seed and follows the density', () => {
    expect(randomGrid(20, 30, { seed: 5 }).equals(randomGrid(20, 30, { seed: 5 }))).toBe(true);
    expect(randomGrid(20, 30, { seed: 5 }).equals(randomGrid(20, 30, { seed: 6 }))).toBe(false);
    const population = randomGrid(100, 100, { seed: 1, density: 0.3 }).population();
    expect(population).toBeGreaterThan(2_700);
    expect(population).toBeLessThan(3_300);
    expect(randomGrid(3, 3, { density: 0 }).population()).toBe(0);
    expect(() => randomGrid(3, 3, { density: 2 })).toThrow(new RangeError('Expected `density` to be a number from 0 to 1, got `2` (number)'));
  });

  it('parses RLE with comments, run counts and blank rows', () => {
    const glider = parseRle('#N Glider\n#C a comment\nx = 3, y = 3, rule = B3/S23\nbob$2bo$3o!');
    expect(glider.toString()).toBe('-*-\n--*\n***');
    expect(parseRle('x = 2, y = 3\no2$bo!').toString()).toBe('*-\n--\n-*');
    expect(parseRle('x = 4, y = 1\n4o!\nignored').population()).toBe(4);
  });

  it('rejects RLE it cannot read', () => {
    expect(() => parseRle('bob!')).toThrow(new SyntaxError('line 1: Expected an RLE header like "x = 3, y = 3", got "bob!"'));
    expect(() => parseRle('#C only a comment\n')).toThrow(new SyntaxError('line 1: Expected an RLE header like "x = 3, y = 3", got ""'));
    expect(() => parseRle('x = 3, y = 3, rule = B36/S23\nbob!')).toThrow(new SyntaxError("line 1: Expected the rule B3/S23 (Conway's), got B36/S23"));
    expect(() => parseRle('x = 0, y = 3\n!')).toThrow(new SyntaxError('line 1: Expected an RLE pattern of at least 1x1, got x = 0, y = 3'));
    expect(() => parseRle('x = 2, y = 2\nb2o!')).toThrow(new SyntaxError('line 2: RLE cells run outside the declared 2x2 at row 0'));
    expect(() => parseRle('x = 2, y = 1\n2o')).toThrow(new SyntaxError('line 2: Expected the RLE body to end with "!"'));
    expect(() => parseRle('#N z\nx = 2, y = 1\n#C body\nbo\n2z!')).toThrow(new SyntaxError('line 5: Unexpected "z" in RLE body'));
    expect(() => parseRle(3 as never)).toThrow(new TypeError('Expected `text` to be a string, got `3` (number)'));
  });

  it('refuses a declared size past maxCells before allocating anything, naming the line and the limit', () => {
    expect(() => parseRle('#N huge\nx = 99999999, y = 99999999\n!')).toThrow(
      new RangeError('line 2: x = 99999999, y = 99999999 is 9,999,999,800,000,001 cells, past the limit of 268,435,456 cells'),
    );
    expect(() => parseRle('x = 100000, y = 100000\n!')).toThrow(new RangeError('line 1: x = 100000, y = 100000 is 10^10 cells, past the limit of 268,435,456 cells'));
    expect(() => parseRle('x = 11, y = 10\n!', { maxCells: 100 })).toThrow(new RangeError('line 1: x = 11, y = 10 is 110 cells, past the limit of 100 cells'));
    expect(parseRle('x = 10, y = 10\n10o!', { maxCells: 100 }).population()).toBe(10);
  });

  it('refuses a run count past the grid at its first digit too many', () => {
    expect(() => parseRle(`x = 3, y = 3\n${'9'.repeat(100_000)}o!`)).toThrow(new SyntaxError('line 2: a run count past the declared 3x3 at row 0'));
    expect(() => parseRle('x = 3, y = 3\nbo$\n99$o!')).toThrow(new SyntaxError('line 3: a run count past the declared 3x3 at row 1'));
  });

  it('rejects bad options with the message template', () => {
    expect(() => parseRle('x = 1, y = 1\n!', { maxCells: 0 })).toThrow(new RangeError('Expected `maxCells` to be an integer >= 1, got `0` (number)'));
    expect(() => parseRle('x = 1, y = 1\n!', { maxCells: 2 ** 29 })).toThrow(new RangeError('Expected `maxCells` to be an integer between 1 and 268435456, got `536870912` (number)'));
    expect(() => parseRle('x = 1, y = 1\n!', null as never)).toThrow(new TypeError('Expected `options` to be an options object, got `null`'));
  });

  it('places a pattern with wrap-around', () => {
    const grid = place(new Grid(3, 3), Grid.parse('**'), 2, 2);
    expect(grid.toString()).toBe('---\n---\n*-*');
  });
});
