/**
 * `BullExecutor`: the Executor surface of `WorkerPool` (`run`, `submit`, `map`, `shutdown`,
 * `await using`) for the exports of a task module that run on worker processes anywhere,
 * through a BullMQ queue in Redis. Moving a pipeline stage from threads to a fleet is changing
 * `pool.run('resize', …)` into `executor.run('resize', …)`.
 *
 * The guarantee is BullMQ's, and it is at least once: a job whose worker dies is taken up
 * again by another (BullMQ's stalled-job check), so a task may run twice and should be
 * idempotent; its caller still gets exactly one result. What survives what is in
 * `docs/bullmq.md`; the mechanics (events, bounds, lost jobs) in `submitter.ts`.
 *
 * Cancellation, in the three phases of STYLE 6: a signal aborted before the call rejects at
 * once and sends nothing; an abort while the job waits (here, or in Redis) removes it; an
 * abort while a worker runs it asks that worker to cancel it through BullMQ's own job
 * cancellation (`Worker.cancelJob`), which aborts the task's `signal`, and the job fails
 * without retries. The caller's promise rejects at once in every phase. `timeout` is the same
 * with a deadline.
 *
 * @module
 */

import { Deadline, isForever, type WaitOptions } from '../core/deadline.js';
import { CancelledError, InvalidStateError } from '../core/errors.js';
import { checkInteger, checkOptions, checkWaitOptions, expectation } from '../core/validate.js';
import type { ExecutorLike, ShutdownOptions } from '../tasks/executor-like.js';
import { Future } from '../tasks/future.js';
import { locationOf, type QueueLocation } from './connection.js';
import { checkPeersInstalled } from './load.js';
import { MAX_JOB_ID_CHARS } from './protocol.js';
import { checkSerializable } from './serializable.js';
import { Submitter } from './submitter.js';
import type { BackoffOption, JobSpec, TrackedJob, Waiter } from './tracked.js';

export type { BackoffOption } from './tracked.js';

/** Options of `new BullExecutor(options)`. */
export interface BullExecutorOptions extends QueueLocation {
  /**
   * The most jobs of this executor in Redis at once (default 1000); more wait here, in
   * submission order. See `submitter.ts` for why it is bounded.
   */
  readonly maxInFlight?: number | undefined;
  /** Called with connection errors (Redis down, reconnecting); they are otherwise silent. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** Options of one task. */
export interface BullTaskOptions extends WaitOptions {
  /**
   * The job's id (1 to 512 characters, no `:`, not an integer). The same id is the same job:
   * submitting it again while the job exists attaches to it and gets its result, so a batch
   * restarted after a crash resumes instead of redoing work. Results of jobs with an id are
   * kept a day; see `docs/bullmq.md`.
   */
  readonly jobId?: string | undefined;
  /** Runs of the task before it fails for good (default 1, no retry). BullMQ's `attempts`. */
  readonly attempts?: number | undefined;
  /** Milliseconds between attempts, or `{ type: 'fixed' | 'exponential', delay }`. BullMQ's `backoff`. */
  readonly backoff?: BackoffOption | undefined;
}

/** Options of {@link BullExecutor.map}: those of a task, for each item, except `jobId`. */
export type BullMapOptions = Omit<BullTaskOptions, 'jobId'>;

/** Options of {@link BullExecutor.shutdown}, with `concurrent.futures` meanings. */
export interface BullShutdownOptions extends ShutdownOptions {
  /** Wait until every task settled (default true). */
  readonly wait?: boolean | undefined;
  /** Cancel the tasks not yet sent to Redis (default false). */
  readonly cancelFutures?: boolean | undefined;
  /** Give up on (and cancel) whatever still runs this many milliseconds after the call (default: never). */
  readonly timeout?: number | undefined;
  /** Stops waiting (the call rejects with `signal.reason`); the executor still shuts down. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs the exported functions of a task module on remote workers (`startWorker`, `loom
 * worker`) through a BullMQ queue, with the surface of `WorkerPool`.
 *
 * @example
 * ```ts no-run
 * import { BullExecutor } from 'loom/bullmq';
 * await using executor = new BullExecutor({ queue: 'photos', connection: 'redis://127.0.0.1:6379' });
 * console.log(await executor.run('resize', ['a.jpg', 256], { timeout: 30_000 }));
 * console.log(await executor.map('thumbnail', ['a.jpg', 'b.jpg']));
 * ```
 */
export class BullExecutor implements ExecutorLike<string> {
  readonly #submitter: Submitter;

