/**
 * The engine behind `BullExecutor`: its Redis connections, the jobs it follows, and how each
 * job's end reaches its callers. `executor.ts` is the public surface and its argument checks.
 *
 * Results come from BullMQ's `QueueEvents` (`completed` with the `returnvalue`, `failed` with
 * the `failedReason`), keyed by job id, never by polling and never by `job.waitUntilFinished()`
 * (which races `removeOnComplete` on BullMQ 6: "Missing key for job … isFinished"). Every job
 * id is known before its `add` is sent (generated here, or the caller's `jobId`), so an event
 * that arrives before `add` returns still finds its job. The event reader starts at a mark this
 * executor writes before its first `add`, so no event of its jobs can come before the reader.
 *
 * Bounded: at most `maxInFlight` jobs of this executor are in Redis at once; the others wait
 * here in submission order. This also bounds how far the event reader can fall behind the
 * events of its own jobs, which matters because BullMQ trims the event stream to about 10,000
 * entries: 10,000 jobs added at once write 20,000 `added`/`waiting` events, enough to trim a
 * `completed` event before it is read.
 *
 * A job can vanish (removed by someone else; Redis restarted without persistence). Its caller
 * must get an error, not wait forever, and there is no event for it, so the executor checks:
 * after every reconnection to Redis and on every `drained` event (no job waiting or running,
 * yet some of ours unfinished), it looks up each of its jobs in Redis; a finished one is
 * settled from its hash (its event was missed), and a missing one is failed with
 * `JobLostError` once the executor reads back a `loom:sync` mark written after the look-up:
 * a job removed on completion has written its `completed` event before it disappeared, so
 * the mark comes after that event, and only a job with no such event is lost.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import type * as BullMQ from 'bullmq';
import type { Redis } from 'ioredis';
import { CancelledError } from '../core/errors.js';
import { bullConnection, closeRedis, openRedis, type Location } from './connection.js';
import { decodeFailure, isEnvelope, JobLostError } from './errors.js';
import { loadPeers } from './load.js';
import { cancelChannel, formatCancelRequest, KEEP_FAILED, KEEP_RESULTS, SYNC_EVENT } from './protocol.js';
import { TrackedJob, type JobSpec, type Waiter } from './tracked.js';

/** The connections of one executor, once open. */
interface Connections {
  readonly queue: BullMQ.Queue;
  readonly events: BullMQ.QueueEvents;
  /** Writes marks and cancellation requests; its reconnections trigger a check of every job. */
  readonly redis: Redis;
}

/** BullMQ's listeners, and ours for the `loom:sync` marks (a custom event: its fields as written). */
type MarkListener = BullMQ.QueueEventsListener & { readonly [SYNC_EVENT]: (args: { readonly token?: unknown }) => void };

/** The checked settings of one executor. */
export interface SubmitterSettings {
  readonly location: Location;
  readonly maxInFlight: number;
  readonly onError: ((error: unknown) => void) | undefined;
}

/**
 * The state and rules of one `BullExecutor` (internal).
 *
 * @example
 * ```ts
 * const submitter = new Submitter({ location, maxInFlight: 1000, onError: undefined });
 * ```
 */
export class Submitter {
  readonly settings: SubmitterSettings;
  /** Opened on the first job, so that an executor that never submits never connects. */
  #connections: Promise<Connections> | undefined;
  /** Everything opened so far, closed by `close()` even while still connecting. */
  readonly #opened: (() => Promise<unknown>)[] = [];
  /** Every job some caller waits for, by id; a job leaves when it is done or nobody waits any more. */
  readonly #jobs = new Map<string, TrackedJob>();
  /** Jobs held back by `maxInFlight`, oldest first, from `#head` on (entries before it are spent). */
  #held: TrackedJob[] = [];
  #head = 0;
  /** Jobs of ours in Redis (`adding` or `added`). */
  #inRedis = 0;
  /** Work started in the background (cancellations, checks): shutdown waits for it. */
  readonly #background = new Set<Promise<void>>();
  /** Waiters for the `loom:sync` marks written by the check, by token. */
  readonly #marks = new Map<string, () => void>();
  #checking = false;
  #checkAgain = false;
  /** Resolved whenever `#jobs` becomes empty. */
  #idle: (() => void)[] = [];
  readonly #idPrefix = `loom-${randomBytes(6).toString('base64url')}-`;
  #nextId = 1;
  #closed = false;

