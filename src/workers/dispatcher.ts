/**
 * The engine behind `WorkerPool`: its threads, its queue, dispatch, and how tasks end when
 * threads report, abort, die or are stopped. `WorkerPool` (`pool.ts`) is the public surface
 * and its argument checks; this file holds the state and the rules described there.
 *
 * @module
 */

import { CancelledError, InvalidStateError } from '../core/errors.js';
import { WaitQueue } from '../core/wait-queue.js';
import { decodeError, type EncodedError } from './error-codec.js';
import { WorkerError } from './errors.js';
import type { PoolSettings } from './options.js';
import { PoolQueue } from './pool-queue.js';
import type { PoolTask } from './pool-task.js';
import { PoolWorker, type Failure, type WorkerEvents } from './pool-worker.js';
import { RESULT_STRIDE, type ResultsMessage } from './protocol.js';

/** The cap before a burst's first report: 1, so long tasks go to whichever thread frees up first. */
const INITIAL_CAP = 1;
/** The most tasks in flight per thread when the pool sets the cap itself. */
const MAX_CAP = 1024;
/** Work to keep queued in each thread, in milliseconds, when the pool sets the cap itself. */
const IN_FLIGHT_MS = 2;

/** How a thread's tasks read when `terminate()` ended it. */
export const terminated: Failure = (name) => new CancelledError(`Task "${name}" was cancelled: WorkerPool.terminate() was called`);

/**
 * The state and rules of one `WorkerPool` (internal; `WorkerPool` is the public face).
 *
 * @example
 * ```ts
 * const dispatch = new Dispatcher(settingsOf({ module: 'tasks.js' }));
 * ```
 */
