/**
 * The main thread's side of one pool worker: the thread, the tasks posted to it that it has not
 * answered yet, and the outgoing batch.
 *
 * Tasks posted in the same turn of the event loop go out as one message, sent by a microtask
 * (so `for (…) pool.run(…)` costs one structured clone per worker, not one per task). The
 * thread is referenced only while it has tasks: an idle pool never keeps the process alive.
 *
 * When the thread ends for any reason, every task still in flight on it rejects with the reason
 * the pool recorded (`failure`), else with a `WorkerError` built from the thread's own `error`
 * event or exit code.
 *
 * @module
 */

import type { TransferListItem, Worker } from 'node:worker_threads';
import { decodeError, encodeError } from './error-codec.js';
import { WorkerError } from './errors.js';
import type { PoolTask } from './pool-task.js';
import { MSG_ABORT, MSG_LOAD_FAILED, MSG_RESULTS, MSG_RUN, RUN_STRIDE, type FromWorker, type ResultsMessage, type RunMessage } from './protocol.js';
import { spawnWorker, type SpawnOptions } from './spawn.js';

/** What a worker reports to its pool. */
export interface WorkerEvents {
  outcomes(worker: PoolWorker, results: ResultsMessage): void;
  exit(worker: PoolWorker): void;
}

/** Builds the error a task that was in flight on an ended thread rejects with. */
export type Failure = (taskName: string) => Error;

/**
 * The main thread's handle on one pool thread (internal).
 *
 * @example
 * ```ts
 * const worker = new PoolWorker({ moduleUrl, resourceLimits: undefined, execArgv: undefined }, events);
 * worker.send(task);
 * ```
 */
export class PoolWorker {
  readonly thread: Worker;
  /** Tasks posted and not yet answered, by id: `running` ones, and aborted ones not yet let go. */
  readonly tasks = new Map<number, PoolTask>();
  /** Why the thread is ending; the first recorded reason wins. */
  failure: Failure | undefined;
  /** True once the task module failed to load in this thread. */
  loadFailed = false;
  /** True once the pool decided to end this thread: it takes no more tasks. */
  closing = false;
  /** Aborted tasks still in flight here; while > 0 the thread takes no new task, since it may be terminated for them. */
  aborting = 0;
  /** Ends an idle thread after the pool's `idleTimeout`; set only while `tasks` is empty. */
  idleTimer: NodeJS.Timeout | undefined;
  /** The next `RunMessage`; holds tasks once its length is > 1. */
  #outbox: RunMessage = [MSG_RUN];
  /** When the thread last became busy or last reported: the start of the span `perTaskMs` divides. */
  #markAt = 0;
  #transfer: TransferListItem[] = [];
  #flushQueued = false;
  readonly #events: WorkerEvents;

  constructor(options: SpawnOptions, events: WorkerEvents) {
    this.#events = events;
    this.thread = spawnWorker(options);
    this.thread.unref();
    this.thread.on('message', (message: FromWorker) => {
      if (message[0] === MSG_LOAD_FAILED) {
        const cause = decodeError(message[1]);
        this.loadFailed = true;
        this.#fail(() => new WorkerError(`Could not load task module ${options.moduleUrl}: ${describe(cause)}`, { cause }));
        return;
      }
      this.#events.outcomes(this, message);
    });
    this.thread.on('error', (error: Error & { code?: string }) => {
      this.#fail((name) =>
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new WorkerError(`Worker thread ran out of memory while running task "${name}"`, { cause: error })
          : new WorkerError(`Worker thread crashed while running task "${name}": ${describe(error)}`, { cause: error }),
      );
    });
    this.thread.on('exit', (code) => {
      this.#fail((name) => new WorkerError(`Worker thread exited with code ${code} while running task "${name}"`, { exitCode: code }));
      const failure = this.failure as Failure; // just set, or set before
      for (const task of this.tasks.values()) {
        clearTimeout(task.graceTimer);
        task.reject(failure(task.name));
      }
      this.tasks.clear();
      clearTimeout(this.idleTimer);
      this.#events.exit(this);
    });
  }

  /** Tasks in flight, counting aborted ones that still occupy the thread. */
  get load(): number {
    return this.tasks.size;
  }

  /** Posts `task` with the others of this turn. */
  send(task: PoolTask): void {
    if (this.tasks.size === 0) {
      this.#markAt = performance.now();
      this.thread.ref();
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    task.state = 'running';
    this.tasks.set(task.id, task);
    this.#outbox.push(task.id, task.name, task.args, task.flags);
    if (task.transfer !== undefined) this.#transfer.push(...task.transfer);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flush);
    }
  }

  /**
   * Milliseconds per task over the span since the thread became busy or last reported, for
   * `reported` tasks reported now: while the thread is kept busy, its throughput.
   */
  perTaskMs(reported: number): number {
    const now = performance.now();
    const span = now - this.#markAt;
    this.#markAt = now;
    return span / Math.max(reported, 1);
  }

  /** Aborts the signal of running `task` in the thread with `reason`. */
  abort(task: PoolTask, reason: unknown): void {
    this.aborting++;
    this.thread.postMessage([MSG_ABORT, task.id, encodeError(reason)]);
  }

  /** Takes `task` off the thread's books once it answered; true when the thread is now idle. */
  answered(task: PoolTask): boolean {
    this.tasks.delete(task.id);
    if (task.graceTimer !== undefined) {
      clearTimeout(task.graceTimer);
      this.aborting--;
    }
    if (this.tasks.size > 0) return false;
    this.thread.unref();
    return true;
  }

  /** Ends the thread; its tasks in flight reject with `failure` unless another reason came first. */
  stop(failure: Failure): void {
    this.closing = true;
    this.#fail(failure);
    void this.thread.terminate();
  }

  #fail(failure: Failure): void {
    this.failure ??= failure;
  }

  readonly #flush = (): void => {
    this.#flushQueued = false;
    const tasks = this.#outbox;
    const transfer = this.#transfer;
    this.#outbox = [MSG_RUN];
    this.#transfer = [];
    try {
      this.thread.postMessage(tasks, transfer.length === 0 ? undefined : transfer);
    } catch (error) {
      // An argument cannot be cloned: nothing was sent. Post each task alone so that only the
      // culprit fails, with the clone error naming it.
      this.#postOneByOne(tasks, error);
    }
  };

  #postOneByOne(tasks: RunMessage, firstError: unknown): void {
    let failed = false;
    for (let i = 1; i < tasks.length; i += RUN_STRIDE) {
      const task = this.tasks.get(tasks[i] as number);
      if (task === undefined) continue;
      try {
        this.thread.postMessage([MSG_RUN, task.id, task.name, task.args, task.flags], task.transfer === undefined ? undefined : [...task.transfer]);
      } catch (error) {
        const failure = new TypeError(`Task "${task.name}" has arguments that cannot be posted to a worker: ${describe(error ?? firstError)}`, { cause: error });
        this.answered(task);
        task.reject(failure);
        failed = true;
      }
    }
    // Freed slots: let the pool post more (an empty report does exactly that).
    if (failed) this.#events.outcomes(this, [MSG_RESULTS]);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
