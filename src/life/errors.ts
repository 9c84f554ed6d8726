/**
 * The one error a generation fails with, whatever the strategy: which cell failed and why.
 *
 * Item 57's complaint is that a thread's exception is printed to stderr and vanishes — the code
 * that joined the thread never learns of it. Item 58 fixes that by hand (catch in the worker,
 * send the exception down the out-queue, `raise SimulationError(y, x) from e` in the main
 * thread). Here every strategy does it for you: the first failing cell aborts the generation
 * and the caller gets a `SimulationError` whose `cause` is the original error, unwrapped (not a
 * `TaskGroupError` around it, not a future's `CancelledError`).
 *
 * @module
 */

/**
 * A cell's logic failed during a generation. `y`/`x` say which cell; `cause` is the error the
 * cell's `countNeighbors`/`gameLogic` threw or rejected with.
 *
 * @example
 * ```ts
 * import { Grid, SimulationError, simulateAsync } from 'loom/life';
 * try {
 *   await simulateAsync(new Grid(1, 1), {
 *     gameLogic: () => {
 *       throw new Error('Problem with I/O in game_logic');
 *     },
 *   });
 * } catch (error) {
 *   if (error instanceof SimulationError) console.log(error.y, error.x, error.cause);
 * }
 * ```
 */
export class SimulationError extends Error {
  /** Always `'SimulationError'`. */
  override name = 'SimulationError';
  /** Row of the failing cell. */
  readonly y: number;
  /** Column of the failing cell. */
  readonly x: number;

  constructor(y: number, x: number, options: { cause: unknown }) {
    super(`Cell (${y}, ${x}) failed: ${describeCause(options.cause)}`, options);
    this.y = y;
    this.x = x;
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