  /** @param options see {@link BullExecutorOptions}; `queue` and `connection` are required. */
  constructor(options: BullExecutorOptions) {
    const location = locationOf(options);
    const { maxInFlight = 1000, onError } = options;
    checkInteger('maxInFlight', maxInFlight, 1);
    if (onError !== undefined && typeof onError !== 'function') throw new TypeError(expectation('onError', 'a function', onError));
    checkPeersInstalled('BullExecutor');
    this.#submitter = new Submitter({ location, maxInFlight, onError });
  }

  /** The queue's name. @example `executor.queue` */
  get queue(): string {
    return this.#submitter.settings.location.queue;
  }

  /** Tasks submitted and not settled yet. @example `executor.pending` */
  get pending(): number {
    return this.#submitter.pending;
  }

  /**
   * Runs the exported function `name` of the workers' task module with `args` (and, last,
   * `{ signal }`) as a BullMQ job, and returns what it returned. Rejects with a
   * {@link RemoteTaskError} when the task failed on its last attempt, `JobLostError` when the
   * job vanished from Redis, `signal.reason` or a `TimeoutError` (`BullExecutor.run timed out
   * after N milliseconds`) when given up (the job is then removed or cancelled), and
   * `InvalidStateError` after `shutdown()`. Throws a `TypeError` at once when an argument
   * would not survive the trip (see `serializable.ts`).
   *
   * @example
   * ```ts no-run
   * import type { BullExecutor } from 'loom/bullmq';
   * declare const executor: BullExecutor;
   * const size = await executor.run<number>('resize', ['a.jpg', 256], { jobId: 'resize-a.jpg-256', attempts: 3 });
   * ```
   */
  run<T = unknown>(name: string, args: readonly unknown[] = [], opts?: BullTaskOptions): Promise<T> {
    const spec = checkTask(name, args, opts);
    if (this.#submitter.closed) return Promise.reject(new InvalidStateError(`BullExecutor.run cannot start task "${name}": the executor is shut down`));
    if (opts?.signal?.aborted) return Promise.reject(opts.signal.reason as Error);
    return this.#run<T>(spec, opts, 'BullExecutor.run');
  }

  /**
   * Like {@link run} but returns a {@link Future} at once. Throws `InvalidStateError` after
   * `shutdown()`. `future.cancel()` succeeds while the task has not been sent to Redis yet
   * (held back by `maxInFlight`); to cancel it later, abort its `signal`.
   *
   * @example
   * ```ts no-run
   * import type { BullExecutor } from 'loom/bullmq';
   * declare const executor: BullExecutor;
   * const future = executor.submit('resize', ['a.jpg', 256]);
   * console.log(await future);
   * ```
   */
  submit<T = unknown>(name: string, args: readonly unknown[] = [], opts?: BullTaskOptions): Future<T> {
    const spec = checkTask(name, args, opts);
    if (this.#submitter.closed) throw new InvalidStateError(`BullExecutor.submit cannot start task "${name}": the executor is shut down`);
    const future = new Future<T>();
    if (opts?.signal?.aborted) {
      future.setRunningOrNotifyCancel();
      future.setException(opts.signal.reason);
      return future;
    }
    const deadline = isForever(opts) ? undefined : new Deadline(opts, 'BullExecutor.submit');
    const waiter: Waiter = {
      start: () => future.setRunningOrNotifyCancel(),
      resolve: (value) => {
        deadline?.dispose();
        if (!future.done()) future.setResult(value as T); // the task module's contract gives T
      },
      reject: (error) => {
        deadline?.dispose();
        if (!future.done()) future.setException(error);
      },
    };
    const job = this.#submitter.attach(opts?.jobId ?? this.#submitter.nextId(), spec, opts?.jobId !== undefined, waiter);
    this.#onAbort(deadline, job, waiter);
    future.addDoneCallback(() => {
      if (future.cancelled()) {
        deadline?.dispose();
        this.#submitter.detach(job, waiter, new CancelledError('Future was cancelled'));
      }
    });
    return future;
  }

  /**
   * Runs `name` once per item (the item is its one argument) as one job each, and returns
   * the results in input order. On the first failure the other jobs are cancelled and `map`
   * rejects with that error (like p-map); `signal` and `timeout` (`BullExecutor.map timed out
   * after N milliseconds`) cover the whole call.
   *
   * @example
   * ```ts no-run
   * import type { BullExecutor } from 'loom/bullmq';
   * declare const executor: BullExecutor;
   * const sizes = await executor.map<number>('resize', ['a.jpg', 'b.jpg'], { attempts: 2 });
   * ```
   */
  map<R = unknown>(name: string, items: Iterable<unknown>, opts?: BullMapOptions): Promise<R[]> {
    checkTask(name, [], opts);
    if (opts !== undefined && 'jobId' in opts && opts.jobId !== undefined) throw new TypeError(expectation('jobId', 'absent: map gives each item its own job', opts.jobId));
    if (items === null || typeof (items as Partial<Iterable<unknown>> | undefined)?.[Symbol.iterator] !== 'function') {
      throw new TypeError(expectation('items', 'an iterable', items));
    }
    const specs = Array.from(items, (item, i) => checkTask(name, [item], opts, `items[${i}]`));
    if (this.#submitter.closed) return Promise.reject(new InvalidStateError(`BullExecutor.map cannot start task "${name}": the executor is shut down`));
    if (opts?.signal?.aborted) return Promise.reject(opts.signal.reason as Error);
    return this.#map<R>(specs, opts);
  }

  /** {@link map} once its arguments are checked (bad arguments throw synchronously, STYLE 12). */
  async #map<R>(specs: readonly JobSpec[], opts: BullMapOptions | undefined): Promise<R[]> {
    const scope = new Deadline(opts, 'BullExecutor.map');
    try {
      const calls = specs.map((spec) =>
        this.#run<R>(spec, { signal: scope.signal }, 'BullExecutor.map').catch((error: unknown) => {
          scope.abort(error);
          throw error;
        }),
      );
      // Every call settles promptly once the scope aborts; the first failure is the result.
      const settled = await Promise.allSettled(calls);
      if (scope.signal.aborted) throw scope.signal.reason;
      return settled.map((outcome) => (outcome as PromiseFulfilledResult<R>).value);
    } finally {
      scope.dispose();
    }
  }

