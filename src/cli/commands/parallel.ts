/**
 * `loom parallel`: GNU parallel's command line over the `loom/parallel` engine. This file only
 * reads the command line (`parallel/args.ts`), opens the input files, prints what the engine
 * yields (`parallel/print.ts`, `parallel/progress.ts`) and turns the outcome into GNU's exit
 * status: the failed jobs (at most 101) or what `--halt` says; 255 for bad usage (one line on
 * stderr, nothing run) and after SIGINT/SIGTERM (every running job's process group killed, the
 * job log complete up to then).
 *
 * Standard input is the one thing read from `process` directly (`::::` `-`, or no source):
 * the command table gives commands no stream of their own.
 *
 * @module
 */

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { Command } from '../command.js';
import { HaltSpecError } from '../../parallel/halt.js';
import type { InputSource } from '../../parallel/inputs.js';
import { InputLimitError } from '../../parallel/limits.js';
import type { ParallelRunOptions } from '../../parallel/parallel.js';
import { parallel } from '../../parallel/parallel.js';
import { readArguments } from '../../parallel/read-arguments.js';
import { parseParallelArgs, ParallelUsageError, type ParallelArgs } from './parallel/args.js';
import { jsonLine, printGrouped, summaryLine, tagLines, type Write } from './parallel/print.js';
import { Progress } from './parallel/progress.js';

/** GNU parallel's status for bad usage and for an interrupted run. */
const ERROR_STATUS = 255;

/** Seconds with GNU's optional units (`1.5`, `2m`, `1h30m`), in milliseconds; `undefined` if malformed. */
export function parseSeconds(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!/^(\d+(\.\d+)?[dhms])+$/i.test(text)) return undefined;
  const unit: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };
  let ms = 0;
  for (const [, n, u] of text.matchAll(/(\d+(?:\.\d+)?)([dhms])/gi)) ms += Number(n) * (unit[(u as string).toLowerCase()] as number) * 1000;
  return ms;
}

function usage(message: string): never {
  throw new ParallelUsageError(message);
}

/** The engine's options for a parsed command line. */
function engineOptions(args: ParallelArgs): ParallelRunOptions {
  const { flags, values } = args;
  const timeout = values.get('timeout');
  const delay = values.get('delay');
  const retries = values.get('retries');
  const jobs = values.get('jobs');
  const timeoutMs = timeout === undefined || timeout.endsWith('%') ? timeout : parseSeconds(timeout);
  if (timeout !== undefined && (timeoutMs === undefined || (typeof timeoutMs === 'string' && !/^\d+(\.\d+)?%$/.test(timeoutMs)))) usage(`--timeout must be seconds or a percentage, got ${timeout}`);
  const delayMs = delay === undefined ? undefined : parseSeconds(delay);
  if (delay !== undefined && delayMs === undefined) usage(`--delay must be seconds, got ${delay}`);
  if (retries !== undefined && !/^\d+$/.test(retries)) usage(`--retries must be a whole number, got ${retries}`);
  if (jobs !== undefined && !/^[+-]?\d+(\.\d+)?%?$/.test(jobs)) usage('Parsing of --jobs/-j/--max-procs/-P failed.');
  const joblog = values.get('joblog');
  if ((flags.has('resume') || flags.has('resume-failed') || flags.has('retry-failed')) && joblog === undefined) usage('--resume, --resume-failed and --retry-failed need --joblog');
  return {
    jobs: jobs === undefined ? undefined : /^\d+$/.test(jobs) ? Number(jobs) : jobs,
    keepOrder: flags.has('keep-order'),
    ungroup: flags.has('ungroup'),
    lineBuffer: flags.has('line-buffer') && !flags.has('ungroup'),
    tag: flags.has('tag'),
    tagstring: values.get('tagstring'),
    halt: values.get('halt'),
    joblog,
    resume: flags.has('resume'),
    resumeFailed: flags.has('resume-failed'),
    retryFailed: flags.has('retry-failed'),
    retries: retries === undefined ? undefined : Number(retries),
    timeout: timeoutMs,
    delay: delayMs,
    dryRun: flags.has('dry-run'),
    colsep: values.get('colsep'),
  };
}

