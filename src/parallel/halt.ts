/**
 * `--halt`: when to stop, and the exit status, following GNU parallel 20221122's source
 * (`parse_halt`, `should_we_halt`, `halt`) and its measured behaviour:
 *
 * - Spec: `never`, `soon|now,fail|success|done=N|N%`; the short forms `0` (never), `1`
 *   (soon,fail=1), `2` (now,fail=1), `-1` (soon,success=1), `-2` (now,success=1) and `N%`
 *   (soon,fail=N%).
 * - The condition is met when the count of failed (succeeded, finished) jobs reaches N, or N%
 *   of all the jobs. `soon` starts nothing new and lets the running jobs finish; `now` kills them
 *   and drops their output.
 * - Exit status once met: with `fail=1` (or `done=1`) the status of the job that met it (its
 *   exit code, else 128 + its signal); with `fail=N` the failures so far (at most 101); with
 *   `fail=N%` the failures as a percentage of all jobs, rounded up; with `success` 0.
 * - Without halt, or a halt never met: the number of failed jobs, at most 101 (for an unmet `%`
 *   spec: the failures as a percentage of the jobs started, rounded up).
 *
 * A job fails when it exits non-zero or is killed by a signal (a timed-out job included).
 *
 * @module
 */

/** A parsed `--halt` spec. */
export interface HaltSpec {
  /** `never` runs everything; `soon` starts nothing new and lets running jobs finish; `now` also kills them. */
  readonly when: 'never' | 'soon' | 'now';
  /** What is counted against `threshold`: failed, succeeded or finished jobs. */
  readonly on: 'fail' | 'success' | 'done';
  /** A count (`fail=3`) or, with `percent`, a percentage (`fail=30%`). */
  readonly threshold: number;
  /** `threshold` is a percentage of all jobs. */
  readonly percent: boolean;
}

const NEVER: HaltSpec = { when: 'never', on: 'fail', threshold: 0, percent: false };

const SHORT: Readonly<Record<string, string>> = { '0': 'never', '1': 'soon,fail=1', '2': 'now,fail=1', '-1': 'soon,success=1', '-2': 'now,success=1' };

/** A `--halt` spec that cannot be parsed. The message is GNU's. */
export class HaltSpecError extends Error {
  /** Always `'HaltSpecError'`. */
  override name = 'HaltSpecError';
}

/**
 * Parses a `--halt` spec; throws {@link HaltSpecError} with GNU's message for a bad one.
 *
 * @example
 * ```ts
 * import { parseHalt } from 'loom/parallel';
 * parseHalt('now,fail=1'); // { when: 'now', on: 'fail', threshold: 1, percent: false }
 * ```
 */
export function parseHalt(spec: string): HaltSpec {
  let text = SHORT[spec] ?? spec;
  if (/^\d+%$/.test(text)) text = `soon,fail=${text}`;
  const [when, on, amount] = text.split(/[,=]/);
  if (when !== 'never' && when !== 'soon' && when !== 'now') throw new HaltSpecError("--halt must have 'never', 'soon', or 'now'.");
  if (when === 'never') return NEVER;
  if (on !== 'fail' && on !== 'success' && on !== 'done') throw new HaltSpecError(`--halt ${when} must be followed by ,success or ,fail.`);
  const match = /^(\d+)(%?)$/.exec(amount ?? '');
  if (match === null) throw new HaltSpecError(`--halt ${when},${on} must be followed by ,number or ,percent%.`);
  return { when, on, threshold: Number(match[1]), percent: match[2] === '%' };
}

/** What a finished job tells the policy. */
export interface Outcome {
  /** Exit code as the job log has it (`-1` for a timed-out job, 0 when a signal killed it). */
  readonly exitCode: number;
  /** The signal that killed it, 0 for none. */
  readonly signal: number;
}

/** True when a job with this outcome failed, as GNU counts failures. */
export function failed(outcome: Outcome): boolean {
  return outcome.exitCode !== 0 || outcome.signal !== 0;
}

/**
 * Counts outcomes and decides when to halt and with what status. `total()` is asked only for a
 * percentage spec, once, when the first job that counts toward it finishes (GNU reads the whole
 * input for `%` specs for the same reason).
 */
export class HaltPolicy {
  readonly spec: HaltSpec;
  #failed = 0;
  #succeeded = 0;
  #finished = 0;
  #started = 0;
  #limit: number | undefined;
  /** Set once the condition is met: the exit status the run ends with. */
  #status: number | undefined;
  #met: 'soon' | 'now' | undefined;

  constructor(spec: HaltSpec = NEVER) {
    this.spec = spec;
  }

  /** Jobs that failed so far. */
  get failures(): number {
    return this.#failed;
  }

  /** `'soon'` or `'now'` once the condition is met, else `undefined`. */
  get halted(): 'soon' | 'now' | undefined {
    return this.#met;
  }

  /** Counts a job start (for the unmet-percentage exit status). */
  started(): void {
    this.#started++;
  }

  /**
   * Counts a finished job; returns `'soon'` or `'now'` when this outcome meets the condition
   * (only the first time), else `undefined`.
   */
  record(outcome: Outcome, total: () => number): 'soon' | 'now' | undefined {
    const bad = failed(outcome);
    this.#finished++;
    if (bad) this.#failed++;
    else this.#succeeded++;
    const { when, on, threshold, percent } = this.spec;
    if (when === 'never' || this.#met !== undefined) return undefined;
    let count: number;
    if (on === 'fail' && bad) count = this.#failed;
    else if (on === 'success' && !bad) count = this.#succeeded;
    else if (on === 'done') count = this.#finished;
    else return undefined;
    this.#limit ??= percent ? (total() * threshold) / 100 : threshold;
    if (count < this.#limit) return undefined;
    if (on === 'success') this.#status = 0;
    else if (!percent && threshold === 1) this.#status = outcome.exitCode !== 0 ? outcome.exitCode : outcome.signal === 0 ? 0 : 128 + outcome.signal;
    else if (percent) this.#status = Math.ceil((this.#failed / total()) * 100);
    else this.#status = Math.min(this.#failed, 101);
    this.#met = when;
    return when;
  }

  /** The exit status of the whole run, GNU's (see the module comment). */
  exitStatus(): number {
    if (this.#status !== undefined) return this.#status;
    if (this.spec.when !== 'never' && this.spec.percent) return Math.ceil((this.#failed / (this.#started || 1)) * 100);
    return Math.min(this.#failed, 101);
  }
}
