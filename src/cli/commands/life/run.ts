/**
 * One `loom life` run once its command line has passed: open the runner, step it, and show the
 * generations in the one of three ways that fits the grid.
 *
 * - Small grids (the seed's 5x9 glider): the generations side by side in columns, as the seed
 *   prints them with its `ColumnPrinter`, then one line with the mean time per generation.
 * - Large grids: one line per generation with its time, its ratio to the latency floor (the
 *   figure the seed reasons with: 45 cells x 100 ms is 4.5 s serially, ~0.1 s fanned out) and
 *   the population, then the mean.
 * - `--watch`: the top-left corner of the grid redrawn in place, at most ten frames a second.
 *
 * This module loads the strategies, the network and the worker threads, so `life.ts` imports it
 * only when the command runs: `loom --help` does not pay for them.
 *
 * @module
 */

import { ColumnPrinter } from '../../../life/column-printer.js';
import type { Grid } from '../../../life/grid.js';
import { sleep } from '../../../tasks/sleep.js';
import type { LifeRunConfig } from './config.js';
import { openRunner, type Runner } from './runner.js';

/** Widest side-by-side output before switching to timing lines: fits a wide terminal. */
const MAX_COLUMNS_WIDTH = 160;
/** Tallest grid printed in columns, and the most rows of the live view. */
const MAX_PRINTED_ROWS = 40;
/** Shortest time between two frames of `--watch`, so a fast strategy stays watchable. */
const FRAME_MS = 100;

/** Where a run writes, and what stops it. */
interface RunContext {
  readonly out: (line: string) => void;
  readonly signal: AbortSignal;
}

/**
 * Runs `config` from `start`, writing through `ctx.out`, and closes whatever the runner opened
 * (server, sockets, threads) before it settles. Rejects with `ctx.signal.reason` when
 * interrupted, and with the strategy's error (a `SimulationError` naming the cell, its `cause`
 * the original failure) when a generation fails.
 *
 * @example
 * ```ts
 * await runLife({ strategy: 'async', io: 'timer', latency: 100, server: undefined, workers: undefined, generations: 5, watch: false }, seedGlider(), { out: console.log, signal });
 * ```
 */
export async function runLife(config: LifeRunConfig, start: Grid, ctx: RunContext): Promise<void> {
  const small = (start.width + 3) * (config.generations + 1) <= MAX_COLUMNS_WIDTH && start.height <= MAX_PRINTED_ROWS;
  await using runner = await openRunner(config, start, ctx.signal);
  if (config.watch) await watch(runner, config, ctx);
  else if (small) await columns(runner, config, ctx);
  else await timings(runner, config, ctx);
}

/** The generations side by side, like the seed's output, then the mean time per generation. */
async function columns(runner: Runner, config: LifeRunConfig, { out }: RunContext): Promise<void> {
  const printer = new ColumnPrinter();
  const times: number[] = [];
  for (let i = 0; i < config.generations; i++) {
    printer.append(runner.grid().toString());
    const start = performance.now();
    await runner.step();
    times.push(performance.now() - start);
  }
  printer.append(runner.grid().toString());
  out(printer.toString());
  if (times.length > 0) out(summary(times, runner, config));
}

/** A heading, one line per generation as it finishes, then the mean. */
async function timings(runner: Runner, config: LifeRunConfig, { out }: RunContext): Promise<void> {
  const { height, width } = runner;
  out(`${height}x${width} grid (${(height * width).toLocaleString('en-US')} cells), strategy ${config.strategy}${runner.describe}`);
  const times: number[] = [];
  for (let i = 1; i <= config.generations; i++) {
    const start = performance.now();
    await runner.step();
    const took = performance.now() - start;
    times.push(took);
    const floor = config.latency > 0 ? `, ${(took / config.latency).toFixed(2)}x the ${config.latency} ms floor` : '';
    out(`generation ${i}: ${took.toFixed(1)} ms${floor}, population ${runner.population().toLocaleString('en-US')}`);
  }
  if (times.length > 0) out(summary(times, runner, config));
}

/** Redraws the top-left corner in place each generation, until `config.generations` or the signal. */
async function watch(runner: Runner, config: LifeRunConfig, { out, signal }: RunContext): Promise<void> {
  for (let i = 0; i <= config.generations; i++) {
    const start = performance.now();
    // ESC[H ESC[2J: cursor home and clear screen, so each frame replaces the last.
    out(`\x1b[H\x1b[2Jgeneration ${i}, population ${runner.population()} (Ctrl-C to stop)`);
    for (const row of runner.view(MAX_PRINTED_ROWS, MAX_COLUMNS_WIDTH)) out(row);
    if (i === config.generations) break;
    await runner.step();
    const left = FRAME_MS - (performance.now() - start);
    if (left > 0) await sleep(left, { signal });
  }
}

/** `5 generations of 45 cells, async: 101.2 ms per generation on average (1.01x the 100 ms floor)`. */
function summary(times: readonly number[], runner: Runner, config: LifeRunConfig): string {
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const cells = runner.height * runner.width;
  const floor = config.latency > 0 ? ` (${(mean / config.latency).toFixed(2)}x the ${config.latency} ms floor)` : '';
  return `${times.length} generations of ${cells.toLocaleString('en-US')} cells, ${config.strategy}: ${mean.toFixed(1)} ms per generation on average${floor}`;
}
