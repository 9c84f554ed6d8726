/**
 * The error a pool task rejects with when its worker thread, not the task, failed.
 *
 * @module
 */

/**
 * A task could not finish because its worker thread died or was stopped: it crashed with an
 * uncaught error, called `process.exit`, ran out of memory (`resourceLimits`), was terminated
 * because a task did not stop after its abort, or could not load the task module. The message
 * says which, and `cause` holds the underlying error when there is one. The worker is replaced
 * for the tasks still to run.
 *
 * @example
 * ```ts
 * import { WorkerError, type WorkerPool } from 'loom/workers';
 * declare const pool: WorkerPool;
 * try {
 *   await pool.run('mayCrash');
 * } catch (error) {
 *   if (error instanceof WorkerError) console.error('worker died:', error.message, error.exitCode);
 * }
 * ```
 */
export class WorkerError extends Error {
  /** Always `'WorkerError'`. */
  override name = 'WorkerError';
  /** The thread's exit code when it exited by itself (`process.exit(code)` or a crash), else `undefined`. */
  readonly exitCode: number | undefined;

  constructor(message: string, options?: { cause?: unknown; exitCode?: number | undefined }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options?.exitCode;
  }
}
