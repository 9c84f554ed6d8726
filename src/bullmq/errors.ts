/**
 * The errors of `loom/bullmq`, and how a task's failure crosses from the worker to the caller.
 *
 * BullMQ keeps only the message of a failed job's error (`failedReason`, also what its
 * `failed` event carries), not its name, and its stack only in the job's hash. So the worker
 * writes the whole failure into the message as a small JSON envelope (`{"loom":1,"name":…,
 * "message":…,"stack":…,"attemptsMade":…}`), and the caller turns it back into a
 * {@link RemoteTaskError} with the remote name, message and stack. A failure BullMQ itself
 * reports (a job stalled too often, a lock lost) has no envelope: its text is the message.
 * The envelope is read as hostile input: at most {@link MAX_FAILURE_CHARS} characters are
 * decoded, and fields of the wrong type are ignored.
 *
 * @module
 */

/** The longest `failedReason` decoded as an envelope; longer ones are kept as plain text. */
export const MAX_FAILURE_CHARS = 1 << 20;

/**
 * A task failed on a remote worker (after all its `attempts`). `name`, `message` and `stack`
 * are those of the error the remote task threw (`name` is `'Error'` and `stack` the message
 * alone when BullMQ itself failed the job, e.g. a job that stalled too many times);
 * `jobId` names the BullMQ job, `attemptsMade` how many attempts ran.
 *
 * @example
 * ```ts no-run
 * import { BullExecutor, RemoteTaskError } from 'loom/bullmq';
 * declare const executor: BullExecutor;
 * try {
 *   await executor.run('resize', ['missing.jpg']);
 * } catch (error) {
 *   if (error instanceof RemoteTaskError) console.error(error.name, error.message, error.jobId, error.attemptsMade);
 * }
 * ```
 */
export class RemoteTaskError extends Error {
  /** The BullMQ job that failed. */
  readonly jobId: string;
  /** How many attempts ran before the job failed for good. */
  readonly attemptsMade: number;

  constructor(name: string, message: string, stack: string, jobId: string, attemptsMade: number) {
    super(message);
    this.name = name;
    this.stack = stack;
    this.jobId = jobId;
    this.attemptsMade = attemptsMade;
  }
}

/**
 * A job a caller waits for is gone from Redis before it finished: removed by someone else,
 * or lost with the data of a Redis that restarted without persistence. The caller gets this
 * error instead of waiting forever.
 *
 * @example
 * ```ts no-run
 * import { BullExecutor, JobLostError } from 'loom/bullmq';
 * declare const executor: BullExecutor;
 * await executor.run('resize', ['a.jpg']).catch((error: unknown) => {
 *   if (error instanceof JobLostError) console.error(`job ${error.jobId} was lost; submit it again`);
 * });
 * ```
 */
export class JobLostError extends Error {
  /** Always `'JobLostError'`. */
  override name = 'JobLostError';
  /** The BullMQ job that vanished. */
  readonly jobId: string;

  constructor(message: string, jobId: string) {
    super(message);
    this.jobId = jobId;
  }
}

/** The fields of a failure envelope. */
interface Envelope {
  readonly loom: 1;
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  readonly attemptsMade: number;
}

/** The envelope of `error` (any thrown value) at attempt number `attemptsMade`: the message of the error the worker hands BullMQ. */
export function encodeFailure(error: unknown, attemptsMade: number): string {
  const isError = error instanceof Error;
  const message = isError ? error.message : `Non-error thrown: ${String(error)}`;
  const name = isError ? error.name : 'Error';
  const envelope: Envelope = { loom: 1, name, message, stack: (isError ? error.stack : undefined) ?? `${name}: ${message}`, attemptsMade };
  return JSON.stringify(envelope);
}

/**
 * The caller's error for a job that failed with `failedReason`; `attemptsMade` is used when
 * the reason has no envelope (BullMQ's own failures).
 */
export function decodeFailure(failedReason: unknown, jobId: string, attemptsMade: number): RemoteTaskError {
  const text = typeof failedReason === 'string' ? failedReason : String(failedReason);
  const envelope = isEnvelope(text) ? parseEnvelope(text) : undefined;
  if (envelope === undefined) return new RemoteTaskError('Error', text, `Error: ${text}`, jobId, attemptsMade);
  return new RemoteTaskError(envelope.name, envelope.message, envelope.stack, jobId, envelope.attemptsMade);
}

/** True when `failedReason` looks like an envelope short enough to decode. */
export function isEnvelope(failedReason: unknown): boolean {
  return typeof failedReason === 'string' && failedReason.length <= MAX_FAILURE_CHARS && failedReason.startsWith('{"loom":1');
}

function parseEnvelope(text: string): Envelope | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { name, message, stack, attemptsMade } = parsed as Record<string, unknown>;
  if (typeof name !== 'string' || typeof message !== 'string' || typeof stack !== 'string') return undefined;
  if (typeof attemptsMade !== 'number' || !Number.isInteger(attemptsMade) || attemptsMade < 0) return undefined;
  return { loom: 1, name, message, stack, attemptsMade };
}
