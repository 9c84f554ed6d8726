/**
 * The options of {@link parallel}: GNU parallel's options in camelCase, their defaults, and
 * their validation (bad options throw synchronously, in core's message template).
 *
 * Units differ from GNU's command line where loom's conventions say so: `timeout` and `delay`
 * are milliseconds here (the CLI converts GNU's seconds).
 *
 * @module
 */

import { checkInteger, checkOptions, expectation } from '../core/validate.js';
import { parseHalt, type HaltSpec } from './halt.js';
import { resolveJobs } from './jobs.js';
import { DEFAULT_MAX_ARG_LENGTH, DEFAULT_MAX_ARGS, type InputLimits } from './limits.js';

/** What `onStart` is told when a job starts. */
export interface JobStart {
  /** The job's sequence number (`{#}`), from 1, in input order. */
  readonly seq: number;
  /** The job slot it runs in (`{%}`), from 1. */
  readonly slot: number;
  /** Its arguments. */
  readonly args: readonly string[];
  /** The command as it will run. */
  readonly command: string;
}

/**
 * Options of {@link parallel}.
 *
 * @example
 * ```ts
 * import type { ParallelOptions } from 'loom/parallel';
 * const opts: ParallelOptions = { jobs: 4, keepOrder: true, halt: 'now,fail=1', timeout: 10_000, joblog: 'jobs.log' };
 * ```
 */
export interface ParallelOptions extends InputLimits {
  /** Jobs at once: `N`, `'N%'` of the CPUs, `'+N'`, `'-N'`, or `0` (as many as possible, 1024). Default: the CPU count. */
  readonly jobs?: number | string | undefined;
  /** Yield results in input order instead of completion order (`-k`). Default false. */
  readonly keepOrder?: boolean | undefined;
  /** Jobs write straight to this process's stdout and stderr, nothing is collected (`-u`). Default false. */
  readonly ungroup?: boolean | undefined;
  /** Call `onLine` with each complete output line as it arrives (`--line-buffer`). Default false. */
  readonly lineBuffer?: boolean | undefined;
  /** Receives complete lines (with their newline) with `lineBuffer`; a last line without one comes when the job ends. */
  readonly onLine?: ((line: Uint8Array, stream: 'stdout' | 'stderr', job: JobStart) => void) | undefined;
  /** Give each result a `tag`: its arguments joined by spaces (`--tag`). Default false. */
  readonly tag?: boolean | undefined;
  /** Give each result a `tag` from this template, unquoted (`--tagstring`). */
  readonly tagstring?: string | undefined;
  /** When to stop early: a GNU spec (`'now,fail=1'`, `'soon,fail=10%'`, `'now,success=1'`...). Default `'never'`. */
  readonly halt?: string | HaltSpec | undefined;
  /** Path of the job log to write, in GNU's format (`--joblog`): a line per job as it finishes, or with `keepOrder` as it is yielded, as GNU's `-k` does. */
  readonly joblog?: string | undefined;
  /** Skip the jobs the job log has, whatever their outcome (`--resume`). Needs `joblog`. */
  readonly resume?: boolean | undefined;
  /** Skip the jobs the job log has as succeeded; rerun the failed ones (`--resume-failed`). Needs `joblog`. */
  readonly resumeFailed?: boolean | undefined;
  /** Rerun the failed commands of the job log, ignoring `command` and `inputs` (`--retry-failed`). Needs `joblog`. */
  readonly retryFailed?: boolean | undefined;
  /** Attempts per job in all; only the last one's output and log line are kept (`--retries`). Default 1. */
  readonly retries?: number | undefined;
  /** Milliseconds a job may run before its process group is killed, or `'N%'` of the median runtime of the jobs that succeeded so far. */
  readonly timeout?: number | string | undefined;
  /** Milliseconds between two job starts (`--delay`). Default 0. */
  readonly delay?: number | undefined;
  /** Run nothing: yield each job with its command, exit code 0 and no output (`--dry-run`). */
  readonly dryRun?: boolean | undefined;
  /** Split each argument into columns on this regular expression (`--colsep`). */
  readonly colsep?: string | RegExp | undefined;
  /** The shell that runs string commands. Default `/bin/sh`, as GNU parallel with `PARALLEL_SHELL=/bin/sh`. */
  readonly shell?: string | undefined;
  /**
   * How jobs are started: `'shell'` (default) through small long-lived helper processes
   * (`python3` or `perl`, or `/bin/sh` where neither runs) that start them as `/bin/sh -c COMMAND`
   * (several times faster than Node's own spawn; output spooled in temporary files);
   * `'direct'` with Node's `child_process`, each job in its own process group. Function
   * commands, `lineBuffer`, `ungroup` and a `shell` other than `/bin/sh` always start directly.
   */
  readonly spawner?: 'shell' | 'direct' | undefined;
  /** Most bytes kept of one job's stdout or stderr; past it the job is killed and fails. Default 64 MiB. */
  readonly maxOutput?: number | undefined;
  /** Working directory of the jobs. */
  readonly cwd?: string | undefined;
  /** Environment of the jobs, merged over `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Called when each job starts (progress displays). */
  readonly onStart?: ((job: JobStart) => void) | undefined;
  /** Stops the run: running jobs' process groups are killed and the iteration throws `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
}

/** The options after defaults. */
export interface Settings {
  readonly jobs: number;
  readonly keepOrder: boolean;
  readonly ungroup: boolean;
  readonly lineBuffer: boolean;
  readonly halt: HaltSpec;
  readonly retries: number;
  /** A fixed timeout in ms, or a fraction of the median runtime; `undefined` for none. */
  readonly timeout: { readonly ms: number } | { readonly fraction: number } | undefined;
  readonly delay: number;
  readonly dryRun: boolean;
  readonly colsep: RegExp | undefined;
  readonly shell: string;
  readonly maxOutput: number;
  readonly maxArgLength: number;
  readonly maxArgs: number;
  readonly resume: 'none' | 'all' | 'failed' | 'retry';
  readonly spawner: 'shell' | 'direct';
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

function checkBoolean(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(expectation(name, 'a boolean', value));
}

function checkMs(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const expected = 'a number of milliseconds >= 0';
  if (typeof value !== 'number') throw new TypeError(expectation(name, expected, value));
  if (!(value >= 0)) throw new RangeError(expectation(name, expected, value));
  return value;
}

function checkTimeout(value: unknown): Settings['timeout'] {
  if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)%$/.exec(value);
    if (match === null) throw new RangeError(expectation('timeout', "milliseconds or a percentage like '200%'", value));
    return { fraction: Number(match[1]) / 100 };
  }
  const ms = checkMs('timeout', value);
  return ms === undefined || ms === Infinity ? undefined : { ms };
}