/** Opens every input source; an unreadable file is GNU's usage error, before anything runs. */
async function openSources(args: ParallelArgs, handles: FileHandle[]): Promise<{ sources: InputSource[]; total: number | undefined }> {
  const nul = args.flags.has('null');
  const specs = args.sources.length > 0 || args.flags.has('retry-failed') ? args.sources : [{ kind: 'file', path: '-', linked: false } as const];
  const sources: InputSource[] = [];
  for (const spec of specs) {
    if (spec.kind === 'values') {
      sources.push({ values: spec.values, linked: spec.linked });
      continue;
    }
    let stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array>;
    if (spec.path === '-') stream = process.stdin;
    else {
      const handle = await open(spec.path, 'r').catch((error: NodeJS.ErrnoException) => {
        usage(`Cannot open input file \`${spec.path}': ${error.code === 'ENOENT' ? 'No such file or directory' : error.message}.`);
      });
      handles.push(handle);
      stream = handle.createReadStream({ autoClose: false });
    }
    sources.push({ values: readArguments(stream as AsyncIterable<Uint8Array>, { null: nul, name: spec.path === '-' ? 'stdin' : spec.path }), linked: spec.linked });
  }
  // The number of jobs is known up front when every source is a list: combinations of groups, each group as long as its shortest member.
  let total: number | undefined = 1;
  let group: number | undefined;
  for (const spec of specs) {
    if (spec.kind !== 'values') total = undefined;
    else if (spec.linked && group !== undefined) group = Math.min(group, spec.values.length);
    else {
      if (total !== undefined && group !== undefined) total *= group;
      group = spec.values.length;
    }
  }
  return { sources, total: total === undefined || group === undefined ? undefined : total * group };
}

/** Runs one `loom parallel` command line; resolves to its exit status. */
async function runParallel(positionals: readonly string[], write: Write, err: (line: string) => void, signal: AbortSignal): Promise<number> {
  const handles: FileHandle[] = [];
  try {
    const args = parseParallelArgs(positionals);
    const opts = engineOptions(args);
    if (args.command.length === 0 && !args.flags.has('retry-failed')) usage('No command given: loom parallel runs a command for each argument (running the arguments themselves is not supported)');
    const { sources, total } = await openSources(args, handles);
    const json = args.flags.has('json');
    const progress = (args.flags.has('bar') || args.flags.has('eta')) && process.stderr.isTTY ? new Progress((text) => write('stderr', text)) : undefined;
    if (total !== undefined) progress?.setTotal(total);
    const runtimes: number[] = [];
    let retries = 0;
    const began = performance.now();
    const run = parallel(args.command.join(' '), sources, {
      ...opts,
      signal,
      onNotice: (lines) => err(lines.map((line, index) => (index === 0 || line.startsWith('Warning: ') ? `loom parallel: ${line}` : line)).join('\n')),
      onLine: (line, stream, job) => write(stream, tagLines(line, args.flags.has('tag') ? job.args.join(' ') : undefined)),
      ...(progress === undefined ? {} : { onStart: (job) => progress.started(job) }),
    });
    for await (const job of run) {
      runtimes.push(job.runtime);
      retries += job.attempts > 1 ? job.attempts - 1 : 0;
      progress?.finished(job);
      if (opts.dryRun === true) write('stdout', `${job.command}\n`);
      else if (json) write('stdout', `${jsonLine(job)}\n`);
      else if (opts.lineBuffer !== true) printGrouped(job, write);
    }
    progress?.end();
    if (args.flags.has('summary')) err(summaryLine(runtimes, run.failures, retries, performance.now() - began));
    return run.exitStatus ?? 0;
  } catch (error) {
    if (signal.aborted && error === signal.reason) return ERROR_STATUS;
    if (error instanceof ParallelUsageError || error instanceof HaltSpecError || error instanceof InputLimitError || error instanceof RangeError || error instanceof TypeError) {
      err(`loom parallel: Error: ${error.message}`);
      return ERROR_STATUS;
    }
    throw error;
  } finally {
    await Promise.all(handles.map((handle) => handle.close()));
  }
}

/**
 * The `parallel` command.
 *
 * @example
 * ```ts
 * const statuses: number[] = [];
 * await parallelCommand.run({ positionals: ['echo', ':::', 'a'], values: {}, out: console.log, err: console.error, signal: new AbortController().signal, setExitStatus: (status) => statuses.push(status) });
 * ```
 */
export const parallelCommand: Command = {
  name: 'parallel',
  usage: '[options] COMMAND [::: ARGS | :::+ ARGS | :::: FILE]...',
  summary: 'Runs a command for each argument, many at once, like GNU parallel (same output, exit status and job log).',
  details: [
    'Options: -j N|N%|+N|-N|0, -k, --group (default), --line-buffer, -u, --tag, --tagstring STR, -0, --colsep REGEX, '
      + '--halt never|soon,fail=N|now,fail=N|soon,fail=N%|now,success=N, --joblog FILE, --resume, --resume-failed, --retry-failed, '
      + '--retries N, --timeout SECS|N%, --delay SECS, --dry-run, --bar, --eta, --json, --summary.',
    'Replacement strings: {} {.} {/} {//} {/.} {#} {%} {n}; with none, the arguments are appended, each quoted for /bin/sh.',
    'Exit status: the number of failed jobs (at most 101), or as --halt says; 255 for bad usage or when interrupted.',
  ],
  options: {},
  rawArgs: true,
  interruptedStatus: ERROR_STATUS,
  async run({ positionals, out, err, signal, write, setExitStatus }) {
    const writer: Write = write ?? ((stream, data) => {
      const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
      for (const line of text.replace(/\n$/, '').split('\n')) (stream === 'stdout' ? out : err)(line);
    });
    setExitStatus?.(await runParallel(positionals, writer, err, signal));
  },
};
