/**
 * What a `loom life` command line asks for, checked: the run's settings ({@link LifeRunConfig})
 * and its starting grid. Every check that can fail on the command line alone happens here,
 * before a server, a socket or a worker thread exists, so a bad command line costs nothing and
 * always ends with exit status 2 (a {@link UsageError}).
 *
 * The file imports only the domain's plain parts (`Grid`, the patterns); the strategies, the
 * network and the worker threads are loaded by `run.ts` once the command line has passed.
 *
 * @module
 */

import { open } from 'node:fs/promises';
import { checkCells, Grid } from '../../../life/grid.js';
import { parseRle, place, randomGrid, seedGlider } from '../../../life/patterns.js';
import { UsageError } from '../../command.js';
import { addressValue, choiceValue, integerValue, textValue, type Address } from './values.js';

/**
 * The strategies `--strategy` accepts: the seed's fan-outs (items 57–60) and the shared-memory engine.
 *
 * @example
 * ```ts
 * console.log(STRATEGIES.join('|')); // serial|threaded|pipeline|phased|pool|async|parallel
 * ```
 */
export const STRATEGIES = ['serial', 'threaded', 'pipeline', 'phased', 'pool', 'async', 'parallel'] as const;

/**
 * One of {@link STRATEGIES}.
 *
 * @example
 * ```ts
 * const strategy: StrategyName = 'async';
 * ```
 */
export type StrategyName = (typeof STRATEGIES)[number];

/**
 * The checked settings of one `loom life` run.
 *
 * @example
 * ```ts
 * const config: LifeRunConfig = { strategy: 'async', io: 'timer', latency: 100, server: undefined, workers: undefined, generations: 5, watch: false };
 * ```
 */
export interface LifeRunConfig {
  readonly strategy: StrategyName;
  readonly io: 'timer' | 'tcp';
  /** Milliseconds of I/O per cell; 0 runs the pure rule. Always 0 for `parallel`. */
  readonly latency: number;
  /** A `loom life-server` to use; only with `io: 'tcp'` (otherwise an in-process server is started). */
  readonly server: Address | undefined;
  /** Workers, cells in flight or threads, by strategy; `undefined` leaves the strategy's default. */
  readonly workers: number | undefined;
  /** Generations to run; `Number.MAX_SAFE_INTEGER` (until interrupted) for `--watch` without `--generations`. */
  readonly generations: number;
  readonly watch: boolean;
}

/** The most `--workers`: threads are the costly case (each a V8 isolate), and no machine has more cores than this. */
const MAX_WORKERS = 1024;

/** The strategies with a number of workers for `--workers` to set (threads, queue workers, cells in flight). */
const WORKER_STRATEGIES: ReadonlySet<StrategyName> = new Set(['pipeline', 'phased', 'pool', 'parallel']);

/** What `--pattern`, `--height`, `--width` and `--seed` ask the starting grid to be. */
interface StartSpec {
  readonly pattern: string;
  readonly height: number | undefined;
  readonly width: number | undefined;
  readonly seed: number;
}

/**
 * Reads the run's settings and the starting grid from the parsed options (see the module
 * comment). Defaults: the seed's glider on its 5x9 grid, 5 generations, `serial`, no latency,
 * `timer` I/O; a random pattern is 20x40 with seed 1 unless sized.
 *
 * @throws UsageError for a value out of range, an unknown choice, options that do not go
 *   together (`--server` without `--io tcp`, `--latency` or `--io` with `parallel`, `--workers`
 *   with a strategy that has none), a pattern
 *   larger than the grid, or a pattern file that cannot be read or is not RLE.
 * @example
 * ```ts
 * const { config, grid } = await lifeSettings({ strategy: 'async', latency: '100' });
 * ```
 */
