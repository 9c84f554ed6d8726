/**
 * One attempt of one job: start it in its own process group (loom/subprocess, `group: true`,
 * as GNU parallel starts every job in its own group), collect its output, and end it.
 *
 * How it ends, and what the job log then says (GNU's conventions):
 * - It exits: its exit code, signal 0; killed by a signal: exit code 0 and the signal.
 * - `timeout` elapses: the group is sent SIGTERM (SIGKILL 200 ms later if still alive, GNU's
 *   `--termseq` in short); exit code -1, signal 15; the output so far is kept.
 * - `signal` aborts (`--halt now`, Ctrl-C): the group is killed the same way and the attempt
 *   rejects with the reason: the caller drops it, as GNU drops the jobs it kills.
 * - More than `maxOutput` bytes on one stream: the group is killed (so the job fails, by
 *   its signal) and the result carries an `OutputLimitError`; the output kept stops at the bound.
 *
 * Once the job's own process has exited, what is left of its group (a `cmd &` that outlived
 * it) is killed too: loom leaves no orphan, and the pipes then reach end-of-file at once, so
 * every byte the job wrote is read. GNU instead lets such processes run on.
 *
 * @module
 */

import type { Readable } from 'node:stream';
import { spawn } from '../subprocess/process/spawn.js';
import type { Subprocess } from '../subprocess/process/subprocess.js';
import { TimeoutExpired } from '../subprocess/results/errors.js';
import { constants } from 'node:os';

/** How to run one attempt. */
export interface AttemptSpec {
  readonly argv: readonly string[];
  /** Milliseconds before the job is killed; `undefined` for none. */
  readonly timeout: number | undefined;
  readonly signal: AbortSignal;
  /** `'pipe'` collects output; `'inherit'` lets the job write to this process's stdout and stderr directly (`-u`). */
  readonly stdio: 'pipe' | 'inherit';
  readonly maxOutput: number;
  /** Receives output as it arrives (for `--line-buffer`), besides the collection. */
  readonly onData?: ((stream: 'stdout' | 'stderr', chunk: Buffer) => void) | undefined;
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** What one attempt did. */
export interface AttemptResult {
  /** GNU's Exitval: the exit code, -1 when timed out, 0 when killed by a signal. */
  readonly exitCode: number;
  /** The signal that ended it, 0 for none. */
  readonly signal: number;
  readonly timedOut: boolean;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** Milliseconds since the epoch. */
  readonly startTime: number;
  /** Milliseconds. */
  readonly runtime: number;
  /** Set when the job was killed for writing more than `maxOutput` bytes; it counts as failed. */
  readonly error?: OutputLimitError;
}

/** A job wrote more than `maxOutput` bytes to one stream. */
export class OutputLimitError extends Error {
  /** Always `'OutputLimitError'`. */
  override name = 'OutputLimitError';
}

/** GNU's termseq, shortened: SIGTERM, then SIGKILL if the group is still there after this long (every way of starting a job). */
export const FORCE_KILL_AFTER = 200;

/** Runs one attempt; see the module comment. Rejects with `signal.reason` when aborted. */
export async function runAttempt(spec: AttemptSpec): Promise<AttemptResult> {
  spec.signal.throwIfAborted();
  const startTime = Date.now();
  const started = performance.now();
  const proc: Subprocess<'buffer'> = spawn(spec.argv, {
    group: true,
    stdin: 'ignore',
    stdout: spec.stdio,
    stderr: spec.stdio,
    encoding: 'buffer',
    forceKillAfter: FORCE_KILL_AFTER,
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
    ...(spec.env === undefined ? {} : { env: spec.env }),
  });
  let overflow: OutputLimitError | undefined;
  const onOverflow = (error: OutputLimitError): void => {
    if (overflow !== undefined) return;
    overflow = error;
    void proc[Symbol.asyncDispose]();
  };
  const stdout = collect(proc.stdout, 'stdout', spec, onOverflow);
  const stderr = collect(proc.stderr, 'stderr', spec, onOverflow);
  let timedOut = false;
  let returncode: number;
  try {
    returncode = await proc.wait({ signal: spec.signal, ...(spec.timeout === undefined ? {} : { timeout: spec.timeout }) });
  } catch (error) {
    if (!(error instanceof TimeoutExpired)) {
      await proc[Symbol.asyncDispose]();
      throw error;
    }
    timedOut = true;
    await proc[Symbol.asyncDispose]();
    returncode = -constants.signals.SIGTERM;
  }
  const pid = proc.pid;
  if (pid !== undefined) killGroup(pid);
  await Promise.all([stdout.done, stderr.done]);
  await proc[Symbol.asyncDispose]();
  const runtime = performance.now() - started;
  return {
    exitCode: timedOut ? -1 : returncode >= 0 ? returncode : 0,
    signal: timedOut ? constants.signals.SIGTERM : returncode < 0 ? -returncode : 0,
    timedOut,
    stdout: stdout.bytes(),
    stderr: stderr.bytes(),
    startTime,
    runtime,
    ...(overflow === undefined ? {} : { error: overflow }),
  };
}

/** Kills what is left of a finished job's group; ESRCH (nobody left) is the common case. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH' && (error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

interface Collected {
  readonly done: Promise<void>;
  bytes(): Buffer;
}

const EMPTY: Collected = { done: Promise.resolve(), bytes: () => Buffer.alloc(0) };

function collect(stream: Readable | undefined, name: 'stdout' | 'stderr', spec: AttemptSpec, overflow: (error: OutputLimitError) => void): Collected {
  if (stream === undefined) return EMPTY;
  const chunks: Buffer[] = [];
  let size = 0;
  const done = new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      const room = spec.maxOutput - size;
      size += chunk.length;
      if (size > spec.maxOutput) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        overflow(new OutputLimitError(`Job wrote more than maxOutput (${spec.maxOutput} bytes) to ${name}: ${spec.argv.join(' ')}`));
        return;
      }
      chunks.push(chunk);
      spec.onData?.(name, chunk);
    });
    stream.once('close', resolve);
    stream.once('end', resolve);
  });
  return { done, bytes: () => (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)) };
}
