/**
 * One behavioural suite run against every concurrent strategy (STYLE 15): each must equal
 * `simulate` with sync and async logic, surface the first failing cell as a SimulationError
 * with the original cause, honour the three abort phases and the timeout, and leave nothing
 * running when it settles.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ALIVE,
  EMPTY,
  Grid,
  SimulationError,
  delayedCountNeighbors,
  delayedGameLogic,
  gameLogic,
  countNeighbors,
  simulate,
  simulateAsync,
  simulatePool,
  simulateThreaded,
  simulatePipeline,
  simulatePhasedPipeline,
  type CellLogic,
  type SimulateOptions,
  randomGrid,
} from '../../src/life/index.js';
import { TimeoutError } from '../../src/core/errors.js';
import { abortListeners, activeTimers, deferred, flush, settle } from '../helpers.js';
import { referenceCases } from './reference.js';

type Strategy = (grid: Grid, opts?: SimulateOptions & { concurrency?: number; workers?: number }) => Promise<Grid>;

interface Case {
  readonly name: string;
  readonly run: Strategy;
  /** Generations of 100 ms I/O that 45 cells take under this strategy's bound in the test. */
  readonly rounds45: number;
}

const cases: Case[] = [
  { name: 'simulateAsync', run: simulateAsync, rounds45: 1 },
  { name: 'simulatePool', run: (g, o) => simulatePool(g, { concurrency: 10, ...o }), rounds45: 5 },
  { name: 'simulateThreaded', run: simulateThreaded, rounds45: 1 },
  { name: 'simulatePipeline', run: (g, o) => simulatePipeline(g, { workers: 5, ...o }), rounds45: 9 },
  { name: 'simulatePhasedPipeline', run: (g, o) => simulatePhasedPipeline(g, { workers: 15, ...o }), rounds45: 3 },
];

const glider = Grid.parse('---*-----\n----*----\n--***----\n---------\n---------');

afterEach(() => {
  vi.useRealTimers();
});

