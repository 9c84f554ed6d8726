/**
 * The run: jobs from the inputs (or the job log), started at most `jobs` at a time on
 * loom/tasks' `mapIter` (completion order; `keepOrder` reorders here), each in the lowest free
 * slot (`{%}`), with the halt policy consulted as each job ends.
 *
 * Stopping, and why it is shaped so:
 * - `halt soon` (and an exhausted input) stop the source: `mapIter` pulls a new job only when
 *   a slot frees, and the policy decides inside the finished job's call, before the slot frees,
 *   so no job starts after the decision.
 * - `halt now` and the caller's `signal` abort `stop`, which every attempt watches: the running
 *   process groups are killed, their calls return a `Dropped` marker (GNU prints nothing of the jobs it
 *   kills and logs no line for them), and the iteration ends once they are reaped. The caller's
 *   abort then throws its reason.
 * - A consumer that stops iterating closes `mapIter`, which aborts each call's own signal: the
 *   same kill, and the generator's `finally` closes the job log.
 *
 * `keepOrder` holds finished results until every earlier job was yielded (or dropped). Like
 * GNU's `-k`, that buffer is not bounded by `jobs`: one slow first job lets the others run on.
 * Each held result's output is bounded by `maxOutput`. As GNU's `-k` does, the job log gets a
 * job's line when the job is yielded (printed), so its lines are in input order too, and a run
 * interrupted while results were held logs none of them: a resume runs them again.
 *
 * @module
 */

import { mapIter } from '../tasks/map-iter.js';
import { sleep } from '../tasks/sleep.js';
import { unwatchAbort, watchAbort } from '../core/abort-watch.js';
import type { AttemptResult } from './attempt.js';
import { failed } from './halt.js';
import { attemptOnce, commandFor, fromInputs, result, timeoutNow, usesSpawner, type Job, type RunPlan } from './job.js';
import { JoblogWriter, readJoblog, type JoblogEntry } from './joblog.js';
import { splitColumns } from './inputs.js';
import type { JobStart } from './options.js';
import { JobResult } from './result.js';
import { failedEntries, lastEntries } from './resume.js';
import { AnySignal } from './signals.js';
import { ShellSpawner } from './spawner.js';
import { expandTemplate } from './template.js';

/** A job killed by `halt now`, the caller's signal or the consumer's stop: nothing of it is reported. */
interface Dropped {
  readonly dropped: number;
}

/** Lowest-first free slot numbers. */
class Slots {
  readonly #free: number[] = [];
  #next = 1;