export async function lifeSettings(values: Readonly<Record<string, string | boolean | undefined>>): Promise<{ config: LifeRunConfig; grid: Grid }> {
  const watch = values.watch === true;
  const strategy = choiceValue(values, 'strategy', 'serial', STRATEGIES);
  const io = choiceValue(values, 'io', 'timer', ['timer', 'tcp'] as const);
  const latency = integerValue(values, 'latency', 0, { min: 0, max: 2 ** 31 - 1 });
  if (strategy === 'parallel' && (latency > 0 || values.io !== undefined)) {
    throw new UsageError('`--strategy parallel` runs the pure rule on worker threads: it takes no `--latency` or `--io`');
  }
  if (values.server !== undefined && io !== 'tcp') throw new UsageError('`--server` needs `--io tcp`');
  if (values.workers !== undefined && !WORKER_STRATEGIES.has(strategy)) {
    throw new UsageError(`\`--workers\` sizes the pipeline, phased, pool and parallel strategies; \`--strategy ${strategy}\` has no workers`);
  }
  const config: LifeRunConfig = {
    strategy,
    io,
    latency,
    server: addressValue(values, 'server'),
    workers: values.workers === undefined ? undefined : integerValue(values, 'workers', 1, { min: 1, max: MAX_WORKERS }),
    generations: integerValue(values, 'generations', watch ? Number.MAX_SAFE_INTEGER : 5, { min: 0 }),
    watch,
  };
  const grid = await startingGrid({
    pattern: textValue(values, 'pattern') ?? 'glider',
    height: values.height === undefined ? undefined : integerValue(values, 'height', 1, { min: 1 }),
    width: values.width === undefined ? undefined : integerValue(values, 'width', 1, { min: 1 }),
    seed: integerValue(values, 'seed', 1, { min: 0 }),
  });
  return { config, grid };
}

/** The grid `spec` describes; a fixed pattern sits in the top-left corner of a grid sized to fit it. */
async function startingGrid({ pattern, height, width, seed }: StartSpec): Promise<Grid> {
  if (pattern === 'random') return randomGrid(...fitting(height ?? 20, width ?? 40), { seed });
  if (pattern === 'glider' && height === undefined && width === undefined) return seedGlider();
  if (height !== undefined && width !== undefined) fitting(height, width);
  const shape = await patternShape(pattern);
  const rows = height ?? shape.height;
  const cols = width ?? shape.width;
  if (rows < shape.height || cols < shape.width) {
    throw new UsageError(`The pattern needs at least ${shape.height}x${shape.width} cells, got --height ${rows} --width ${cols}`);
  }
  return place(new Grid(...fitting(rows, cols)), shape, 0, 0);
}

/** `[height, width]` when a grid that size fits {@link Grid.MAX_CELLS}; a {@link UsageError} with the grid's message otherwise. */
function fitting(height: number, width: number): [number, number] {
  try {
    checkCells(height, width);
  } catch (error) {
    // checkCells throws only its RangeError: `Grid of 100000 x 100000 = 10^10 cells exceeds the limit of 268,435,456 cells`.
    throw new UsageError((error as RangeError).message, { cause: error });
  }
  return [height, width];
}

/** The fixed pattern `name` on its own smallest grid (an RLE pattern with a one-cell margin). */
async function patternShape(name: string): Promise<Grid> {
  if (name === 'glider') return seedGlider();
  if (name === 'blinker') return Grid.parse('-----\n--*--\n--*--\n--*--\n-----');
  if (!name.endsWith('.rle')) {
    throw new UsageError(`Expected \`--pattern\` to be glider, blinker, random or a .rle file, got \`${name}\``);
  }
  let text: string;
  try {
    text = await readBounded(name);
  } catch (error) {
    // `readBounded` rejects with a system error (ENOENT, EACCES, EISDIR) or its own size error, always an Error.
    throw new UsageError(`Cannot read the pattern file ${name}: ${(error as Error).message}`, { cause: error });
  }
  let rle: Grid;
  try {
    rle = parseRle(text);
  } catch (error) {
    // `parseRle` throws SyntaxError for text that is not RLE and RangeError for a size past its limit, nothing else.
    const what = error instanceof RangeError ? 'is too large' : 'is not RLE';
    throw new UsageError(`The pattern file ${name} ${what}: ${(error as Error).message}`, { cause: error });
  }
  return place(new Grid(...fitting(rle.height + 2, rle.width + 2)), rle, 1, 1);
}

/**
 * The most bytes of a pattern file: an RLE of the largest grid's cells, alternating live and
 * dead cells with a run count each, is under 256 MiB; anything larger is not a pattern.
 */
const MAX_PATTERN_BYTES = 256 * 2 ** 20;

/** The file's text, refusing one past {@link MAX_PATTERN_BYTES} before reading it. */
async function readBounded(name: string): Promise<string> {
  const file = await open(name);
  try {
    const { size } = await file.stat();
    if (size > MAX_PATTERN_BYTES) throw new Error(`${size.toLocaleString('en-US')} bytes is past the limit of ${MAX_PATTERN_BYTES.toLocaleString('en-US')} bytes`);
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}
