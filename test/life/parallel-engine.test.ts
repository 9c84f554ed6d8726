import { afterEach, describe, expect, it } from 'vitest';
import { Grid, LifeEngine, ParallelLifeEngine, simulate, randomGrid } from '../../src/life/index.js';
import { InvalidStateError, TimeoutError } from '../../src/core/errors.js';
import { abortListeners } from '../helpers.js';

const engines: ParallelLifeEngine[] = [];
function engine(grid: Grid, workers: number): ParallelLifeEngine {
  const created = new ParallelLifeEngine(grid, { workers });
  engines.push(created);
  return created;
}
afterEach(async () => {
  for (const created of engines.splice(0)) await created.close();
});

describe('ParallelLifeEngine', () => {
  it('agrees with simulate on random grids, one generation per step and many per step', async () => {
    const sizes: [number, number][] = [[1, 1], [2, 9], [33, 17]];
    for (const [index, [height, width]] of sizes.entries()) {
      let grid = randomGrid(height, width, { seed: index + 1 });
      const parallel = engine(grid, 3);
      expect(parallel.workers).toBe(Math.min(3, height));
      for (let g = 0; g < 3; g++) {
        grid = simulate(grid);
        await parallel.step();
        expect(parallel.toGrid().equals(grid)).toBe(true);
      }
      for (let g = 0; g < 7; g++) grid = simulate(grid);
      await parallel.step(7);
      expect(parallel.toGrid().equals(grid)).toBe(true);
      expect(parallel.generation).toBe(10);
      expect(parallel.population()).toBe(grid.population());
    }
  });

  it('agrees with the single-threaded engine on a large grid over many generations', async () => {
    const grid = randomGrid(256, 300, { seed: 56 });
    const single = new LifeEngine(grid);
    const parallel = engine(grid, 2);
    single.step(25);
    await parallel.step(25);
    expect(Buffer.from(parallel.buffers.buffer).equals(Buffer.from(single.buffers.buffer))).toBe(true);
  });

  it('agrees with simulate when bands are one or two rows tall, over many generations per step', async () => {
    // Fewer rows than 8 bands per thread: one-row bands, each read whole by both neighbours; 2
    // bands, where one band is the neighbour on both sides; 8 bands of 2 rows on one thread.
    const cases: [height: number, width: number, workers: number][] = [[3, 8, 3], [5, 7, 4], [2, 5, 2], [10, 13, 5], [9, 4, 2], [16, 9, 1]];
    for (const [index, [height, width, workers]] of cases.entries()) {
      let grid = randomGrid(height, width, { seed: 100 + index });
      const parallel = engine(grid, workers);
      for (const generations of [1, 12, 5]) {
        for (let g = 0; g < generations; g++) grid = simulate(grid);
        await parallel.step(generations);
        expect(parallel.toGrid().equals(grid)).toBe(true);
      }
    }
    // Six engines start 17 worker threads one after the other; on a loaded 2-core machine that
    // alone has taken 19 s, so the default 20 s would time out work that is not slow.
  }, 90_000);

  it('one thread and many threads leave the same bytes as LifeEngine, step after step', async () => {
    const grid = randomGrid(97, 131, { seed: 7 });
    const single = new LifeEngine(grid);
    const one = engine(grid, 1);
    const many = engine(grid, 7);
    for (const generations of [3, 1, 40]) {
      single.step(generations);
      await Promise.all([one.step(generations), many.step(generations)]);
      expect(Buffer.from(one.buffers.buffer).equals(Buffer.from(single.buffers.buffer))).toBe(true);
      expect(Buffer.from(many.buffers.buffer).equals(Buffer.from(single.buffers.buffer))).toBe(true);
    }
  });

  it('a signal aborted after the step started stops every band, rejects with its reason and breaks the engine', async () => {
    const parallel = engine(randomGrid(64, 64, { seed: 3 }), 2);
    const controller = new AbortController();
    const reason = new Error('stop');
    // The step has reset the control words and handed its tasks to the pool before abort()
    // runs, so every thread finds the stop flag at its first ticket at the latest.
    const step = parallel.step(1_000_000, { signal: controller.signal });
    controller.abort(reason);
    await expect(step).rejects.toBe(reason);
    expect(abortListeners(controller.signal)).toBe(0);
    expect(parallel.generation).toBe(0);
    await expect(parallel.step()).rejects.toEqual(new InvalidStateError('ParallelLifeEngine is broken by a failed step'));
  });

  it('a step with a signal that is not aborted completes and leaves no listener', async () => {
    let grid = randomGrid(16, 16, { seed: 4 });
    const parallel = engine(grid, 2);
    const controller = new AbortController();
    await parallel.step(3, { signal: controller.signal, timeout: 60_000 });
    for (let g = 0; g < 3; g++) grid = simulate(grid);
    expect(parallel.toGrid().equals(grid)).toBe(true);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('a step given up half-way rejects with the reason, frees every thread and leaves the engine broken', async () => {
    const parallel = engine(randomGrid(512, 512, { seed: 9 }), 2);
    await expect(parallel.step(100_000, { timeout: 200 })).rejects.toEqual(new TimeoutError('ParallelLifeEngine.step timed out after 200 milliseconds'));
    await expect(parallel.step()).rejects.toThrow(new InvalidStateError('ParallelLifeEngine is broken by a failed step'));
    await parallel.close();
  });

  it('refuses overlapping steps, bad arguments and use after close', async () => {
    const parallel = new ParallelLifeEngine(new Grid(4, 4), { workers: 2 });
    const first = parallel.step(2);
    await expect(parallel.step()).rejects.toEqual(new InvalidStateError('ParallelLifeEngine.step is already running'));
    await first;
    await expect(parallel.step(-1)).rejects.toThrow(new RangeError('Expected `generations` to be an integer >= 0, got `-1` (number)'));
    const reason = new Error('no');
    await expect(parallel.step(1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await parallel.close();
    await parallel.close();
    await expect(parallel.step()).rejects.toEqual(new InvalidStateError('ParallelLifeEngine is closed'));
    expect(() => new ParallelLifeEngine(new Grid(1, 1), { workers: 0 })).toThrow(
      new RangeError('Expected `workers` to be an integer >= 1, got `0` (number)'),
    );
  });
});
