/**
 * `JobResult`: what one finished job reports, in GNU's terms (the job log's columns) plus its
 * output. Output is kept as bytes and decoded only when asked for, so a CLI passing binary
 * output through never round-trips it through UTF-8.
 *
 * @module
 */

/** The fields a {@link JobResult} is built from: its own, less what it derives from them. */
export type JobFields = Omit<JobResult, 'ok' | 'stdout' | 'stderr'>;

/**
 * One finished job.
 *
 * @example
 * ```ts
 * import { parallel } from 'loom/parallel';
 * for await (const job of parallel('echo {}', [['a', 'b']], { keepOrder: true })) {
 *   console.log(job.seq, job.ok, job.stdout); // 1 true 'a\n', then 2 true 'b\n'
 * }
 * ```
 */
export class JobResult {
  /** The job's sequence number (`{#}`), from 1, in input order. */
  readonly seq: number;
  /** The job slot it ran in (`{%}`), from 1. */
  readonly slot: number;
  /** Its arguments (after `colsep` splitting); empty for `retryFailed` jobs, which rerun a logged command. */
  readonly args: readonly string[];
  /** The command as run: the shell command line, or the argv of a function command, quoted and joined. */
  readonly command: string;
  /** GNU's Exitval: the exit code; -1 when it timed out; 0 when a signal killed it. */
  readonly exitCode: number;
  /** The signal that killed it (15 after a timeout), 0 for none. */
  readonly signal: number;
  /** True when `timeout` killed it. */
  readonly timedOut: boolean;
  /** When its last attempt started, in milliseconds since the epoch. */
  readonly startTime: number;
  /** How long its last attempt ran, in milliseconds. */
  readonly runtime: number;
  /** Attempts made (1 unless `retries` made more). Only the last attempt's output is kept. */
  readonly attempts: number;
  /** Its standard output, as bytes. */
  readonly stdoutBytes: Uint8Array;
  /** Its standard error, as bytes. */
  readonly stderrBytes: Uint8Array;
  /** The `--tag` / `--tagstring` prefix of its output lines, when asked for. */
  readonly tag: string | undefined;
  /** Why it was killed, when loom killed it for its output (`OutputLimitError`). */
  readonly error: Error | undefined;

  /** @internal Results are made by the engine; a user reads them. */
  constructor(fields: JobFields) {
    this.seq = fields.seq;
    this.slot = fields.slot;
    this.args = fields.args;
    this.command = fields.command;
    this.exitCode = fields.exitCode;
    this.signal = fields.signal;
    this.timedOut = fields.timedOut;
    this.startTime = fields.startTime;
    this.runtime = fields.runtime;
    this.attempts = fields.attempts;
    this.stdoutBytes = fields.stdoutBytes;
    this.stderrBytes = fields.stderrBytes;
    this.tag = fields.tag;
    this.error = fields.error;
  }

  /** True when it exited 0 and no signal killed it. */
  get ok(): boolean {
    return this.exitCode === 0 && this.signal === 0;
  }

  /** Its standard output, decoded as UTF-8. */
  get stdout(): string {
    return Buffer.from(this.stdoutBytes.buffer, this.stdoutBytes.byteOffset, this.stdoutBytes.byteLength).toString('utf8');
  }

  /** Its standard error, decoded as UTF-8. */
  get stderr(): string {
    return Buffer.from(this.stderrBytes.buffer, this.stderrBytes.byteOffset, this.stderrBytes.byteLength).toString('utf8');
  }
}
