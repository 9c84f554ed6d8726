/**
 * What a worker does with one job: find the exported function the job names, call it with the
 * job's arguments and `{ signal }`, check that its result survives the trip back, and report a
 * failure in the envelope of `errors.ts`. The job's data comes from Redis, so it is checked
 * like any outside input: the name must be an exported function of the task module, the data
 * an array.
 *
 * Failures that another attempt cannot fix (no such export, data that is not an array, a
 * result that does not serialize, a job cancelled by its caller) are BullMQ
 * `UnrecoverableError`s: the job fails at once, whatever its `attempts`. A job handed back
 * while the worker closes goes back to the queue's wait list (`job.moveToWait`, then BullMQ's
 * `WaitingError`), without counting an attempt: another worker runs it from the start.
 *
 * @module
 */

import type * as BullMQ from 'bullmq';
import { CancelledError } from '../core/errors.js';
import type { WorkerPool } from '../workers/pool.js';
import { encodeFailure } from './errors.js';
import { checkSerializable } from './serializable.js';

/** The ids of jobs whose cancellation was requested lately, oldest first: a request may come before the job reaches this worker. */
export class RecentIds {
  readonly #ids = new Set<string>();

  constructor(readonly limit: number) {}

  add(id: string): void {
    this.#ids.delete(id);
    this.#ids.add(id);
    if (this.#ids.size > this.limit) this.#ids.delete(this.#ids.values().next().value as string); // size > limit >= 1
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }
}

/** A job being run, as `close()` sees it. */
export interface ActiveJob {
  /** Stops waiting for the task and hands the job back to the queue. */
  readonly handBack: () => void;
}

/** What a processor needs. */
export interface ProcessorContext {
  readonly bullmq: typeof BullMQ;
  readonly moduleUrl: string;
  readonly tasks: Readonly<Record<string, unknown>>;
  /** Runs the tasks on threads when set, else in this process. */
  readonly pool: WorkerPool | undefined;
  readonly active: Map<string, ActiveJob>;
  /** The jobs whose caller asked to cancel them (added before their signal aborts). */
  readonly cancelled: RecentIds;
  /** Aborts the signal of the running job `id` with `reason`, through BullMQ's `Worker.cancelJob`. */
  readonly cancel: (id: string, reason: CancelledError) => void;
}

/** The value a handed-back job's race resolves with. */
const HANDED_BACK = Symbol('handed back');

/**
 * The BullMQ processor of a loom worker.
 *
 * @example
 * ```ts
 * const worker = new bullmq.Worker('photos', makeProcessor(context), { connection });
 * ```
 */
export function makeProcessor(context: ProcessorContext): BullMQ.Processor {
  const { bullmq } = context;
  return async (job, token, bullSignal) => {
    const id = job.id ?? '';
    // BullMQ makes an AbortController per job for a processor that takes a signal; its abort
    // reason is the CancelledError given to `cancel`. One controller per job, not two: making
    // both cost 8 µs a job here, a quarter of what a loom worker spent beyond a bare BullMQ one.
    const signal = bullSignal ?? new AbortController().signal;
    let handBack!: () => void;
    const handedBack = new Promise<typeof HANDED_BACK>((resolve) => {
      handBack = () => resolve(HANDED_BACK);
    });
    context.active.set(id, {
      handBack: () => {
        context.cancel(id, new CancelledError(`Job ${id} was handed back: its worker is closing`));
        handBack();
      },
    });
    try {
      if (context.cancelled.has(id)) throw new CancelledError(`Job ${id} was cancelled by its caller before it started`);
      const args = checkJob(context, job);
      const running = run(context, job.name, args, signal);
      // Once handed back, the task's own end (it was aborted) no longer matters.
      running.catch(() => undefined);
      const outcome = await Promise.race([running.then((value) => ({ value })), handedBack]);
      if (outcome === HANDED_BACK) {
        await job.moveToWait(token);
        throw new bullmq.WaitingError();
      }
      checkResult(outcome.value, job.name);
      return outcome.value;
    } catch (error) {
      // A cancelled job's failure is final: its caller has gone.
      throw failure(bullmq, error, job.attemptsMade + 1, context.cancelled.has(id));
    } finally {
      context.active.delete(id);
    }
  };
}

/** Why a job cannot run at all: no retry will change it. Its `name` stays `TypeError`. */
class BadJob extends TypeError {}

/** The job's arguments, once its name and data check out. */
function checkJob(context: ProcessorContext, job: BullMQ.Job): unknown[] {
  if (!Object.hasOwn(context.tasks, job.name) || typeof context.tasks[job.name] !== 'function') {
    const names = Object.keys(context.tasks).filter((name) => typeof context.tasks[name] === 'function');
    throw new BadJob(`Task module ${context.moduleUrl} has no exported function "${job.name}" (it exports ${names.join(', ') || 'none'})`);
  }
  if (!Array.isArray(job.data)) throw new BadJob(`Job ${job.id ?? ''} has data that is not an array of arguments: ${typeof job.data}`);
  return job.data as unknown[];
}

async function run(context: ProcessorContext, name: string, args: unknown[], signal: AbortSignal): Promise<unknown> {
  if (context.pool !== undefined) return context.pool.run(name, args, { signal });
  const fn = context.tasks[name] as (...args: unknown[]) => unknown; // checkJob made sure
  return await fn(...args, { signal });
}

function checkResult(value: unknown, name: string): void {
  if (value === undefined) return;
  try {
    checkSerializable('result', value);
  } catch (error) {
    throw new BadJob(`Task "${name}" returned a value that does not survive the trip back: ${(error as Error).message}`);
  }
}

/** The error handed to BullMQ for `error`: the envelope as its message, unrecoverable when no retry can help. */
function failure(bullmq: typeof BullMQ, error: unknown, attemptsMade: number, cancelled: boolean): Error {
  if (error instanceof bullmq.WaitingError) return error;
  const envelope = encodeFailure(error, attemptsMade);
  const final = cancelled || error instanceof BadJob;
  const wrapped = final ? new bullmq.UnrecoverableError(envelope) : new Error(envelope);
  if (error instanceof Error && error.stack !== undefined) wrapped.stack = error.stack;
  return wrapped;
}
