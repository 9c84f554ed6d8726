/**
 * The messages between a `WorkerPool` and its worker threads (STYLE 3, after piscina's
 * `src/types.ts`). Both directions batch: one message carries every task (or result) that is
 * ready in the same turn of the event loop, so that many tiny tasks cost one structured-clone
 * round-trip between them rather than one each.
 *
 *     main -> worker   RunMessage    tasks to start, in order
 *                      AbortMessage  a running task's signal aborted
 *     worker -> main   ResultsMessage  tasks that finished, in the order they finished
 *                      LoadFailedMessage  the task module could not be imported; the worker exits
 *
 * Every message is a flat array whose first element is its kind, a small integer.
 *
 * @module
 */

import type { EncodedError } from './error-codec.js';

/** Tasks to start. */
export const MSG_RUN = 1;
/** Abort one running task's signal. */
export const MSG_ABORT = 2;
/** Outcomes of finished tasks. */
export const MSG_RESULTS = 3;
/** The task module failed to load. */
export const MSG_LOAD_FAILED = 4;

/** What the worker entry receives as `workerData`. */
export interface WorkerStartData {
  /** The `file:` URL (or bare specifier) of the task module, imported once per worker. */
  readonly moduleUrl: string;
}

/** Flags of a task, or-ed together in its {@link RunMessage} entry. */
export const TASK_BATCH = 1;
/** The task has a signal or timeout: the worker gives it an `AbortSignal` it can abort. */
export const TASK_CANCELLABLE = 2;

/** Words per task in a {@link RunMessage}: id, name, args, flags. */
export const RUN_STRIDE = 4;

/**
 * main -> worker: start these tasks, in order. Flat, `[MSG_RUN, id, name, args, flags, id, …]`:
 * structured cloning copies a flat array of small values much faster than an object per task.
 * `args` is the argument array; for a `TASK_BATCH` (a `map` chunk) it is `[items]`, and the
 * function is called once per item.
 */
export type RunMessage = [typeof MSG_RUN, ...unknown[]];

/** main -> worker: abort the signal of running task `id` with the encoded `reason`. */
export type AbortMessage = [typeof MSG_ABORT, id: number, reason: EncodedError];

/** Everything the main thread sends. */
export type ToWorker = RunMessage | AbortMessage;

/** Words per outcome in a {@link ResultsMessage}: id, ok, value. */
export const RESULT_STRIDE = 3;

/**
 * worker -> main: these tasks finished, flat like {@link RunMessage}:
 * `[MSG_RESULTS, id, ok, value, id, …]`, where `value` is the result when `ok`, else an
 * {@link EncodedError}.
 */
export type ResultsMessage = [typeof MSG_RESULTS, ...unknown[]];

/** worker -> main: importing the task module failed; the worker exits after this message. */
export type LoadFailedMessage = [typeof MSG_LOAD_FAILED, error: EncodedError];

/** Everything a worker sends. */
export type FromWorker = ResultsMessage | LoadFailedMessage;
