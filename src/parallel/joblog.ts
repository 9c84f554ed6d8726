/**
 * The job log, in GNU parallel's exact format: a header line, then one tab-separated line per
 * finished job, written when it finishes (so the file is complete up to any moment):
 *
 *     Seq	Host	Starttime	JobRuntime	Send	Receive	Exitval	Signal	Command
 *     1	:	1796246213.630	     0.000	0	2	0	0	echo 0; exit 0
 *
 * `Host` is `:` (this machine), `Starttime` seconds since the epoch with 3 decimals,
 * `JobRuntime` seconds with 3 decimals right-aligned in 10 characters, `Send` the bytes sent to
 * the job's stdin (always 0 here), `Receive` the bytes of its stdout, `Exitval` its exit code
 * (-1 when it timed out, 0 when a signal killed it), `Signal` the signal (0 for none), then the
 * command as run. A command with a newline (an argument holding one) stays on its line only in
 * GNU's reading sense: GNU writes it raw too, and so does this file.
 *
 * Reading (for `--resume` and `--retry-failed`) is bounded: the file is read in chunks, a line
 * longer than `maxLineLength` fails with an `InputLimitError`, and lines that do not parse are
 * skipped, as GNU skips them. Memory: the entries kept (seq, exit, signal, command).
 *
 * @module
 */

import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { InputLimitError } from './limits.js';
import { readArguments } from './read-arguments.js';

/** The header GNU writes first. */
export const JOBLOG_HEADER = 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand';

/** One line of a job log. */
export interface JoblogEntry {
  /** The job's sequence number (`Seq`). */
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly startTime: number;
  /** Milliseconds. */
  readonly runtime: number;
  /** Bytes of standard output (`Receive`). */
  readonly receive: number;
  /** GNU's `Exitval`: the exit code, -1 after a timeout, 0 when a signal killed the job. */
  readonly exitCode: number;
  /** The signal that killed the job (`Signal`), 0 for none. */
  readonly signal: number;
  /** The command as it ran (`Command`). */
  readonly command: string;
}

/**
 * One job log line (without its newline).
 *
 * @example
 * ```ts
 * import { formatJoblogLine } from 'loom/parallel';
 * formatJoblogLine({ seq: 1, startTime: 1796246213630, runtime: 2, receive: 2, exitCode: 0, signal: 0, command: 'echo 0' });
 * // '1\t:\t1796246213.630\t     0.002\t0\t2\t0\t0\techo 0'
 * ```
 */
export function formatJoblogLine(entry: JoblogEntry): string {
  const start = (entry.startTime / 1000).toFixed(3);
  const runtime = (entry.runtime / 1000).toFixed(3).padStart(10);
  return `${entry.seq}\t:\t${start}\t${runtime}\t0\t${entry.receive}\t${entry.exitCode}\t${entry.signal}\t${entry.command}`;
}

const LINE = /^(\d+)\t[^\t]*\t(\d+(?:\.\d+)?)\t\s*(-?\d+(?:\.\d+)?)\t\d+\t(\d+)\t(-?\d+)\t(\d+)\t([^]*)$/;

/** Parses one job log line; `undefined` for the header and for lines that do not parse. */
export function parseJoblogLine(line: string): JoblogEntry | undefined {
  const match = LINE.exec(line);
  if (match === null) return undefined;
  const [, seq, start, runtime, receive, exitCode, signal, command] = match as unknown as [string, string, string, string, string, string, string, string];
  return {
    seq: Number(seq),
    startTime: Math.round(Number(start) * 1000),
    runtime: Math.round(Number(runtime) * 1000),
    receive: Number(receive),
    exitCode: Number(exitCode),
    signal: Number(signal),
    command,
  };
}

/**
 * The entries of the job log at `path`, in file order; none when it does not exist.
 *
 * @example
 * ```ts no-run
 * import { readJoblog } from 'loom/parallel';
 * const done = (await readJoblog('jobs.log')).filter((entry) => entry.exitCode === 0);
 * ```
 */
export async function readJoblog(path: string, maxLineLength = 1_048_576): Promise<JoblogEntry[]> {
  const entries: JoblogEntry[] = [];
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return entries;
    throw error;
  }
  const stream = handle.createReadStream();
  try {
    for await (const line of readArguments(stream, { maxArgLength: maxLineLength, name: `job log ${path}` })) {
      const entry = parseJoblogLine(line);
      if (entry !== undefined) entries.push(entry);
    }
  } catch (error) {
    if (error instanceof InputLimitError) throw new InputLimitError(`Job log ${path} has a line longer than ${maxLineLength} characters`);
    throw error;
  } finally {
    stream.destroy();
  }
  return entries;
}

/**
 * Appends job log lines to a file, each with one synchronous `write` the moment its job
 * finishes, so a run interrupted at any point (Ctrl-C, a crash of this process after the line)
 * leaves a log complete up to that point and in finishing order. A line is about 100 bytes: a
 * synchronous write costs microseconds, less than the job it records. Opened fresh (truncated,
 * header written) or, to resume, appended to (header written only if the file is empty).
 */
export class JoblogWriter implements Disposable {
  #fd: number | undefined;

  /** Opens `path`; `append` keeps its lines (resume), else it starts over with the header. */
  constructor(path: string, append: boolean) {
    const fd = openSync(path, append ? 'a' : 'w');
    this.#fd = fd;
    if (fstatSync(fd).size === 0) writeSync(fd, `${JOBLOG_HEADER}\n`);
  }

  /** Appends one line. */
  write(entry: JoblogEntry): void {
    if (this.#fd !== undefined) writeSync(this.#fd, `${formatJoblogLine(entry)}\n`);
  }

  /** Closes the file. Idempotent. */
  [Symbol.dispose](): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
