/**
 * What callers and workers agree on beyond BullMQ's own job format.
 *
 * - A task is a BullMQ job whose `name` is the exported function's name and whose `data` is
 *   the array of its arguments; its return value is the job's `returnvalue`. Plain BullMQ
 *   producers can therefore feed a loom worker, and a loom caller can read any dashboard.
 * - A failure's `failedReason` is the envelope of `errors.ts`.
 * - Cancellation requests travel on a Redis pub/sub channel, `<prefix>:<queue>:loom:cancel`,
 *   as `{"jobId":…,"reason":…}`; the worker hands them to BullMQ's `Worker.cancelJob`, which
 *   aborts the job's signal. Pub/sub rather than the queue's event stream: every worker would
 *   otherwise read every event of the queue (four per job) to see the rare cancellation.
 *   A worker that is disconnected at that moment misses the request, and the job then runs to
 *   its end: the caller has given up on it anyway.
 * - `loom:sync` events, written into the queue's event stream by a caller, mark a point in
 *   the stream: once the caller reads its own mark, it has seen every event written before it.
 *
 * Removal: results are not kept in Redis forever. A job with a generated id (nobody can ask
 * for it again) is removed as soon as it completes; a job with a caller's `jobId` keeps its
 * result for {@link KEEP_RESULTS} so that a batch restarted after a crash finds it and does
 * not redo the work; failed jobs are kept for {@link KEEP_FAILED} for inspection.
 *
 * @module
 */

import type { Location } from './connection.js';

/** Kept completed jobs that have a caller's `jobId`: a day, and at most 100,000 per queue. */
export const KEEP_RESULTS = { age: 24 * 60 * 60, count: 100_000 } as const;

/** Kept failed jobs: a day, and at most 10,000 per queue. */
export const KEEP_FAILED = { age: 24 * 60 * 60, count: 10_000 } as const;

/** The event name of a caller's mark in the queue's event stream. */
export const SYNC_EVENT = 'loom:sync';

/** The longest cancellation message a worker reads; longer ones are ignored. */
export const MAX_CANCEL_CHARS = 8192;

/** The longest `jobId` a caller may give. */
export const MAX_JOB_ID_CHARS = 512;

/** The pub/sub channel of cancellation requests for a queue. */
export function cancelChannel(location: Location): string {
  return `${location.prefix}:${location.queue}:loom:cancel`;
}

/** A cancellation request, as sent. */
export interface CancelRequest {
  readonly jobId: string;
  readonly reason: string;
}

/** The request in `message`, or `undefined` when it is not one (too long, not JSON, wrong fields). */
export function parseCancelRequest(message: string): CancelRequest | undefined {
  if (message.length > MAX_CANCEL_CHARS) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { jobId, reason } = parsed as Record<string, unknown>;
  if (typeof jobId !== 'string' || typeof reason !== 'string') return undefined;
  return { jobId, reason };
}

/** The message for a request; the reason is cut to 256 characters, so that with a `jobId` of at most {@link MAX_JOB_ID_CHARS} it always fits {@link MAX_CANCEL_CHARS}, even escaped. */
export function formatCancelRequest(jobId: string, reason: unknown): string {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  return JSON.stringify({ jobId, reason: text.slice(0, 256) });
}
