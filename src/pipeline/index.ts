/**
 * `loom/pipeline`: multi-stage pipelines — the seed's items 55 and 58 (download → resize →
 * upload with N workers per stage and bounded buffers between them) as one API, after the Go
 * blog's "Pipelines and cancellation" (Ajmani, 2014): each stage a function of its inbound
 * buffer, bounded buffers, one `done` signal that reaches every stage.
 *
 * The contract is DESIGN.md's "pipeline" section. Where it is silent, the decisions (what a
 * user of Python's `queue` pipelines and of p-map would expect):
 *
 * - **Order.** Unordered stages pass items on in completion order. `ordered: true` restores
 *   the stage's input order; a finished item waiting for its turn keeps its worker (so it
 *   counts in the bound, as DESIGN says). Filtered-out and failed items take their turn too.
 * - **Indices.** `index` counts a stage's inputs in the order they left its buffer (its
 *   arrival order), from 0, the `StageError`'s `index` included.
 * - **Buffers.** `buffer: 0` is a rendezvous: an item is handed straight to an idle worker.
 *   The consumer of `for await` takes from a rendezvous too, so the item in the loop body is
 *   the one extra item of the bound. `.batch` holds up to `size` items (its "workers") plus its
 *   buffer, default `size`.
 * - **Errors.** The first failure wins (p-map, errgroup): later failures, and any failure
 *   after a teardown began, are dropped (counted in `dropped`). With `continueOnError` a
 *   failed item counts in `failed` and the run goes on. Failures of the source (its `next()`
 *   or its `return()`) and a throw from `onProgress` fail the run with that error as is.
 *   `retries` re-call the function with the same item and index after `retryDelay`; a retry
 *   never starts once the run is torn down.
 * - **Timeouts.** The run's `timeout` (the smaller of the pipeline's and `run()`'s) and its
 *   `signal` tear the run down and wait for every call, like a failure. A stage's per-attempt
 *   `timeout` fails the attempt when it elapses without waiting for the call (`withTimeout`'s
 *   rule: a bound that waits for a call ignoring its signal is no bound); its signal aborts
 *   with the `TimeoutError` so a cooperative call stops.
 * - **Teardown.** Leaving `for await` early tears the run down like a failure but ends
 *   without an error; `return()` resolves once every call has settled.
 * - **Runs once.** Pipelines built from one `pipeline()` call share their source, so only one
 *   of them may run (`InvalidStateError`); a pipeline without stages cannot run.
 * - **Queue source.** Read with `get` under the run's signal, each item marked `taskDone()`
 *   when it enters the first stage; the pipeline never closes the queue.
 * - **Progress.** `onProgress` gets `stats()` every `progressInterval` ms (default 1000)
 *   while running and once when the run has settled (the last figures).
 * - **Stats cost.** Counting is a field increment; time is sampled so that a trivial stage
 *   does not pay a clock read per call: every call is timed while calls take over 20 µs, and
 *   one in 32 (its figures counted 32 times) while they are faster. Latency percentiles come
 *   from a fixed ring of the last 1,024 timed calls (see `stats.ts`).
 *
 * Nothing here loads `worker_threads` or `child_process`; a stage reaches threads or
 * processes only through the function it is given.
 *
 * @module
 */

export { pipeline, Pipeline } from './pipeline.js';
export { StageError } from './errors.js';
export type { PipelineRunOptions, StageOptions, BatchOptions } from './options.js';
export type { PipelineStats, StageStats, LatencyStats } from './stats.js';
export { CancelledError, InvalidStateError, TimeoutError } from '../core/errors.js';
