/**
 * `--resume`, `--resume-failed` and `--retry-failed`: which jobs a run skips or reruns, decided
 * from the job log of an earlier run (GNU parallel 20221122, measured):
 *
 * - `resume`: every sequence number the log has is skipped, whatever its outcome.
 * - `resumeFailed`: a sequence number whose last log line succeeded is skipped; failed and
 *   unlogged ones run (with the current command and inputs).
 * - `retryFailed`: the inputs and the command are ignored; the command of every sequence
 *   number whose last log line failed runs again, once, in sequence order, under its old number.
 *
 * The log is appended to in all three cases. A job interrupted before it finished has no line
 * (GNU writes a line when a job ends), so it runs again.
 *
 * @module
 */

import { failed } from './halt.js';
import type { JoblogEntry } from './joblog.js';

/** What an earlier run's log says about each sequence number: its last line. */
export function lastEntries(entries: readonly JoblogEntry[]): Map<number, JoblogEntry> {
  const last = new Map<number, JoblogEntry>();
  for (const entry of entries) last.set(entry.seq, entry);
  return last;
}

/**
 * True when job `seq` is skipped under `mode`.
 *
 * @example
 * ```ts
 * const log = lastEntries([{ seq: 1, startTime: 0, runtime: 0, receive: 0, exitCode: 1, signal: 0, command: 'false' }]);
 * skipped(1, 'all', log); // true
 * skipped(1, 'failed', log); // false
 * ```
 */
export function skipped(seq: number, mode: 'none' | 'all' | 'failed', log: ReadonlyMap<number, JoblogEntry>): boolean {
  if (mode === 'none') return false;
  const entry = log.get(seq);
  if (entry === undefined) return false;
  return mode === 'all' || !failed(entry);
}

/** The jobs `retryFailed` reruns: the failed sequence numbers' commands, in sequence order. */
export function failedEntries(log: ReadonlyMap<number, JoblogEntry>): JoblogEntry[] {
  return [...log.values()].filter((entry) => failed(entry)).sort((a, b) => a.seq - b.seq);
}
