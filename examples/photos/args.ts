/**
 * The photo pipeline's command line, `npm run photos -- [options]`. argv is outside input, so
 * it is bounded before it is read (STYLE 21): at most {@link MAX_ARGS} arguments of at most
 * {@link MAX_ARG_LENGTH} characters each, every number a run of at most 10 decimal digits
 * checked against its range, each option at most once, nothing unknown. Parsing is one pass,
 * linear in the arguments; every mistake is a {@link UsageError} whose message names the
 * option and the value in the house template (STYLE 13), and nothing else is thrown. The photo
 * count is capped at 1000 because every photo stays in the server's memory (~230 KB each at
 * 1024x768).
 *
 * @module
 */

import { checkRedisUrl } from '../../src/bullmq/connection.js';
import { describeValue, expectation } from '../../src/core/validate.js';
import type { Size } from './images.js';

/** The most arguments read. */
export const MAX_ARGS = 32;
/** The longest argument read, in characters. */
export const MAX_ARG_LENGTH = 64;

/** Everything a run of the example is configured with. */
export interface PhotosOptions {
  /** Small photos and few of them: the test suite's run. */
  readonly quick: boolean;
  /** How many photos the server serves and the pipeline processes. */
  readonly count: number;
  /** Milliseconds the server waits before each answer (download and upload alike). */
  readonly latency: number;
  /** Threads of the `WorkerPool` that makes the thumbnails. */
  readonly threads: number;
  /** Calls at once in each stage. */
  readonly workers: { readonly download: number; readonly resize: number; readonly upload: number };
  /** The seed of the generated photos. */
  readonly seed: number;
  /** The photos' size. */
  readonly photo: Size;
  /** The thumbnails' size. */
  readonly thumbnail: Size;
  /** Make the thumbnails on two `loom worker` processes through BullMQ on this Redis, instead of on local threads. */
  readonly redis?: string | undefined;
}

/** A bad command line: the message says what is wrong; the caller prints it with {@link USAGE}. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A numeric option: its range and its default in each mode (`threads`: the cores present). */
interface NumberOption {
  readonly key: 'count' | 'latency' | 'threads' | 'download' | 'resize' | 'upload' | 'seed';
  readonly min: number;
  readonly max: number;
  readonly help: string;
}

const NUMBERS: ReadonlyMap<string, NumberOption> = new Map([
  ['--count', { key: 'count', min: 1, max: 1000, help: 'photos to process (default 24; quick 6)' }],
  ['--latency', { key: 'latency', min: 0, max: 60_000, help: 'ms the server waits before each answer (default 20; quick 2)' }],
  ['--threads', { key: 'threads', min: 1, max: 256, help: 'threads making thumbnails (default: the cores; quick at most 2)' }],
  ['--download-workers', { key: 'download', min: 1, max: 1000, help: 'downloads at once (default 3)' }],
  ['--resize-workers', { key: 'resize', min: 1, max: 1000, help: 'thumbnails in flight (default: the threads)' }],
  ['--upload-workers', { key: 'upload', min: 1, max: 1000, help: 'uploads at once (default 5)' }],
  ['--seed', { key: 'seed', min: 0, max: 2 ** 32 - 1, help: 'seed of the generated photos (default 55)' }],
]);

/** The help text. */
export const USAGE = [
  'Usage: npm run photos -- [--quick] [--count N] [--latency MS] [--threads N]',
  '         [--download-workers N] [--resize-workers N] [--upload-workers N] [--seed N] [--redis URL]',
  '',
  'Downloads generated photos from a local HTTP server, makes thumbnails on worker threads and',
  'uploads them back, serially and then as a pipeline, and compares the two.',
  '',
  '  --quick               small photos, few of them (the test suite runs this)',
  '  --redis URL           make the thumbnails on 2 loom workers through BullMQ on this Redis',
  ...[...NUMBERS].map(([flag, option]) => `  ${`${flag} N`.padEnd(22)}${option.help}`),
  '  --help                print this and exit',
].join('\n');

/**
 * Parses the arguments after the script name. Returns `'help'` for `--help`/`-h`.
 *
 * @throws {UsageError} for anything else than the options in {@link USAGE}, with values in range.
 * @example
 * ```ts
 * parsePhotosArgs(['--quick', '--count', '10'], 2).count; // 10
 * ```
 */
export function parsePhotosArgs(argv: readonly string[], cores: number): PhotosOptions | 'help' {
  if (argv.length > MAX_ARGS) throw new UsageError(`Expected at most ${MAX_ARGS} arguments, got ${argv.length}`);
  const long = argv.findIndex((arg) => arg.length > MAX_ARG_LENGTH);
  if (long !== -1) throw new UsageError(`Expected each argument to be at most ${MAX_ARG_LENGTH} characters, got one of ${argv[long]?.length ?? 0}`);
  const given = new Map<string, number>();
  let quick = false;
  let redis: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    // i < argv.length, so the element exists.
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--quick') {
      if (quick) throw new UsageError('Option --quick given twice');
      quick = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (flag === '--redis') {
      if (redis !== undefined) throw new UsageError('Option --redis given twice');
      redis = parseRedis(eq === -1 ? argv[++i] : arg.slice(eq + 1));
      continue;
    }
    const option = NUMBERS.get(flag);
    if (option === undefined) {
      throw new UsageError(`${flag.startsWith('-') ? 'Unknown option' : 'Unexpected argument'} ${describeValue(arg)}: expected one of --quick, ${[...NUMBERS.keys()].join(', ')}, --redis, --help`);
    }
    if (given.has(option.key)) throw new UsageError(`Option ${flag} given twice`);
    const text = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    given.set(option.key, parseNumber(flag, option, text));
  }
  const threads = given.get('threads') ?? (quick ? Math.min(cores, 2) : cores);
  return {
    quick,
    count: given.get('count') ?? (quick ? 6 : 24),
    latency: given.get('latency') ?? (quick ? 2 : 20),
    threads,
    workers: { download: given.get('download') ?? 3, resize: given.get('resize') ?? threads, upload: given.get('upload') ?? 5 },
    seed: given.get('seed') ?? 55,
    photo: quick ? { width: 320, height: 240 } : { width: 1024, height: 768 },
    thumbnail: quick ? { width: 80, height: 60 } : { width: 160, height: 120 },
    redis,
  };
}

/** The value of `--redis`: a redis:// or rediss:// URL (at most {@link MAX_ARG_LENGTH} characters, like every argument). */
function parseRedis(text: string | undefined): string {
  if (text === undefined) throw new UsageError(expectation('--redis', 'followed by a redis:// URL', text));
  try {
    return checkRedisUrl('--redis', text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The value of `flag`: decimal digits only (no sign, exponent or spaces), within the option's range. */
function parseNumber(flag: string, option: NumberOption, text: string | undefined): number {
  const expected = `an integer from ${option.min} to ${option.max}`;
  if (text === undefined) throw new UsageError(expectation(flag, `followed by ${expected}`, text));
  // At most MAX_ARG_LENGTH characters, so the pattern runs in bounded time.
  if (!/^\d{1,10}$/.test(text)) throw new UsageError(expectation(flag, expected, text));
  const value = Number(text);
  if (value < option.min || value > option.max) throw new UsageError(expectation(flag, expected, text));
  return value;
}
