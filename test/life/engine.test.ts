import { describe, expect, it } from 'vitest';
import { Grid, LifeEngine, simulate, randomGrid } from '../../src/life/index.js';
import { bandRows } from '../../src/life/engine/layout.js';
import { referenceCases } from './reference.js';

describe('LifeEngine (single-threaded compact stepping)', () => {
  it.each(referenceCases.map((c) => [c.name, c] as const))('%s: agrees with the seed\'s algorithm', (_name, reference) => {
    const engine = new LifeEngine(Grid.parse(reference.generations[0] as string));
    for (const expected of reference.generations.slice(1)) {
      engine.step();
      expect(engine.toGrid().toString()).toBe(expected);
    }
  });

  it('agrees with simulate on tiny tori and on widths around every word boundary', () => {
    const sizes: [number, number][] = [];
    for (let seed = 1; seed <= 60; seed++) sizes.push([1 + (seed % 7), 1 + ((seed * 5) % 13)]);
    for (const width of [31, 32, 33, 63, 64, 65, 95, 97]) sizes.push([1 + (width % 5), width], [9, width]);
    for (const [index, [height, width]] of sizes.entries()) {
      let grid = randomGrid(height, width, { seed: index + 1 });
      const engine = new LifeEngine(grid);
      for (let g = 0; g < 5; g++) {
        grid = simulate(grid);
        engine.step();
        expect(engine.toGrid().equals(grid)).toBe(true);
        // Counts set bits: a padding bit left set past the last column would be counted.
        expect(engine.population()).toBe(grid.population());
      }
    }
  });

  it('steps several generations at once and counts them and the population', () => {
    const blinker = Grid.parse('-----\n--*--\n--*--\n--*--\n-----');
    const engine = new LifeEngine(blinker);
    expect([engine.height, engine.width, engine.population()]).toEqual([5, 5, 3]);
    engine.step(3);
    expect(engine.generation).toBe(3);
    expect(engine.toGrid().equals(simulate(blinker))).toBe(true);
    engine.step(0);
    expect(engine.generation).toBe(3);
  });

  it('rejects bad arguments', () => {
    expect(() => new LifeEngine({} as any)).toThrow(new TypeError('Expected `grid` to be a Grid, got `[object Object]` (Object)'));
    expect(() => new LifeEngine(new Grid(1, 1)).step(-1)).toThrow(new RangeError('Expected `generations` to be an integer >= 0, got `-1` (number)'));
  });

  it('cuts rows into bands that differ by at most one row and cover every row once', () => {
    const cut = (height: number, count: number): [number, number][] => Array.from({ length: count }, (_, band) => bandRows(height, count, band));
    expect(cut(10, 3)).toEqual([[0, 3], [3, 6], [6, 10]]);
    expect(cut(2, 2)).toEqual([[0, 1], [1, 2]]);
    expect(cut(5, 1)).toEqual([[0, 5]]);
    expect(cut(1000, 16).every(([y0, y1]) => y1 - y0 === 62 || y1 - y0 === 63)).toBe(true);
  });
});