describe.each(cases)('$name', ({ name, run, rounds45 }) => {
  it('equals simulate on the reference grids with the pure rule', async () => {
    for (const reference of referenceCases.slice(0, 60)) {
      const grid = Grid.parse(reference.generations[0] as string);
      expect((await run(grid)).toString()).toBe(reference.generations[1]);
    }
  });

  it('equals simulate with async logic and an async neighbour count', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const grid = randomGrid(1 + (seed % 6), 1 + ((seed * 3) % 11), { seed });
      const next = await run(grid, {
        gameLogic: async (state, neighbors) => {
          await Promise.resolve();
          return gameLogic(state, neighbors);
        },
        countNeighbors: async (y, x, get) => {
          await Promise.resolve();
          return countNeighbors(y, x, get);
        },
      });
      expect(next.equals(simulate(grid))).toBe(true);
    }
  });

  it('gives each cell its coordinates and a live signal', async () => {
    const seen = new Set<string>();
    await run(new Grid(3, 4), {
      gameLogic: (state, _n, ctx) => {
        expect(ctx.signal.aborted).toBe(false);
        seen.add(`${ctx.y},${ctx.x}`);
        return state;
      },
    });
    expect(seen.size).toBe(12);
  });

  it(`runs 45 cells of 100 ms I/O in ${rounds45 * 100} ms of (fake) time`, async () => {
    vi.useFakeTimers();
    const result = run(glider, { gameLogic: delayedGameLogic(100) });
    let settled = false;
    void result.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(rounds45 * 100 - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect((await result).equals(simulate(glider))).toBe(true);
  });

  it('surfaces the first failing cell as SimulationError(y, x) with the original cause, leaving nothing running', async () => {
    vi.useFakeTimers();
    const problem = new Error('Problem with I/O in game_logic');
    let running = 0;
    let aborted = 0;
    const logic: CellLogic = async (state, neighbors, { y, x, signal }) => {
      running++;
      try {
        await delayedGameLogic(y === 2 && x === 3 ? 50 : 100)(state, neighbors, { y, x, signal });
        if (y === 2 && x === 3) throw problem;
        return gameLogic(state, neighbors);
      } catch (error) {
        if (signal.aborted) aborted++;
        throw error;
      } finally {
        running--;
      }
    };
    const outcome = settle(run(glider, { gameLogic: logic }));
    await vi.advanceTimersByTimeAsync(rounds45 * 100);
    const result = await outcome;
    expect(result.ok).toBe(false);
    const error = (result as { error: SimulationError }).error;
    expect(error).toBeInstanceOf(SimulationError);
    expect([error.y, error.x, error.cause]).toEqual([2, 3, problem]);
    expect(error.message).toBe('Cell (2, 3) failed: Error: Problem with I/O in game_logic');
    expect(running).toBe(0);
    expect(aborted).toBeGreaterThan(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('surfaces a synchronous throw, a failing neighbour count and an invalid state the same way', async () => {
    const boom = new Error('boom');
    const thrown = await settle(run(glider, { gameLogic: (s, _n, { y, x }) => (y === 1 && x === 1 ? (() => { throw boom; })() : s) }));
    expect(thrown).toEqual({ ok: false, error: new SimulationError(1, 1, { cause: boom }) });
    expect(((thrown as { error: SimulationError }).error).cause).toBe(boom);
    const counted = await settle(run(glider, { countNeighbors: async (y) => (y === 4 ? Promise.reject(boom) : 0) }));
    expect(((counted as { error: SimulationError }).error).y).toBe(4);
    const invalid = await settle(run(glider, { gameLogic: () => 'x' as never }));
    expect(((invalid as { error: SimulationError }).error).cause).toEqual(
      new TypeError("Expected `state` to be '*' (ALIVE) or '-' (EMPTY), got `\"x\"` (string)"),
    );
  });

  it('an already aborted signal rejects with its reason and starts no cell', async () => {
    const reason = new Error('stop');
    let calls = 0;
    await expect(run(glider, { signal: AbortSignal.abort(reason), gameLogic: (s) => (calls++, s) })).rejects.toBe(reason);
    expect(calls).toBe(0);
  });

  it('an abort while the cells wait rejects with the reason once every cell has stopped, and leaves no listener', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const outcome = settle(run(glider, { signal: controller.signal, gameLogic: delayedGameLogic(100) }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(reason);
    expect(await outcome).toEqual({ ok: false, error: reason });
    expect(abortListeners(controller.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it(`times out with TimeoutError: ${name} timed out after N milliseconds`, async () => {
    vi.useFakeTimers();
    const outcome = settle(run(glider, { timeout: 30, gameLogic: delayedGameLogic(100) }));
    await vi.advanceTimersByTimeAsync(30);
    expect(await outcome).toEqual({ ok: false, error: new TimeoutError(`${name} timed out after 30 milliseconds`) });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no listener or timer after a normal generation', async () => {
    const controller = new AbortController();
    const timers = activeTimers();
    await run(glider, { signal: controller.signal, timeout: 10_000 });
    expect(abortListeners(controller.signal)).toBe(0);
    expect(activeTimers()).toBe(timers);
  });

  it('a cell held on a deferred holds the generation (fan-in waits for every cell)', async () => {
    const gate = deferred();
    let settled = false;
    const result = run(new Grid(1, 3), { gameLogic: async (s, _n, { x }) => (x === 1 ? (await gate.promise, s) : s) }).then((g) => {
      settled = true;
      return g;
    });
    await flush(3);
    expect(settled).toBe(false);
    gate.resolve();
    expect((await result).toString()).toBe(EMPTY.repeat(3));
  });

  it('rejects bad arguments synchronously', () => {
    expect(() => run({} as any)).toThrow(new TypeError('Expected `grid` to be a Grid, got `[object Object]` (Object)'));
    expect(() => run(glider, { gameLogic: 3 as any })).toThrow(new TypeError('Expected `gameLogic` to be a function, got `3` (number)'));
    expect(() => run(glider, { countNeighbors: 'x' as any })).toThrow(new TypeError('Expected `countNeighbors` to be a function, got `"x"` (string)'));
    expect(() => run(glider, { signal: 1 as any })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `1` (number)'));
    expect(() => run(glider, { timeout: -1 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'));
  });
});

describe('bounded strategies', () => {
  it('simulatePool keeps at most `concurrency` cells in flight and rejects a bad bound', async () => {
    let inFlight = 0;
    let peak = 0;
    await simulatePool(glider, {
      concurrency: 7,
      gameLogic: async (s) => {
        peak = Math.max(peak, ++inFlight);
        await Promise.resolve();
        inFlight--;
        return s;
      },
    });
    expect(peak).toBe(7);
    expect(() => simulatePool(glider, { concurrency: 0 })).toThrow(new RangeError('Expected `concurrency` to be an integer >= 1 or Infinity, got `0` (number)'));
    expect(() => simulatePipeline(glider, { workers: 0 })).toThrow(new RangeError('Expected `workers` to be an integer >= 1, got `0` (number)'));
    expect(() => simulatePhasedPipeline(glider, { workers: 1.5 })).toThrow(new RangeError('Expected `workers` to be an integer >= 1, got `1.5` (number)'));
  });

  it('delayed logic rejects a bad latency', () => {
    expect(() => delayedGameLogic(-1)).toThrow(new RangeError('Expected `ms` to be a number of milliseconds >= 0, got `-1` (number)'));
    expect(() => delayedCountNeighbors('1' as any)).toThrow(new TypeError('Expected `ms` to be a number of milliseconds >= 0, got `"1"` (string)'));
    expect(ALIVE).toBe('*');
  });
});
