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
    expect(() => parseRle('bob!')).toThrow(new SyntaxError('Expected an RLE header like "x = 3, y = 3", got "bob!"'));
    expect(() => parseRle('x = 3, y = 3, rule = B36/S23\nbob!')).toThrow(new SyntaxError("Expected the rule B3/S23 (Conway's), got B36/S23"));
    expect(() => parseRle('x = 2, y = 1\n3o!')).toThrow(new SyntaxError('RLE cells run outside the declared 2x1 at row 0'));
    expect(() => parseRle('x = 2, y = 1\n2o')).toThrow(new SyntaxError('Expected the RLE body to end with "!"'));
    expect(() => parseRle('x = 2, y = 1\n2z!')).toThrow(new SyntaxError('Unexpected "z" in RLE body'));
  });

  it('places a pattern with wrap-around', () => {
    const grid = place(new Grid(3, 3), Grid.parse('**'), 2, 2);
    expect(grid.toString()).toBe('---\n---\n*-*');
  });
});
