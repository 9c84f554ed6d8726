/**
 * One job's pieces, for the scheduler: where the jobs come from (inputs numbered in order,
 * minus what a resume skips), the command each one runs, one attempt with its output plumbing,
 * and the `JobResult` it becomes.
 *
 * @module
 */

import { runAttempt, type AttemptResult } from './attempt.js';
import type { HaltPolicy } from './halt.js';
import { combine, type InputSource } from './inputs.js';
import type { JoblogEntry } from './joblog.js';
import { LineSplitter } from './lines.js';
import type { JobStart, ParallelOptions, Settings } from './options.js';
import { shellQuote } from './quote.js';
import { JobResult } from './result.js';
import { skipped } from './resume.js';
import type { ShellSpawner } from './spawner.js';
import { expandTemplate, type Template } from './template.js';

/** How each job's command is made. */
export type CommandMaker = { readonly template: Template } | { readonly fn: (args: readonly string[]) => readonly string[] };

/** Everything one run needs. */
export interface RunPlan {
  readonly command: CommandMaker;
  readonly inputs: readonly InputSource[];
  readonly settings: Settings;
  readonly opts: ParallelOptions;
  readonly tagTemplate: Template | undefined;
  /** Counts outcomes; the run's exit status is read from it afterwards. */
  readonly policy: HaltPolicy;
  /** Receives GNU's status lines (a failed job under `--halt`, a timeout...). */
  readonly notice: (lines: readonly string[]) => void;
}

/** One job to run. */
export interface Job {
  readonly seq: number;
  readonly args: readonly string[];
  /** Set for `retryFailed`: the logged command, run as is. */
  readonly command?: string;
}

/** The inputs' combinations, numbered from 1, without the ones a resume skips. */
export async function* fromInputs(plan: RunPlan, log: ReadonlyMap<number, JoblogEntry>): AsyncGenerator<Job> {
  const { settings } = plan;
  const mode = settings.resume === 'retry' ? 'none' : settings.resume;
  let seq = 0;
  for await (const args of combine(plan.inputs, settings)) {
    seq++;
    if (!skipped(seq, mode, log)) yield { seq, args };
  }
}

/** The command line of one job, and the argv that runs it. */
export function commandFor(plan: RunPlan, job: Job, args: readonly string[], slot: number): { command: string; argv: readonly string[] } {
  const { shell } = plan.settings;
  if (job.command !== undefined) return { command: job.command, argv: [shell, '-c', job.command] };
  const maker = plan.command;
  if ('template' in maker) {
    const command = expandTemplate(maker.template, { args, seq: job.seq, slot }, shellQuote);
    return { command, argv: [shell, '-c', command] };
  }
  const argv = maker.fn(args);
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((word) => typeof word !== 'string')) {
    throw new TypeError(`Expected the command function to return a non-empty array of strings for job ${job.seq}, got ${JSON.stringify(argv)}`);
  }
  return { command: argv.map(shellQuote).join(' '), argv };
}

/** The timeout of an attempt starting now, in ms: fixed, or a fraction of the median successful runtime. */
export function timeoutNow(settings: Settings, sortedRuntimes: readonly number[]): number | undefined {
  const timeout = settings.timeout;
  if (timeout === undefined) return undefined;
  if ('ms' in timeout) return timeout.ms;
  const median = sortedRuntimes[Math.floor((sortedRuntimes.length - 1) / 2)];
  return median === undefined ? undefined : timeout.fraction * median;
}

/** True when the run's string commands go through the shell spawner (see `spawner.ts`). */
export function usesSpawner(plan: RunPlan): boolean {
  const { settings } = plan;
  return settings.spawner === 'shell' && settings.shell === '/bin/sh' && !settings.ungroup && !settings.lineBuffer && !settings.dryRun;
}

/** Runs one attempt with the output plumbing the settings ask for. */
export async function attemptOnce(plan: RunPlan, argv: readonly string[], start: JobStart, signal: AbortSignal, timeout: number | undefined, spawner: ShellSpawner | undefined): Promise<AttemptResult> {
  const { settings, opts } = plan;
  // A string command runs as `/bin/sh -c COMMAND`, which the spawner runs the same way.
  const script = argv.length === 3 && argv[0] === '/bin/sh' && argv[1] === '-c' ? argv[2] : undefined;
  if (spawner !== undefined && script !== undefined) return spawner.run(script, start.slot, timeout, signal, settings.maxOutput);
  const onLine = opts.onLine;
  const splitters = settings.lineBuffer && onLine !== undefined
    ? { stdout: new LineSplitter((line) => onLine(line, 'stdout', start)), stderr: new LineSplitter((line) => onLine(line, 'stderr', start)) }
    : undefined;
  const attempt = await runAttempt({
    argv,
    timeout,
    signal,
    stdio: settings.ungroup ? 'inherit' : 'pipe',
    maxOutput: settings.maxOutput,
    onData: splitters === undefined ? undefined : (stream, chunk) => splitters[stream].push(chunk),
    cwd: opts.cwd,
    env: opts.env,
  });
  splitters?.stdout.end();
  splitters?.stderr.end();
  return attempt;
}

const NO_BYTES = new Uint8Array(0);

/** The `JobResult` of a job: from its last attempt, or a dry run's (no attempt). */
export function result(job: Job, slot: number, args: readonly string[], command: string, tag: string | undefined, attempt: AttemptResult | undefined, attempts: number): JobResult {
  return new JobResult({
    seq: job.seq,
    slot,
    args,
    command,
    exitCode: attempt?.exitCode ?? 0,
    signal: attempt?.signal ?? 0,
    timedOut: attempt?.timedOut ?? false,
    startTime: attempt?.startTime ?? Date.now(),
    runtime: attempt?.runtime ?? 0,
    attempts,
    stdoutBytes: attempt?.stdout ?? NO_BYTES,
    stderrBytes: attempt?.stderr ?? NO_BYTES,
    tag,
    error: attempt?.error,
  });
}
