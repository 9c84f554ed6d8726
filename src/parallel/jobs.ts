/**
 * `-j`: how many jobs run at once, GNU parallel's forms: `N`, `N%` of the CPU threads, `+N`
 * and `-N` added to them, `0` for as many as possible. The CPU count is Node's
 * `os.availableParallelism()`, what GNU counts by default (threads, not cores). A form that
 * gives fewer than 1 (`-5` on 2 CPUs) is an error, GNU's "Cannot run any jobs"; `0` gives
 * {@link MAX_JOBS}.
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { expectation } from '../core/validate.js';

/**
 * What `-j 0` means: "as many as possible" is bounded here by the processes one user may
 * reasonably fork at once (each job holds two pipes); GNU bounds it by free file handles.
 */
export const MAX_JOBS = 1024;

/**
 * The number of jobs at once for a `-j` value (a number, or GNU's string forms).
 *
 * @example
 * ```ts
 * resolveJobs('50%', 8); // 4
 * resolveJobs('+2', 8); // 10
 * ```
 */
export function resolveJobs(jobs: number | string | undefined, cpus: number = availableParallelism()): number {
  if (jobs === undefined) return cpus;
  const expected = 'N, N%, +N, -N or 0 (N an integer >= 0)';
  if (typeof jobs === 'number') {
    if (!Number.isInteger(jobs) || jobs < 0) throw new RangeError(expectation('jobs', expected, jobs));
    return jobs === 0 ? MAX_JOBS : jobs;
  }
  if (typeof jobs !== 'string') throw new TypeError(expectation('jobs', expected, jobs));
  const match = /^([+-]?)(\d+(?:\.\d+)?)(%?)$/.exec(jobs);
  if (match === null) throw new RangeError(expectation('jobs', expected, jobs));
  const [, sign, digits, percent] = match as unknown as [string, string, string, string];
  const n = Number(digits);
  let count: number;
  if (percent === '%') count = Math.floor((cpus * n) / 100);
  else if (sign === '+') count = cpus + n;
  else if (sign === '-') count = cpus - n;
  else if (!Number.isInteger(n)) throw new RangeError(expectation('jobs', expected, jobs));
  else count = n === 0 ? MAX_JOBS : n;
  count = Math.floor(count);
  if (count < 1) throw new RangeError(`Cannot run any jobs: -j ${jobs} with ${cpus} CPUs gives ${count}`);
  return Math.min(count, MAX_JOBS);
}