/** Validates `opts` (throwing synchronously) and applies the defaults. */
export function checkParallelOptions(opts: ParallelOptions | undefined): Settings {
  checkOptions('options', opts);
  const o = opts ?? {};
  for (const name of ['keepOrder', 'ungroup', 'lineBuffer', 'tag', 'resume', 'resumeFailed', 'retryFailed', 'dryRun'] as const) checkBoolean(name, o[name]);
  for (const name of ['onLine', 'onStart'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') throw new TypeError(expectation(name, 'a function', o[name]));
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError(expectation('signal', 'an AbortSignal', o.signal));
  for (const name of ['tagstring', 'joblog', 'shell', 'cwd'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'string') throw new TypeError(expectation(name, 'a string', o[name]));
  }
  const retries = o.retries ?? 1;
  checkInteger('retries', retries, 0);
  const maxOutput = o.maxOutput ?? DEFAULT_MAX_OUTPUT;
  checkInteger('maxOutput', maxOutput, 0);
  const maxArgLength = o.maxArgLength ?? DEFAULT_MAX_ARG_LENGTH;
  checkInteger('maxArgLength', maxArgLength, 1);
  const maxArgs = o.maxArgs ?? DEFAULT_MAX_ARGS;
  checkInteger('maxArgs', maxArgs, 1);
  let halt: HaltSpec;
  if (o.halt === undefined || typeof o.halt === 'object') halt = o.halt ?? parseHalt('never');
  else if (typeof o.halt === 'string') halt = parseHalt(o.halt);
  else throw new TypeError(expectation('halt', "a halt spec like 'now,fail=1'", o.halt));
  let colsep: RegExp | undefined;
  if (typeof o.colsep === 'string') colsep = new RegExp(o.colsep);
  else if (o.colsep === undefined || o.colsep instanceof RegExp) colsep = o.colsep;
  else throw new TypeError(expectation('colsep', 'a string or a RegExp', o.colsep));
  if (o.spawner !== undefined && o.spawner !== 'shell' && o.spawner !== 'direct') throw new TypeError(expectation('spawner', "'shell' or 'direct'", o.spawner));
  const resumes = [o.resume, o.resumeFailed, o.retryFailed].filter((flag) => flag === true).length;
  if (resumes > 1) throw new TypeError('Expected at most one of `resume`, `resumeFailed` and `retryFailed`');
  if (resumes > 0 && o.joblog === undefined) throw new TypeError('Expected `joblog` with `resume`, `resumeFailed` or `retryFailed`');
  return {
    jobs: resolveJobs(o.jobs),
    keepOrder: o.keepOrder ?? false,
    ungroup: o.ungroup ?? false,
    lineBuffer: o.lineBuffer ?? false,
    halt,
    retries: Math.max(1, retries),
    timeout: checkTimeout(o.timeout),
    delay: checkMs('delay', o.delay) ?? 0,
    dryRun: o.dryRun ?? false,
    colsep,
    shell: o.shell ?? '/bin/sh',
    maxOutput,
    maxArgLength,
    maxArgs,
    spawner: o.spawner ?? 'shell',
    resume: o.resume === true ? 'all' : o.resumeFailed === true ? 'failed' : o.retryFailed === true ? 'retry' : 'none',
  };
}
