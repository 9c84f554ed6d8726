/**
 * One remote job as a caller's executor follows it, and the callers waiting for it.
 *
 * A tracked job is `queued` (held back: the executor already has `maxInFlight` jobs in
 * Redis), `adding` (sent to Redis), `added` (in Redis, waiting for its `completed` or `failed`
 * event), or `done`. Several callers may wait for one job (the same `jobId` submitted twice):
 * each is a {@link Waiter}, and the job is cancelled remotely only when the last one gives up.
 *
 * @module
 */

/** One caller waiting for a job: a `run` promise or a `submit` future. */
export interface Waiter {
  /** Called when the job is sent to Redis; false means the caller has already cancelled (a future). */
  readonly start: () => boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** What the job is made of, as BullMQ's `add` takes it. */
export interface JobSpec {
  readonly name: string;
  readonly args: readonly unknown[];
  readonly attempts: number | undefined;
  readonly backoff: BackoffOption | undefined;
}

/** BullMQ's retry backoff: a fixed delay in milliseconds, or `{ type: 'fixed' | 'exponential', delay }`. */
export type BackoffOption =
  | number
  | {
      /** `'fixed'`: the same delay before every retry; `'exponential'`: `delay` x 2^(attempt - 1). */
      readonly type: 'fixed' | 'exponential';
      /** The base delay in milliseconds. */
      readonly delay: number;
    };

/** Where a tracked job is; see the module comment. */
export type TrackedState = 'queued' | 'adding' | 'added' | 'done';

/**
 * One job and its waiters (internal).
 */
export class TrackedJob {
  state: TrackedState = 'queued';
  readonly waiters = new Set<Waiter>();
  /** Set when every waiter left while the job was being added: cancel it once the add returns. */
  cancelReason: unknown;
  cancelRequested = false;

  constructor(
    readonly id: string,
    readonly spec: JobSpec,
    /** True when the caller chose the id (`jobId`): the job may exist already, finished or not. */
    readonly chosenId: boolean,
  ) {}

  /** Settles every waiter once (`error` made afresh for each, so none shares an instance). */
  settle(outcome: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: () => unknown }): void {
    if (this.state === 'done') return;
    this.state = 'done';
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) {
      if (outcome.ok) waiter.resolve(outcome.value);
      else waiter.reject(outcome.error());
    }
  }
}