  /**
   * Stops taking tasks, like `concurrent.futures`' `Executor.shutdown`. Tasks already
   * submitted still run unless `cancelFutures` (those not yet sent to Redis then reject with
   * `CancelledError`); past `timeout` ms, the rest are given up (they reject with
   * `CancelledError` and their jobs are cancelled). With `wait` (default) resolves once every
   * task settled and the connections closed. Idempotent.
   *
   * @example
   * ```ts no-run
   * import type { BullExecutor } from 'loom/bullmq';
   * declare const executor: BullExecutor;
   * await executor.shutdown({ timeout: 60_000 });
   * ```
   */
  shutdown(opts?: BullShutdownOptions): Promise<void> {
    checkOptions('options', opts);
    const { wait = true, cancelFutures = false, timeout, signal } = opts ?? {};
    if (typeof wait !== 'boolean') throw new TypeError(expectation('wait', 'a boolean', wait));
    if (typeof cancelFutures !== 'boolean') throw new TypeError(expectation('cancelFutures', 'a boolean', cancelFutures));
    checkWaitOptions({ timeout, signal });
    return this.#shutdown(wait, cancelFutures, timeout, signal);
  }

  /** {@link shutdown} once its options are checked (bad options throw synchronously, STYLE 12). */
  async #shutdown(wait: boolean, cancelFutures: boolean, timeout: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    const closing = this.#submitter.close();
    if (cancelFutures) this.#submitter.cancelHeld();
    let timer: NodeJS.Timeout | undefined;
    if (timeout !== undefined && timeout !== Infinity) {
      timer = setTimeout(() => {
        this.#submitter.abandonAll((name) => new CancelledError(`Task "${name}" was cancelled: BullExecutor.shutdown timed out after ${timeout} milliseconds`));
      }, timeout);
    }
    const closed = closing.finally(() => clearTimeout(timer));
    if (!wait) {
      closed.catch(() => undefined);
      return;
    }
    if (signal === undefined) return closed;
    const scope = new Deadline({ signal }, 'BullExecutor.shutdown');
    try {
      await Promise.race([closed, new Promise<never>((_resolve, reject) => scope.signal.addEventListener('abort', () => reject(scope.signal.reason), { once: true }))]);
    } finally {
      scope.dispose();
    }
  }

