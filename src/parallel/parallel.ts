/**
 * `parallel(command, inputs, opts)`: GNU parallel as a library. Validates everything up
 * front (bad arguments throw synchronously), then returns a {@link ParallelRun}, an async
 * iterable that starts the jobs when iterated.
 *
 * @module
 */

import { InvalidStateError } from '../core/errors.js';
import { expectation } from '../core/validate.js';
import { HaltPolicy } from './halt.js';
import { isInputSource, type InputSource } from './inputs.js';
import type { RunPlan } from './job.js';
import { checkParallelOptions, type ParallelOptions } from './options.js';
import type { JobResult } from './result.js';
import { schedule } from './schedule.js';
import { parseTemplate } from './template.js';

/** A command: a template run by `/bin/sh -c`, or a function from a job's arguments to the argv it runs without a shell. */
export type ParallelCommand = string | ((args: readonly string[]) => readonly string[]);

/**
 * One run of jobs: iterate it (once) for the `JobResult`s; afterwards `exitStatus` is the
 * status GNU parallel would exit with.
 *
 * @example
 * ```ts
 * import { parallel } from 'loom/parallel';
 * const run = parallel('test {} -gt 2', [['1', '2', '3', '4']], { jobs: 2 });
 * for await (const job of run) if (!job.ok) console.log(`job ${job.seq} failed`);
 * console.log(run.exitStatus); // 2: two jobs failed
 * ```
 */
export class ParallelRun implements AsyncIterable<JobResult> {
  readonly #plan: RunPlan;
  #iterated = false;
  #finished = false;

  /** @internal Use {@link parallel}. */
  constructor(plan: RunPlan) {
    this.#plan = plan;
  }

  /**
   * GNU parallel's exit status once the iteration finished (`undefined` before): the failed
   * jobs (at most 101), or what `halt` says (see `halt.ts`). An aborted run has none here; the
   * CLI exits 255 then, as GNU does on SIGINT/SIGTERM.
   */
  get exitStatus(): number | undefined {
    return this.#finished ? this.#plan.policy.exitStatus() : undefined;
  }

  /** Failed jobs so far (non-zero exit, killed by a signal, timed out). */
  get failures(): number {
    return this.#plan.policy.failures;
  }

  /** `'soon'` or `'now'` once the halt condition was met. */
  get halted(): 'soon' | 'now' | undefined {
    return this.#plan.policy.halted;
  }

  /** Starts the run. A run can be iterated once; a second iteration throws `InvalidStateError`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<JobResult, void, undefined> {
    if (this.#iterated) throw new InvalidStateError('A parallel run can be iterated only once');
    this.#iterated = true;
    yield* schedule(this.#plan);
    this.#finished = true;
  }
}

/** Options of {@link parallel} beyond GNU's: where GNU's status lines go. */
export interface ParallelRunOptions extends ParallelOptions {
  /** Receives GNU's status lines (`This job failed:` and the command, under `halt`; timeouts). Default: dropped. */
  readonly onNotice?: ((lines: readonly string[]) => void) | undefined;
}

/**
 * Runs `command` once per combination of `inputs`' values, like GNU parallel: at most `jobs`
 * at once, each argument quoted for the shell, results in completion order (input order with
 * `keepOrder`). Nothing runs until the returned {@link ParallelRun} is iterated.
 *
 * - `command` a string: a template with GNU's replacement strings (`{}`, `{.}`, `{/}`, `{//}`,
 *   `{/.}`, `{#}`, `{%}`, `{n}`...), run by `/bin/sh -c`; with none, the arguments are appended.
 * - `command` a function: it gets each job's arguments and returns the argv to run, no shell.
 * - `inputs`: one array (or iterable, or async iterable) per input source; several give every
 *   combination, `{ values, linked: true }` pairs a source with the previous one (`:::+`).
 *
 * Bad arguments throw `TypeError`/`RangeError` synchronously.
 *
 * @example
 * ```ts
 * import { parallel } from 'loom/parallel';
 * for await (const job of parallel('echo {1}-{2}', [['a', 'b'], ['1', '2']], { keepOrder: true })) {
 *   process.stdout.write(job.stdout); // a-1, a-2, b-1, b-2
 * }
 * ```
 */
export function parallel(command: ParallelCommand, inputs: readonly InputSource[], opts?: ParallelRunOptions): ParallelRun {
  if (typeof command !== 'string' && typeof command !== 'function') throw new TypeError(expectation('command', 'a string or a function', command));
  if (!Array.isArray(inputs)) throw new TypeError(expectation('inputs', 'an array of input sources', inputs));
  inputs.forEach((source: unknown, index) => {
    if (!isInputSource(source)) throw new TypeError(expectation(`inputs[${index}]`, 'an iterable or async iterable of strings', source));
  });
  const settings = checkParallelOptions(opts);
  if (opts?.onNotice !== undefined && typeof opts.onNotice !== 'function') throw new TypeError(expectation('onNotice', 'a function', opts.onNotice));
  if (settings.lineBuffer && opts?.onLine === undefined) throw new TypeError('Expected `onLine` with `lineBuffer`');
  const notice = opts?.onNotice ?? (() => undefined);
  return new ParallelRun({
    command: typeof command === 'string' ? { template: parseTemplate(command) } : { fn: command },
    inputs,
    settings,
    opts: opts ?? {},
    tagTemplate: opts?.tagstring === undefined ? undefined : parseTemplate(opts.tagstring),
    policy: new HaltPolicy(settings.halt),
    notice,
  });
}