  constructor(settings: SubmitterSettings) {
    this.settings = settings;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Jobs some caller still waits for. */
  get pending(): number {
    return this.#jobs.size;
  }

  /** A fresh job id, unique across processes (a random prefix per executor, then a counter). */
  nextId(): string {
    return this.#idPrefix + String(this.#nextId++);
  }

  /** Adds `waiter` to the job `id`, creating and submitting the job unless some caller already follows it. */
  attach(id: string, spec: JobSpec, chosenId: boolean, waiter: Waiter): TrackedJob {
    let job = this.#jobs.get(id);
    if (job === undefined) {
      job = new TrackedJob(id, spec, chosenId);
      this.#jobs.set(id, job);
      job.waiters.add(waiter);
      this.#held.push(job);
      this.#pump();
    } else if (job.state === 'queued' || waiter.start()) {
      job.waiters.add(waiter);
    }
    return job;
  }

  /** `waiter` gives up on `job` (its caller aborted); the job is cancelled if nobody else waits for it. */
  detach(job: TrackedJob, waiter: Waiter, reason: unknown): void {
    if (!job.waiters.delete(waiter) || job.waiters.size > 0) return;
    this.#giveUp(job, reason);
  }

  /** Rejects every job still held back with `CancelledError` (`shutdown({ cancelFutures: true })`). */
  cancelHeld(): void {
    for (const job of this.#held.slice(this.#head)) {
      if (job.state !== 'queued') continue;
      this.#jobs.delete(job.id);
      job.settle({ ok: false, error: () => new CancelledError(`Task "${job.spec.name}" was cancelled: BullExecutor.shutdown({ cancelFutures: true }) was called`) });
    }
    this.#held = [];
    this.#head = 0;
    this.#wakeIfIdle();
  }

  /** Gives up on every job still followed: their callers reject with `error(name)`, and the jobs are cancelled in Redis. */
  abandonAll(error: (name: string) => unknown): void {
    for (const job of [...this.#jobs.values()]) {
      const waiters = [...job.waiters];
      job.waiters.clear();
      for (const waiter of waiters) waiter.reject(error(job.spec.name));
      this.#giveUp(job, error(job.spec.name));
    }
  }

  /** Resolves once no caller waits for any job. */
  async idle(): Promise<void> {
    if (this.#jobs.size === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  /** No new jobs; closes the connections once every job is done (or at once with `now`). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
    await Promise.allSettled(this.#opened.splice(0).map((close) => close()));
  }

  /** The connections, opened on first use. */
  #connected(): Promise<Connections> {
    this.#connections ??= this.#connect();
    return this.#connections;
  }

  async #connect(): Promise<Connections> {
    const { bullmq, Redis } = await loadPeers();
    const { queue: name, prefix, connection } = this.settings.location;
    const onError = (error: unknown): void => this.settings.onError?.(error);
    const redis = openRedis(Redis, connection);
    redis.on('error', onError);
    this.#opened.push(() => closeRedis(redis));
    const queue = new bullmq.Queue(name, { connection: bullConnection(connection), prefix });
    queue.on('error', onError);
    this.#opened.unshift(() => queue.close());
    await queue.waitUntilReady();
    if (this.#closed && this.#jobs.size === 0) throw new Error('BullExecutor was shut down while connecting');
    // The reader starts right after this mark, before any job of ours exists.
    const start = await redis.xadd(queue.keys.events as string, '*', 'event', SYNC_EVENT, 'token', 'start');
    const events = new bullmq.QueueEvents(name, { connection: bullConnection(connection), prefix, lastEventId: start ?? '$' });
    events.on('error', onError);
    this.#opened.unshift(() => events.close());
    events.on('completed', ({ jobId, returnvalue }) => this.#settle(jobId, { ok: true, value: returnvalue }));
    events.on('failed', ({ jobId, failedReason }) => this.#onFailed(jobId, failedReason));
    events.on('removed', ({ jobId }) => this.#lost(jobId, 'it was removed from the queue'));
    events.on('drained', () => this.#check());
    events.on<MarkListener>(SYNC_EVENT, (args: { readonly token?: unknown }) => this.#onMark(args));
    let ready = false;
    redis.on('ready', () => {
      if (ready) this.#check();
      ready = true;
    });
    if (redis.status === 'ready') ready = true;
    await events.waitUntilReady();
    return { queue, events, redis };
  }

  /** Sends held jobs to Redis while there is room. */
  #pump(): void {
    const batch: TrackedJob[] = [];
    while (this.#inRedis < this.settings.maxInFlight && this.#head < this.#held.length) {
      const job = this.#held[this.#head++] as TrackedJob; // #head < length
      if (job.state !== 'queued') continue;
      for (const waiter of [...job.waiters]) if (!waiter.start()) job.waiters.delete(waiter);
      if (job.waiters.size === 0) {
        job.state = 'done';
        this.#jobs.delete(job.id);
        continue;
      }
      job.state = 'adding';
      this.#inRedis++;
      batch.push(job);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#held.length) {
      this.#held = this.#held.slice(this.#head);
      this.#head = 0;
    }
    if (batch.length > 0) this.#track(this.#add(batch));
    this.#wakeIfIdle();
  }

  async #add(batch: readonly TrackedJob[]): Promise<void> {
    try {
      const { queue } = await this.#connected();
      const jobs = batch.map((job) => ({ name: job.spec.name, data: job.spec.args, opts: this.#jobOptions(job) }));
      if (jobs.length === 1) {
        const [only] = jobs as [(typeof jobs)[0]];
        await queue.add(only.name, only.data, only.opts);
      } else {
        await queue.addBulk(jobs);
      }
    } catch (error) {
      for (const job of batch) {
        this.#finish(job, { ok: false, error: () => new Error(`Could not add job ${job.id} (task "${job.spec.name}") to queue "${this.settings.location.queue}"`, { cause: error }) });
      }
      return;
    }
    for (const job of batch) {
      if (job.state !== 'adding') continue;
      job.state = 'added';
      if (job.cancelRequested) this.#giveUp(job, job.cancelReason);
      else if (job.chosenId) this.#track(this.#settleIfFinished([job]).then(() => undefined));
    }
  }

  #jobOptions(job: TrackedJob): BullMQ.JobsOptions {
    const { attempts, backoff } = job.spec;
    return {
      jobId: job.id,
      removeOnComplete: job.chosenId ? KEEP_RESULTS : true,
      removeOnFail: KEEP_FAILED,
      ...(attempts === undefined ? {} : { attempts }),
      ...(backoff === undefined ? {} : { backoff: typeof backoff === 'number' ? backoff : { ...backoff } }),
    };
  }

  /** Settles the jobs among `jobs` that Redis says are finished; returns those Redis does not have. */
  async #settleIfFinished(jobs: readonly TrackedJob[]): Promise<TrackedJob[]> {
    const { queue, redis } = await this.#connected();
    // Two fields, not the whole job: a check on `drained` looks up every running job of ours,
    // and only the rare finished one is read whole. Every job hash has `timestamp`.
    const found = await Promise.all(jobs.map((job) => redis.hmget(queue.toKey(job.id), 'timestamp', 'finishedOn')));
    const missing: TrackedJob[] = [];
    for (const [i, job] of jobs.entries()) {
      const [timestamp, finishedOn] = found[i] ?? [];
      if (timestamp === null || timestamp === undefined) {
        missing.push(job);
        continue;
      }
      if (finishedOn === null || finishedOn === undefined) continue;
      const remote = await queue.getJob(job.id);
      if (remote === undefined || remote === null) {
        missing.push(job);
        continue;
      }
      const state = await remote.getState();
      if (state === 'completed') this.#settle(job.id, { ok: true, value: remote.returnvalue });
      else if (state === 'failed') this.#settle(job.id, { ok: false, error: () => decodeFailure(remote.failedReason, job.id, remote.attemptsMade) });
    }
    return missing;
  }

  /** Looks up every job of ours in Redis; see the module comment. One check at a time; a request during one runs another after it. */
  #check(): void {
    if (this.#checking) {
      this.#checkAgain = true;
      return;
    }
    this.#checking = true;
    this.#track(
      (async () => {
        try {
          do {
            this.#checkAgain = false;
            const added = [...this.#jobs.values()].filter((job) => job.state === 'added');
            if (added.length === 0) continue;
            const missing = await this.#settleIfFinished(added);
            if (missing.length === 0) continue;
            await this.#mark();
            for (const job of missing) {
              if (job.state === 'added') this.#lost(job.id, 'Redis no longer has it (a Redis restarted without persistence loses every job)');
            }
          } while (this.#checkAgain);
        } finally {
          this.#checking = false;
        }
      })(),
    );
  }

  /** Writes a `loom:sync` mark into the event stream and resolves once the event reader reaches it. */
  async #mark(): Promise<void> {
    const { queue, redis } = await this.#connected();
    const token = randomBytes(9).toString('base64url');
    const reached = new Promise<void>((resolve) => this.#marks.set(token, resolve));
    try {
      await redis.xadd(queue.keys.events as string, '*', 'event', SYNC_EVENT, 'token', token);
      await reached;
    } finally {
      this.#marks.delete(token);
    }
  }

  #onMark(args: { readonly token?: unknown }): void {
    const { token } = args;
    if (typeof token === 'string') this.#marks.get(token)?.();
  }

  #onFailed(jobId: string, failedReason: string): void {
    const job = this.#jobs.get(jobId);
    if (job === undefined || job.state === 'queued' || job.state === 'done') return;
    if (isEnvelope(failedReason)) {
      this.#settle(jobId, { ok: false, error: () => decodeFailure(failedReason, jobId, 0) });
      return;
    }
    // BullMQ's own failure (a job stalled too often): the attempts made are in the job's hash.
    this.#track(
      (async () => {
        const { queue } = await this.#connected();
        const attemptsMade = (await queue.getJob(jobId))?.attemptsMade ?? 0;
        this.#settle(jobId, { ok: false, error: () => decodeFailure(failedReason, jobId, attemptsMade) });
      })(),
    );
  }

  #lost(jobId: string, why: string): void {
    const { queue } = this.settings.location;
    this.#settle(jobId, { ok: false, error: () => new JobLostError(`Job ${jobId} of queue "${queue}" is gone before it finished: ${why}`, jobId) });
  }

  #settle(jobId: string, outcome: Parameters<TrackedJob['settle']>[0]): void {
    const job = this.#jobs.get(jobId);
    if (job === undefined || job.state === 'queued' || job.state === 'done') return;
    this.#finish(job, outcome);
  }

  /** Ends `job` for its callers and frees its place. */
  #finish(job: TrackedJob, outcome: Parameters<TrackedJob['settle']>[0]): void {
    if (job.state === 'done') return;
    if (job.state === 'adding' || job.state === 'added') this.#inRedis--;
    if (this.#jobs.get(job.id) === job) this.#jobs.delete(job.id);
    job.settle(outcome);
    this.#pump();
  }

  /** Nobody waits for `job` any more: forget it here, and take it back from Redis. */
  #giveUp(job: TrackedJob, reason: unknown): void {
    switch (job.state) {
      case 'queued':
        job.state = 'done';
        this.#jobs.delete(job.id);
        this.#wakeIfIdle();
        return;
      case 'adding':
        // Forgotten now, so that the same `jobId` submitted again starts afresh; cancelled once its add returns.
        job.cancelRequested = true;
        job.cancelReason = reason;
        if (this.#jobs.get(job.id) === job) this.#jobs.delete(job.id);
        this.#wakeIfIdle();
        return;
      case 'added':
        this.#finish(job, { ok: true, value: undefined });
        this.#track(this.#cancelRemote(job.id, reason));
        return;
      case 'done':
        return;
    }
  }

  /** Removes the job if it is still waiting; else asks the worker running it to cancel it (BullMQ's `Worker.cancelJob`). */
  async #cancelRemote(jobId: string, reason: unknown): Promise<void> {
    const { queue, redis } = await this.#connected();
    if ((await queue.remove(jobId)) === 1) return;
    await redis.publish(cancelChannel(this.settings.location), formatCancelRequest(jobId, reason));
  }

  /** Runs `work` in the background: its failure goes to `onError`, and shutdown waits for it. */
  #track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.settings.onError?.(error)).finally(() => this.#background.delete(tracked));
    this.#background.add(tracked);
  }

  #wakeIfIdle(): void {
    if (this.#jobs.size > 0) return;
    const idle = this.#idle;
    this.#idle = [];
    for (const wake of idle) wake();
  }
}

