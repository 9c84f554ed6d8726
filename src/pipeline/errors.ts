/**
 * `StageError`: the one error a pipeline run rejects with when a stage fails.
 *
 * @module
 */

/**
 * A stage's call failed (after its retries) and the stage had no `continueOnError`: the run
 * was torn down and rejects with this. `stage` is the stage's name, `index` the item's index
 * among that stage's inputs (from 0), `item` the input itself, `cause` what the call threw.
 * Message: `Stage "resize" failed on item 17: <the cause's message>`.
 *
 * @example
 * ```ts
 * import { pipeline, StageError } from 'loom/pipeline';
 * await pipeline([1, 2, 3])
 *   .stage('check', (n) => {
 *     if (n === 2) throw new Error('two is not allowed');
 *     return n;
 *   })
 *   .run()
 *   .catch((error: unknown) => {
 *     if (!(error instanceof StageError)) throw error;
 *     console.log(error.message); // Stage "check" failed on item 1: two is not allowed
 *   });
 * ```
 */
export class StageError extends Error {
  /** Always `'StageError'`. */
  override name = 'StageError';
  /** The failing stage's name. */
  readonly stage: string;
  /** The item's index among the stage's inputs, from 0 (the `index` its call received). */
  readonly index: number;
  /** The input the call failed on. */
  readonly item: unknown;

  constructor(stage: string, index: number, item: unknown, cause: unknown) {
    super(`Stage ${JSON.stringify(stage)} failed on item ${index}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.stage = stage;
    this.index = index;
    this.item = item;
  }
}