  /** `await using executor = new BullExecutor(…)` calls `shutdown()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  #run<T>(spec: JobSpec, opts: BullTaskOptions | undefined, what: string): Promise<T> {
    const deadline = isForever(opts) ? undefined : new Deadline(opts, what);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => true,
        resolve: (value) => {
          deadline?.dispose();
          resolve(value as T); // the task module's contract gives T
        },
        reject: (error) => {
          deadline?.dispose();
          reject(error);
        },
      };
      const job = this.#submitter.attach(opts?.jobId ?? this.#submitter.nextId(), spec, opts?.jobId !== undefined, waiter);
      this.#onAbort(deadline, job, waiter);
    });
  }

  /** Wires the caller's abort (signal or timeout) to giving up on `job`. */
  #onAbort(deadline: Deadline | undefined, job: TrackedJob, waiter: Waiter): void {
    if (deadline === undefined) return;
    const { signal } = deadline;
    const onAbort = (): void => {
      const reason: unknown = signal.reason;
      waiter.reject(reason);
      this.#submitter.detach(job, waiter, reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
}

/** Checks a task's name, arguments and options; returns the job's spec. */
function checkTask(name: unknown, args: unknown, opts: unknown, argsPath = 'args'): JobSpec {
  if (typeof name !== 'string' || name === '') throw new TypeError(expectation('name', 'the name of an exported function', name));
  if (!Array.isArray(args)) throw new TypeError(expectation('args', 'an array of arguments', args));
  checkWaitOptions(opts);
  const { jobId, attempts, backoff } = (opts ?? {}) as BullTaskOptions;
  if (jobId !== undefined) checkJobId(jobId);
  if (attempts !== undefined) checkInteger('attempts', attempts, 1);
  if (backoff !== undefined) checkBackoff(backoff);
  if (argsPath === 'args') checkSerializable('args', args);
  else checkSerializable(argsPath, args[0]);
  return { name, args, attempts, backoff };
}

function checkJobId(jobId: unknown): void {
  const expected = `a job id of 1 to ${MAX_JOB_ID_CHARS} characters, without \`:\`, not an integer`;
  if (typeof jobId !== 'string' || jobId === '' || jobId.length > MAX_JOB_ID_CHARS || jobId.includes(':') || String(Number.parseInt(jobId, 10)) === jobId) {
    throw new TypeError(expectation('jobId', expected, jobId));
  }
}

function checkBackoff(backoff: unknown): void {
  if (typeof backoff === 'number') {
    checkInteger('backoff', backoff, 0);
    return;
  }
  const expected = "milliseconds or `{ type: 'fixed' | 'exponential', delay }`";
  if (typeof backoff !== 'object' || backoff === null) throw new TypeError(expectation('backoff', expected, backoff));
  const { type, delay } = backoff as { type?: unknown; delay?: unknown };
  if (type !== 'fixed' && type !== 'exponential') throw new TypeError(expectation('backoff.type', "'fixed' or 'exponential'", type));
  checkInteger('backoff.delay', delay, 0);
}
