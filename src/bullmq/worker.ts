/**
 * `startWorker`: the other end of `BullExecutor`. It runs the exports of a task module for
 * the jobs of a BullMQ queue, `concurrency` at a time, in this process or, with `threads`, on
 * a local `WorkerPool` (for CPU-bound tasks: the process keeps answering Redis, and its job
 * locks keep being renewed, while the threads compute). `loom worker` is the same from the
 * shell.
 *
 * A worker that dies (SIGKILL, power loss) leaves its jobs locked until their lock expires
 * (`lockDuration`); BullMQ's stalled-job check (every `stalledInterval`) then moves them back
 * to the wait list for another worker, up to `maxStalledCount` times. `close()` is the
 * orderly way out: no new jobs, the running ones finish, and those still running after
 * `timeout` are handed back to the queue at once instead of waiting for the stalled check.
 *
 * @module
 */

import type * as BullMQ from 'bullmq';
import type { Redis } from 'ioredis';
import { CancelledError } from '../core/errors.js';
import { checkInteger, checkOptions, expectation } from '../core/validate.js';
import { settingsOf } from '../workers/options.js';
import { WorkerPool } from '../workers/pool.js';
import { bullConnection, closeRedis, locationOf, openRedis, type Location, type QueueLocation } from './connection.js';
import { checkPeersInstalled, loadPeers } from './load.js';
import { makeProcessor, RecentIds, type ActiveJob } from './processor.js';
import { cancelChannel, parseCancelRequest } from './protocol.js';

