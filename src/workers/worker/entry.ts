/**
 * The code that runs inside each pool worker (STYLE 3, after piscina's `src/worker.ts`): it
 * imports the task module once, then runs the tasks the pool posts and posts their outcomes.
 *
 * Batching: a `RunMessage` may carry many tasks. Synchronous results are collected while the
 * batch runs and posted together at its end, or sooner once a millisecond has passed since the
 * last post, so that a batch of slow tasks does not hold back the first results. Asynchronous
 * results are collected as they settle and posted by one microtask per turn.
 *
 * Cancellation is cooperative: a task with a signal or timeout gets its own `AbortSignal` as the
 * last argument's `signal`, aborted when an `AbortMessage` arrives. A task that does not stop is
 * the pool's business: it terminates this whole thread. Other tasks share one context whose
 * signal never aborts, so they allocate nothing for cancellation.
 *
 * Rejected: piscina's idle `Atomics.wait` loop on a shared request counter. It saves a little
 * latency, but it blocks this thread's event loop whenever no task is running, which stalls
 * timers and I/O that a task module started and cannot be ended by an `AbortMessage`.
 *
 * @module
 */

import { parentPort, workerData, type TransferListItem } from 'node:worker_threads';
import { expectation } from '../../core/validate.js';
import { encodeError, decodeError } from '../error-codec.js';
import {
  MSG_ABORT,
  MSG_LOAD_FAILED,
  MSG_RESULTS,
  RESULT_STRIDE,
  RUN_STRIDE,
  TASK_BATCH,
  TASK_CANCELLABLE,
  type ResultsMessage,
  type ToWorker,
  type WorkerStartData,
} from '../protocol.js';
import { isTransfer } from '../transfer.js';

/** The context of a task without signal or timeout: its signal never aborts. */
const QUIET = Object.freeze({ signal: new AbortController().signal });
/** Sync results are posted at least this often (ms) while a long batch runs. */
const FLUSH_EVERY_MS = 1;

// This file is only ever a worker's entry, where parentPort is set.
const port = parentPort!;
const { moduleUrl } = workerData as WorkerStartData;

/** The controllers of running cancellable tasks, by id; removed when the task settles. */
const controllers = new Map<number, AbortController>();
/** The next `ResultsMessage`; holds outcomes once its length is > 1. */
let results: ResultsMessage = [MSG_RESULTS];
/** Per outcome in `results` (same order): the task's name and what to transfer with its value. */
let names: string[] = [];
let transfers: (readonly TransferListItem[] | undefined)[] = [];
let flushQueued = false;
let lastFlush = performance.now();

/** The task module's exports; `undefined` when it failed to load (the thread then ends). */
const tasks = await load();
if (tasks !== undefined) port.on('message', onMessage);

async function load(): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    // Closing the port leaves the thread nothing to do, so it exits after posting this.
    port.postMessage([MSG_LOAD_FAILED, encodeError(error)]);
    port.close();
    return undefined;
  }
}

function onMessage(message: ToWorker): void {
  if (message[0] === MSG_ABORT) {
    controllers.get(message[1])?.abort(decodeError(message[2]));
    return;
  }
  // A RunMessage: [MSG_RUN, id, name, args, flags, …] (see protocol.ts).
  for (let i = 1; i < message.length; i += RUN_STRIDE) {
    start(message[i] as number, message[i + 1] as string, message[i + 2] as unknown[], message[i + 3] as number);
    if (results.length > 1 && performance.now() - lastFlush > FLUSH_EVERY_MS) flush();
  }
  if (results.length > 1) flush();
}

function start(id: number, name: string, args: unknown[], flags: number): void {
  // tasks is set: onMessage is only installed once it loaded.
  const fn = tasks![name];
  if (typeof fn !== 'function') {
    finish(id, name, flags, false, new TypeError(expectation(name, `a function exported by ${moduleUrl}`, fn)));
    return;
  }
  let context = QUIET;
  if ((flags & TASK_CANCELLABLE) !== 0) {
    const controller = new AbortController();
    controllers.set(id, controller);
    context = { signal: controller.signal };
  }
  try {
    // A task function takes whatever the caller posted; its type is the task module's contract, not ours.
    const call = fn as (...args: unknown[]) => unknown;
    // A batch's only argument is its array of items (built by WorkerPool.map).
    const value = (flags & TASK_BATCH) !== 0 ? runBatch(call, args[0] as unknown[], context) : call(...args, context);
    if (isThenable(value)) {
      value.then(
        (result) => settleLater(id, name, flags, true, result),
        (error: unknown) => settleLater(id, name, flags, false, error),
      );
    } else {
      finish(id, name, flags, true, value);
    }
  } catch (error) {
    finish(id, name, flags, false, error);
  }
}

/** Calls `fn` per item; the array of results, or a promise of it when any result is a promise. */
function runBatch(fn: (...args: unknown[]) => unknown, items: readonly unknown[], context: object): unknown {
  const out = new Array<unknown>(items.length);
  let anyThenable = false;
  for (let i = 0; i < items.length; i++) {
    const result = fn(items[i], context);
    if (!anyThenable && isThenable(result)) anyThenable = true;
    out[i] = result;
  }
  return anyThenable ? Promise.all(out) : out;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function settleLater(id: number, name: string, flags: number, ok: boolean, value: unknown): void {
  finish(id, name, flags, ok, value);
  if (flushQueued) return;
  flushQueued = true;
  queueMicrotask(flush);
}

function finish(id: number, name: string, flags: number, ok: boolean, value: unknown): void {
  if ((flags & TASK_CANCELLABLE) !== 0) controllers.delete(id);
  let transferList: readonly TransferListItem[] | undefined;
  if (ok && isTransfer(value)) {
    transferList = value.transferList;
    value = value.value;
  }
  results.push(id, ok, ok ? value : encodeError(value));
  names.push(name);
  transfers.push(transferList);
}

/** Posts the collected outcomes; one that cannot be cloned is replaced by a `DataCloneError` naming its task. */
function flush(): void {
  flushQueued = false;
  if (results.length === 1) return;
  lastFlush = performance.now();
  const batch = results;
  const batchNames = names;
  const batchTransfers = transfers;
  results = [MSG_RESULTS];
  names = [];
  transfers = [];
  const transferList = batchTransfers.some((list) => list !== undefined) ? batchTransfers.flatMap((list) => list ?? []) : undefined;
  try {
    port.postMessage(batch, transferList);
    return;
  } catch {
    // Some outcome cannot be cloned (postMessage serialises everything before sending
    // anything, so nothing was sent): post them one by one to find it.
  }
  for (let k = 0; k < batchNames.length; k++) {
    const at = 1 + k * RESULT_STRIDE;
    const id = batch[at] as number;
    try {
      port.postMessage([MSG_RESULTS, id, batch[at + 1], batch[at + 2]], batchTransfers[k]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const failure = new Error(`Task "${batchNames[k]}" returned a value that cannot be cloned: ${reason}`, { cause: error });
      failure.name = 'DataCloneError';
      port.postMessage([MSG_RESULTS, id, false, encodeError(failure)]);
    }
  }
}
