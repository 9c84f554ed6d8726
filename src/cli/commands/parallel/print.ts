/**
 * How `loom parallel` prints a finished job, as GNU parallel does: `--group` (the default)
 * writes a job's whole stdout, then its whole stderr, when it ends, so two jobs never
 * interleave; `--tag`/`--tagstring` prefix every line with the tag and a tab (a last line
 * without a newline too, and it stays without one); `--json` writes one object per job instead;
 * `--dry-run` writes the command.
 *
 * @module
 */

import type { JobResult } from '../../../parallel/result.js';

/** Writes bytes to one of the two streams. */
export type Write = (stream: 'stdout' | 'stderr', data: string | Uint8Array) => void;

/** `data` with `tag` and a tab before each of its lines. */
export function tagLines(data: Uint8Array, tag: string | undefined): string | Uint8Array {
  if (tag === undefined || data.length === 0) return data;
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  const lines = text.split('\n');
  const last = lines.pop() as string;
  return lines.map((line) => `${tag}\t${line}\n`).join('') + (last === '' ? '' : `${tag}\t${last}`);
}

/** Prints one job's output as `--group` does. */
export function printGrouped(job: JobResult, write: Write): void {
  if (job.stdoutBytes.length > 0) write('stdout', tagLines(job.stdoutBytes, job.tag));
  if (job.stderrBytes.length > 0) write('stderr', tagLines(job.stderrBytes, job.tag));
}

/** One `--json` line (no newline). */
export function jsonLine(job: JobResult): string {
  return JSON.stringify({
    seq: job.seq,
    command: job.command,
    args: job.args,
    exitCode: job.exitCode,
    signal: job.signal,
    start: job.startTime / 1000,
    runtime: job.runtime / 1000,
    stdout: job.stdout,
    stderr: job.stderr,
  });
}

/** The `--summary` line: jobs, failures, retries, total and p50/p95/max runtime in seconds. */
export function summaryLine(runtimes: readonly number[], failures: number, retries: number, elapsed: number): string {
  const sorted = [...runtimes].sort((a, b) => a - b);
  const at = (q: number): string => ((sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0) / 1000).toFixed(3);
  return `loom parallel: ${sorted.length} jobs, ${failures} failed, ${retries} retries, ${(elapsed / 1000).toFixed(3)} s total; runtime p50 ${at(0.5)} s, p95 ${at(0.95)} s, max ${at(1)} s`;
}