/** Options of {@link startWorker}. */
export interface StartWorkerOptions extends QueueLocation {
  /** The task module: a `file:` URL or a path of an ES module whose exported functions are the tasks. */
  readonly module: string | URL;
  /** Jobs run at once (default: `threads`, or 1 without threads). */
  readonly concurrency?: number | undefined;
  /** Run the tasks on a `WorkerPool` of this many threads (default 0: in this process). */
  readonly threads?: number | undefined;
  /** Milliseconds a job's lock lasts without renewal (BullMQ's `lockDuration`, default 30,000). */
  readonly lockDuration?: number | undefined;
  /** Milliseconds between stalled-job checks (BullMQ's `stalledInterval`, default 30,000). */
  readonly stalledInterval?: number | undefined;
  /** Times a job may stall before it fails (BullMQ's `maxStalledCount`, default 1). */
  readonly maxStalledCount?: number | undefined;
  /** Called with errors that belong to no job (Redis down, reconnecting); they are otherwise silent. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** Options of {@link BullWorker.close}. */
export interface WorkerCloseOptions {
  /** Milliseconds the running jobs have to finish before they are handed back to the queue (default `Infinity`: they finish). */
  readonly timeout?: number | undefined;
}

/** A running worker; see {@link startWorker}. */
export interface BullWorker extends AsyncDisposable {
  /** The queue it takes jobs from. */
  readonly queue: string;
  /** Jobs it completed, failed (each failed attempt), and handed back so far. */
  readonly counts: {
    /** Jobs this worker finished with a result. */
    readonly completed: number;
    /** Jobs this worker finished with an error (each failed attempt counts). */
    readonly failed: number;
    /** Jobs still running at `close()` past its timeout, moved back to the queue for another worker. */
    readonly handedBack: number;
  };
  /**
   * Stops taking jobs, lets the running ones finish (handing back those still running after
   * `timeout` ms), then closes its connections and threads. Idempotent.
   */
  close(opts?: WorkerCloseOptions): Promise<void>;
}

/** How many cancellation requests a worker remembers for jobs it has not received yet. */
const REMEMBERED_CANCELLATIONS = 10_000;

/**
 * Starts a worker for the jobs of `options.queue`; resolves once it is connected and taking
 * jobs. Rejects when the task module cannot be loaded.
 *
 * @example
 * ```ts no-run
 * import { startWorker } from 'loom/bullmq';
 * const worker = await startWorker({ queue: 'photos', connection: 'redis://127.0.0.1:6379', module: './tasks.js', threads: 4 });
 * process.once('SIGTERM', () => void worker.close({ timeout: 10_000 }));
 * ```
 */
export function startWorker(options: StartWorkerOptions): Promise<BullWorker> {
  const settings = checkWorkerOptions(options);
  return start(settings);
}

/** The checked options of a worker. */
interface WorkerSettings {
  readonly location: Location;
  readonly moduleUrl: string;
  readonly concurrency: number;
  readonly threads: number;
  readonly lockDuration: number | undefined;
  readonly stalledInterval: number | undefined;
  readonly maxStalledCount: number | undefined;
  readonly onError: ((error: unknown) => void) | undefined;
}

/** Checks `options` synchronously (bad arguments throw where `startWorker` is called). */
function checkWorkerOptions(options: StartWorkerOptions): WorkerSettings {
  const location = locationOf(options);
  const { module, threads = 0, lockDuration, stalledInterval, maxStalledCount, onError } = options;
  checkInteger('threads', threads, 0);
  const concurrency = options.concurrency ?? Math.max(threads, 1);
  checkInteger('concurrency', concurrency, 1);
  if (lockDuration !== undefined) checkInteger('lockDuration', lockDuration, 1);
  if (stalledInterval !== undefined) checkInteger('stalledInterval', stalledInterval, 1);
  if (maxStalledCount !== undefined) checkInteger('maxStalledCount', maxStalledCount, 0);
  if (onError !== undefined && typeof onError !== 'function') throw new TypeError(expectation('onError', 'a function', onError));
  const { moduleUrl } = settingsOf({ module });
  checkPeersInstalled('startWorker');
  return { location, moduleUrl, concurrency, threads, lockDuration, stalledInterval, maxStalledCount, onError };
}

async function start(settings: WorkerSettings): Promise<BullWorker> {
  const { location, moduleUrl, concurrency, threads, lockDuration, stalledInterval, maxStalledCount, onError } = settings;
  const tasks = (await import(moduleUrl)) as Record<string, unknown>;
  const { bullmq, Redis } = await loadPeers();
  const report = (error: unknown): void => onError?.(error);
  const pool = threads > 0 ? new WorkerPool({ module: moduleUrl, size: threads }) : undefined;
  const active = new Map<string, ActiveJob>();
  const cancelled = new RecentIds(REMEMBERED_CANCELLATIONS);
  const subscriber: Redis = openRedis(Redis, location.connection);
  subscriber.on('error', report);
  let worker: BullMQ.Worker | undefined;
  // BullMQ types the reason as a string; it hands any value to `AbortController.abort`, and
  // the tasks see a CancelledError as every other loom signal gives.
  const cancel = (id: string, reason: CancelledError): void => void worker?.cancelJob(id, reason as unknown as string);
  try {
    await subscriber.subscribe(cancelChannel(location));
    worker = new bullmq.Worker(location.queue, makeProcessor({ bullmq, moduleUrl, tasks, pool, active, cancelled, cancel }), {
      connection: bullConnection(location.connection),
      prefix: location.prefix,
      concurrency,
      ...(lockDuration === undefined ? {} : { lockDuration }),
      ...(stalledInterval === undefined ? {} : { stalledInterval }),
      ...(maxStalledCount === undefined ? {} : { maxStalledCount }),
    });
    worker.on('error', report);
    await worker.waitUntilReady();
  } catch (error) {
    await Promise.allSettled([worker?.close(true), closeRedis(subscriber), pool?.terminate()]);
    throw error;
  }
  const running = worker;
  subscriber.on('message', (_channel: string, message: string) => {
    const request = parseCancelRequest(message);
    if (request === undefined) return;
    cancelled.add(request.jobId);
    cancel(request.jobId, new CancelledError(`Job ${request.jobId} was cancelled by its caller: ${request.reason}`));
  });
  const counts = { completed: 0, failed: 0, handedBack: 0 };
  running.on('completed', () => counts.completed++);
  running.on('failed', () => counts.failed++);

  let closing: Promise<void> | undefined;
  const close = (opts?: WorkerCloseOptions): Promise<void> => {
    checkOptions('options', opts);
    const timeout = opts?.timeout ?? Infinity;
    if (typeof timeout !== 'number' || !(timeout >= 0)) throw new (typeof timeout === 'number' ? RangeError : TypeError)(expectation('timeout', 'a number of milliseconds >= 0', timeout));
    closing ??= (async () => {
      const finished = running.close();
      const handBackAll = (): void => {
        for (const job of active.values()) {
          counts.handedBack++;
          job.handBack();
        }
      };
      const timer = timeout === Infinity ? undefined : setTimeout(handBackAll, timeout);
      try {
        await finished;
      } finally {
        clearTimeout(timer);
        await Promise.allSettled([closeRedis(subscriber), pool?.shutdown()]);
      }
    })();
    return closing;
  };
  return {
    queue: location.queue,
    counts,
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}
