import { describe, expect, it } from 'vitest';
import { ALIVE, EMPTY, Grid, isCellState } from '../../src/life/index.js';

describe('Grid', () => {
  it('starts empty and has the size it was given', () => {
    const grid = new Grid(2, 3);
    expect([grid.height, grid.width]).toEqual([2, 3]);
    expect(grid.toString()).toBe('---\n---');
    expect(grid.population()).toBe(0);
  });

  it('wraps coordinates around like Python % (negative and past the edge)', () => {
    const grid = new Grid(5, 9);
    grid.set(0, 3, ALIVE);
    expect(grid.get(0, 3)).toBe(ALIVE);
    expect(grid.get(5, 12)).toBe(ALIVE);
    expect(grid.get(-5, -6)).toBe(ALIVE);
    expect(grid.get(-10, 3 - 18)).toBe(ALIVE);
    grid.set(-1, -1, ALIVE);
    expect(grid.get(4, 8)).toBe(ALIVE);
    expect(grid.toString()).toBe('---*-----\n---------\n---------\n---------\n--------*');
  });

  it('prints the seed glider as the seed does, rows joined by newlines', () => {
    const grid = new Grid(5, 9);
    grid.set(0, 3, ALIVE);
    grid.set(1, 4, ALIVE);
    grid.set(2, 2, ALIVE);
    grid.set(2, 3, ALIVE);
    grid.set(2, 4, ALIVE);
    expect(grid.toString()).toBe('---*-----\n----*----\n--***----\n---------\n---------');
    expect(grid.population()).toBe(5);
  });

  it('parses what it prints, and the common plain-text spellings', () => {
    const text = '-*-\n**-\n---';
    expect(Grid.parse(text).toString()).toBe(text);
    expect(Grid.parse('\n.O.\nOO.\n...\n').toString()).toBe(text);
    expect(Grid.parse('-*-\r\n**-\r\n---').equals(Grid.parse(text))).toBe(true);
  });

  it('compares by size and cells', () => {
    expect(Grid.parse('-*').equals(Grid.parse('-*'))).toBe(true);
    expect(Grid.parse('-*').equals(Grid.parse('*-'))).toBe(false);
    expect(Grid.parse('--').equals(Grid.parse('-\n-'))).toBe(false);
  });

  it('rejects bad sizes with the message template', () => {
    expect(() => new Grid(0, 3)).toThrow(new RangeError('Expected `height` to be an integer >= 1, got `0` (number)'));
    expect(() => new Grid(3, 1.5)).toThrow(new RangeError('Expected `width` to be an integer >= 1, got `1.5` (number)'));
    expect(() => new Grid('3' as any, 3)).toThrow(new TypeError('Expected `height` to be an integer >= 1, got `"3"` (string)'));
  });

  it('refuses more than 2^28 cells with a message, not an engine stack', () => {
    expect(() => new Grid(100_000, 100_000)).toThrow(new RangeError('Grid of 100000 x 100000 = 10^10 cells exceeds the limit of 268,435,456 cells'));
    expect(() => new Grid(2 ** 14, 2 ** 14 + 1)).toThrow(new RangeError('Grid of 16384 x 16385 = 268,451,840 cells exceeds the limit of 268,435,456 cells'));
    expect(Grid.MAX_CELLS).toBe(268_435_456);
  });

  it('rejects a state that is not a cell state', () => {
    const grid = new Grid(1, 1);
    expect(() => grid.set(0, 0, 'x' as any)).toThrow(
      new TypeError("Expected `state` to be '*' (ALIVE) or '-' (EMPTY), got `\"x\"` (string)"),
    );
    expect(grid.get(0, 0)).toBe(EMPTY);
    expect(isCellState(ALIVE) && isCellState(EMPTY) && !isCellState(1)).toBe(true);
  });

  it('rejects text it cannot parse', () => {
    expect(() => Grid.parse('')).toThrow(new RangeError('Expected `text` to be at least one row of cells, got `""` (string)'));
    expect(() => Grid.parse('--\n-')).toThrow(new RangeError('Expected every row of `text` to be 2 cells wide, got row 1 with 1'));
    expect(() => Grid.parse('-x')).toThrow(new TypeError('Expected cells to be \'*\' or \'-\', got "x" at row 0, column 1'));
    expect(() => Grid.parse(3 as any)).toThrow(new TypeError('Expected `text` to be a string, got `3` (number)'));
  });
});