export class Dispatcher {
  readonly settings: PoolSettings;
  /** Threads that have not exited yet (some may be `closing`). */
  readonly #workers = new Set<PoolWorker>();
  readonly #queue = new PoolQueue();
  /** Callers of `run`/`map` waiting for room in a full queue. */
  readonly #room = new WaitQueue<undefined>();
  readonly #events: WorkerEvents = {
    outcomes: (worker, outcomes) => this.#onOutcomes(worker, outcomes),
    exit: (worker) => this.#onExit(worker),
  };
  #nextId = 1;
  /**
   * Tasks in flight per thread when `concurrentTasksPerWorker` is not set: about
   * `IN_FLIGHT_MS` of work, learned from how fast threads report (see {@link #learn}).
   */
  #cap = INITIAL_CAP;
  /** Smoothed milliseconds per task; `undefined` until the first report of the current burst. */
  #taskMs: number | undefined;
  /** True once `shutdown()` or `terminate()` was called: no new tasks, no new threads. */
  #closed = false;
  /** Settles once closed, with nothing queued and no thread left; `undefined` until closed. */
  #drained: Promise<void> | undefined;
  /** Resolves `#drained`; idempotent. */
  #markDrained: () => void = () => undefined;
  #shutdownTimer: NodeJS.Timeout | undefined;

  constructor(settings: PoolSettings) {
    this.settings = settings;
  }

  /** True once `shutdown()` or `terminate()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Settles once closed with nothing left; `undefined` until closed. */
  get drained(): Promise<void> | undefined {
    return this.#drained;
  }

  get threadCount(): number {
    return this.#workers.size;
  }

  get queueSize(): number {
    return this.#queue.size;
  }

  /** A fresh task id. */
  nextId(): number {
    return this.#nextId++;
  }

  /** Parks until the queue may have room (woken in FIFO order); throws once the pool is closed. */
  async waitForRoom(signal: AbortSignal | undefined, what: string, name: string): Promise<void> {
    await this.#room.park(signal === undefined ? undefined : { signal }, what, () => this.#room.wakeOne(undefined));
    if (this.#closed) throw new InvalidStateError(`${what} cannot start task "${name}": the pool is shut down`);
  }

  /** Terminates whatever still runs `timeout` ms from now (once; the timer ends when the pool drains). */
  terminateAfter(timeout: number): void {
    if (this.#shutdownTimer !== undefined || this.#drained === undefined) return;
    this.#shutdownTimer = setTimeout(
      () => this.terminateAll((name) => new CancelledError(`Task "${name}" was cancelled: WorkerPool.shutdown timed out after ${timeout} milliseconds`)),
      timeout,
    );
  }

  /** True when a new task would have to wait and the queue has no room for it. */
  full(): boolean {
    return this.#queue.size >= this.settings.maxQueue && (this.#queue.size > 0 || this.#pickWorker() === undefined);
  }

  enqueue(task: PoolTask): void {
    if (task.future !== undefined && task.deadline !== undefined) {
      const { signal } = task.deadline;
      signal.addEventListener('abort', () => this.onAbort(task, signal.reason), { once: true });
    }
    this.#queue.push(task);
    this.#pump();
  }

  /**
   * Adapts the in-flight cap: enough tasks that a thread holds about `IN_FLIGHT_MS` of work.
   * Tiny tasks then share round-trips (the cap climbs to `MAX_CAP` within a few reports),
   * while long CPU-bound tasks go one per thread, so none waits in a busy thread's inbox while
   * another thread idles.
   */
  #learn(perTaskMs: number): void {
    this.#taskMs = this.#taskMs === undefined ? perTaskMs : this.#taskMs * 0.7 + perTaskMs * 0.3;
    this.#cap = Math.max(1, Math.min(MAX_CAP, Math.floor(IN_FLIGHT_MS / Math.max(this.#taskMs, 1e-6))));
  }

  /** Posts queued tasks while some thread can take one. */
  #pump(): void {
    while (this.#queue.size > 0) {
      const worker = this.#pickWorker();
      if (worker === undefined) break;
      const task = this.#queue.shift() as PoolTask; // size > 0
      this.#room.wakeOne(undefined);
      if (task.future !== undefined && !task.future.setRunningOrNotifyCancel()) continue;
      worker.send(task);
    }
    if (this.#closed) this.reap();
  }

  #pickWorker(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const worker of this.#workers) {
      if (worker.closing || worker.loadFailed || worker.aborting > 0) continue;
      if (best === undefined || worker.load < best.load) best = worker;
    }
    if (best !== undefined && best.load === 0) return best;
    if (!this.#closed && this.#workers.size < this.settings.size) return this.#spawn();
    return best !== undefined && best.load < (this.settings.perWorker ?? this.#cap) ? best : undefined;
  }

  #spawn(): PoolWorker {
    const { moduleUrl, resourceLimits, execArgv } = this.settings;
    const worker = new PoolWorker({ moduleUrl, resourceLimits, execArgv }, this.#events);
    this.#workers.add(worker);
    return worker;
  }

  #onOutcomes(worker: PoolWorker, results: ResultsMessage): void {
    const reported = (results.length - 1) / RESULT_STRIDE;
    if (reported > 0 && this.settings.perWorker === undefined) this.#learn(worker.perTaskMs(reported));
    let idle = worker.load === 0;
    // [MSG_RESULTS, id, ok, value, …] (see protocol.ts)
    for (let i = 1; i < results.length; i += RESULT_STRIDE) {
      const task = worker.tasks.get(results[i] as number);
      if (task === undefined) continue;
      idle = worker.answered(task);
      if (results[i + 1] === true) task.resolve(results[i + 2]);
      else task.reject(decodeError(results[i + 2] as EncodedError));
    }
    if (idle && this.settings.idleTimeout !== Infinity && !this.#closed) {
      worker.idleTimer = setTimeout(() => worker.stop(() => new WorkerError('Worker thread ended while idle')), this.settings.idleTimeout).unref();
    }
    this.#pump();
    if (idle && this.#queue.size === 0) this.#forgetIfIdle();
  }

  /**
   * Once every thread is idle and nothing is queued the burst is over, and the next one learns
   * afresh from `INITIAL_CAP`: a stale estimate from tiny tasks (`factorize(3)` to warm up)
   * would post a whole burst of long ones in one turn, split once and for all between threads.
   * Rejected: learning per task name (one function can be tiny or long) and taking posted tasks
   * back (a thread runs its inbox synchronously, so it could not answer in time).
   */
  #forgetIfIdle(): void {
    for (const worker of this.#workers) if (worker.load > 0) return;
    this.#taskMs = undefined;
    this.#cap = INITIAL_CAP;
  }

  onAbort(task: PoolTask, reason: unknown): void {
    if (task.state === 'queued') {
      task.reject(reason);
      this.left();
      return;
    }
    if (task.state !== 'running') return;
    task.reject(reason);
    const worker = [...this.#workers].find((candidate) => candidate.tasks.get(task.id) === task);
    if (worker === undefined) return;
    worker.abort(task, reason);
    const grace = this.settings.abortGrace;
    task.graceTimer = setTimeout(() => {
      if (worker.tasks.get(task.id) !== task) return;
      const cause = `task "${task.name}" did not stop within ${grace} milliseconds of its abort`;
      worker.stop((name) => new WorkerError(`Worker thread was terminated while running task "${name}": ${cause}`));
    }, grace);
  }

  /** A queued task left early: room for a waiter. */
  left(): void {
    this.#queue.removed();
    this.#room.wakeOne(undefined);
    if (this.#closed) this.reap();
  }

  #onExit(worker: PoolWorker): void {
    this.#workers.delete(worker);
    if (worker.loadFailed) this.cancelQueued(worker.failure as Failure); // every thread would fail the same way
    this.#pump();
    if (this.#closed && this.#queue.size > 0 && this.#workers.size === 0) {
      this.cancelQueued((name) => new CancelledError(`Task "${name}" was cancelled: the pool is shut down and has no thread left to run it`));
    }
    this.reap();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#drained = new Promise<void>((resolve) => {
      this.#markDrained = resolve;
    });
    this.#room.rejectAll(() => new InvalidStateError('WorkerPool was shut down while waiting for room in its queue'));
  }

  cancelQueued(failure: Failure): void {
    for (const task of this.#queue.drain()) {
      if (task.future === undefined) {
        task.reject(failure(task.name));
        continue;
      }
      // Marked done first, so that the future's done callback does not count it out of the queue again.
      task.state = 'done';
      task.deadline?.dispose();
      task.future.cancel();
    }
  }

  terminateAll(failure: Failure): void {
    this.cancelQueued(failure);
    for (const worker of this.#workers) worker.stop(failure);
  }

  /** While closed: ends idle threads, and resolves `#drained` once nothing is left. */
  reap(): void {
    if (!this.#closed) return;
    for (const worker of this.#workers) {
      if (worker.load === 0 && !worker.closing && this.#queue.size === 0) worker.stop(terminated);
    }
    if (this.#workers.size === 0 && this.#queue.size === 0) {
      clearTimeout(this.#shutdownTimer);
      this.#markDrained();
    }
  }
}
