import { describe, expect, it } from 'vitest';
import { ALIVE, EMPTY, Grid, countNeighbors, gameLogic, simulate, stepCell } from '../../src/life/index.js';
import { referenceCases } from './reference.js';

function run(grid: Grid, generations: number): Grid {
  for (let i = 0; i < generations; i++) grid = simulate(grid);
  return grid;
}

describe('simulate against the seed\'s Python algorithm', () => {
  it('has many reference cases, tiny tori and strips among them', () => {
    expect(referenceCases.length).toBeGreaterThan(150);
    expect(referenceCases.some((c) => c.height === 1 && c.width === 1)).toBe(true);
    expect(referenceCases.some((c) => c.height === 1 && c.width > 3)).toBe(true);
    expect(referenceCases.some((c) => c.width === 1 && c.height > 3)).toBe(true);
  });

  it.each(referenceCases.map((c) => [c.name, c] as const))('%s: every generation cell for cell', (_name, reference) => {
    let grid = Grid.parse(reference.generations[0] as string);
    expect([grid.height, grid.width]).toEqual([reference.height, reference.width]);
    for (const expected of reference.generations.slice(1)) {
      grid = simulate(grid);
      expect(grid.toString()).toBe(expected);
    }
  });
});

describe('known patterns', () => {
  const blinker = Grid.parse('-----\n--*--\n--*--\n--*--\n-----');

  it('blinker has period 2', () => {
    expect(simulate(blinker).toString()).toBe('-----\n-----\n-***-\n-----\n-----');
    expect(run(blinker, 2).equals(blinker)).toBe(true);
    expect(run(blinker, 1).equals(blinker)).toBe(false);
  });

  it('block is a still life', () => {
    const block = Grid.parse('----\n-**-\n-**-\n----');
    expect(simulate(block).equals(block)).toBe(true);
  });

  it('a glider moves (1, 1) every four generations, wrapping around the torus', () => {
    const glider = Grid.parse('-*------\n--*-----\n***-----\n--------\n--------\n--------\n--------\n--------');
    let grid = glider;
    for (let k = 1; k <= 8; k++) {
      grid = run(grid, 4);
      const moved = new Grid(8, 8);
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) moved.set(y + k, x + k, glider.get(y, x));
      expect(grid.equals(moved)).toBe(true);
    }
    expect(grid.equals(glider)).toBe(true);
  });

  it('does not modify the grid it is given', () => {
    const before = blinker.toString();
    simulate(blinker);
    expect(blinker.toString()).toBe(before);
  });

  it('rejects a non-grid', () => {
    expect(() => simulate({} as any)).toThrow(new TypeError('Expected `grid` to be a Grid, got `[object Object]` (Object)'));
  });
});

describe('the rule functions', () => {
  it('countNeighbors reads the eight neighbours in the seed\'s order and counts the living', () => {
    const reads: string[] = [];
    const count = countNeighbors(5, 7, (y, x) => {
      reads.push(`${y},${x}`);
      return (y + x) % 2 === 0 ? ALIVE : EMPTY;
    });
    expect(reads).toEqual(['4,7', '4,8', '5,8', '6,8', '6,7', '6,6', '5,6', '4,6']);
    expect(count).toBe(4);
  });

  it('countNeighbors counts a 1x1 torus cell as its own eight neighbours', () => {
    const grid = Grid.parse('*');
    expect(countNeighbors(0, 0, (y, x) => grid.get(y, x))).toBe(8);
  });

  it('gameLogic: under- and overpopulation die, three regenerate, others stay', () => {
    const table = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => gameLogic(ALIVE, n) + gameLogic(EMPTY, n)).join(' ');
    expect(table).toBe('-- -- *- ** -- -- -- -- --');
  });

  it('stepCell reads through get and writes through set', () => {
    const now = Grid.parse('---\n***\n---');
    const writes: string[] = [];
    stepCell(0, 1, (y, x) => now.get(y, x), (y, x, state) => writes.push(`${y},${x}=${state}`));
    expect(writes).toEqual(['0,1=*']);
  });
});