  take(): number {
    if (this.#free.length === 0) return this.#next++;
    let low = 0;
    for (let i = 1; i < this.#free.length; i++) if ((this.#free[i] as number) < (this.#free[low] as number)) low = i;
    // `as`: the index is in range.
    const slot = this.#free[low] as number;
    this.#free[low] = this.#free.at(-1) as number;
    this.#free.pop();
    return slot;
  }

  give(slot: number): void {
    this.#free.push(slot);
  }
}

function insertSorted(sorted: number[], value: number): void {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  sorted.splice(low, 0, value);
}

/** Runs `plan`, yielding each finished job; see the module comment. */
export async function* schedule(plan: RunPlan): AsyncGenerator<JobResult, void, undefined> {
  const { settings, opts, policy } = plan;
  const signal = opts.signal;
  signal?.throwIfAborted();
  const log = settings.resume === 'none' || opts.joblog === undefined ? new Map() : lastEntries(await readJoblog(opts.joblog));
  let jobs: AsyncIterable<Job> | Iterable<Job> =
    settings.resume === 'retry' ? failedEntries(log).map((entry) => ({ seq: entry.seq, args: [], command: entry.command })) : fromInputs(plan, log);
  let total = Infinity;
  if (policy.spec.percent && policy.spec.when !== 'never') {
    const all: Job[] = [];
    for await (const job of jobs) all.push(job);
    jobs = all;
    total = all.length;
  }
  await using spawner = usesSpawner(plan) ? new ShellSpawner({ cwd: opts.cwd, env: opts.env }) : undefined;
  using joblog = opts.joblog === undefined || settings.dryRun ? undefined : new JoblogWriter(opts.joblog, settings.resume !== 'none');
  const stop = new AbortController();
  let startNoMore = false;
  const watcher = signal === undefined ? undefined : watchAbort(signal, () => {
    startNoMore = true;
    stop.abort(signal.reason);
  });
  const slots = new Slots();
  const order: number[] = [];
  const runtimes: number[] = [];
  const haltNotices = new Map<number, (readonly string[])[]>();
  let running = 0;

  async function* source(): AsyncGenerator<Job> {
    let first = true;
    for await (const job of jobs) {
      if (startNoMore) return;
      if (!first && settings.delay > 0) {
        await sleep(settings.delay, { signal: stop.signal }).catch(() => undefined);
        if (startNoMore) return;
      }
      first = false;
      if (settings.keepOrder) order.push(job.seq);
      yield job;
    }
  }

  const runOne = async (job: Job, _index: number, callSignal: AbortSignal): Promise<JobResult | Dropped> => {
    const slot = slots.take();
    running++;
    try {
      const args = splitColumns(job.args, settings.colsep);
      const { command, argv } = commandFor(plan, job, args, slot);
      const start: JobStart = { seq: job.seq, slot, args, command };
      const tag = plan.tagTemplate !== undefined ? expandTemplate(plan.tagTemplate, { args, seq: job.seq, slot }, (value) => value) : opts.tag === true ? args.join(' ') : undefined;
      if (settings.dryRun) return result(job, slot, args, command, tag, undefined, 0);
      policy.started();
      opts.onStart?.(start);
      using scope = new AnySignal([callSignal, stop.signal]);
      let attempt: AttemptResult | undefined;
      let attempts = 0;
      try {
        while (attempt === undefined || (failed(attempt) && attempts < settings.retries && !startNoMore)) {
          attempts++;
          attempt = await attemptOnce(plan, argv, start, scope.signal, timeoutNow(settings, runtimes), spawner);
        }
      } catch (error) {
        if (scope.signal.aborted) return { dropped: job.seq };
        throw error;
      }
      if (attempt.timedOut) plan.notice(['Warning: This job was killed because it timed out:', `Warning: ${command}`]);
      if (!failed(attempt)) insertSorted(runtimes, attempt.runtime);
      const done = result(job, slot, args, command, tag, attempt, attempts);
      if (!settings.keepOrder) joblog?.write(entryOf(done));
      const { spec } = policy;
      const bad = failed(attempt);
      const decision = policy.record(attempt, () => total);
      const notices: (readonly string[])[] = [];
      if (spec.when !== 'never' && (spec.on === 'fail' ? bad : spec.on === 'success' ? !bad : true)) {
        notices.push([`This job ${spec.on === 'fail' ? 'failed' : spec.on === 'success' ? 'succeeded' : 'finished'}:`, command]);
      }
      if (decision !== undefined) {
        startNoMore = true;
        if (decision === 'now') stop.abort(new Error('halt now'));
        else if (running > 1) notices.push([`Starting no more jobs. Waiting for ${running - 1} jobs to finish.`]);
      }
      if (notices.length > 0) haltNotices.set(job.seq, notices);
      return done;
    } finally {
      running--;
      slots.give(slot);
    }
  };

  const ready = new Map<number, JobResult | Dropped>();
  /** The halt policy's notices of a job, given once the job was yielded (printed), as GNU prints them after its output. */
  const noticesAfter = (job: JobResult): void => {
    for (const lines of haltNotices.get(job.seq) ?? []) plan.notice(lines);
    haltNotices.delete(job.seq);
  };
  try {
    for await (const out of mapIter(source(), runOne, { concurrency: settings.jobs, ordered: false })) {
      if (!settings.keepOrder) {
        if (out instanceof JobResult) {
          yield out;
          noticesAfter(out);
        }
        continue;
      }
      ready.set(out instanceof JobResult ? out.seq : out.dropped, out);
      while (order.length > 0 && ready.has(order[0] as number)) {
        const seq = order.shift() as number;
        const next = ready.get(seq);
        ready.delete(seq);
        if (next instanceof JobResult) {
          joblog?.write(entryOf(next));
          yield next;
          noticesAfter(next);
        }
      }
    }
  } finally {
    if (watcher !== undefined) unwatchAbort(watcher);
  }
  if (signal?.aborted) throw signal.reason;
}

/** The job log line of a finished job. */
function entryOf(job: JobResult): JoblogEntry {
  return { seq: job.seq, startTime: job.startTime, runtime: job.runtime, receive: job.stdoutBytes.length, exitCode: job.exitCode, signal: job.signal, command: job.command };
}
