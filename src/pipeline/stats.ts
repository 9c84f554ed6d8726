/**
 * Per-stage counters and clocks, and the `PipelineStats` snapshot built from them.
 *
 * Counting is a field increment. Timing is what costs: one `performance.now()` costs about
 * as much as one `await` (80–300 ns), so timing every call of a trivial stage would double
 * its per-item cost. The meter therefore samples, adaptively, per stage:
 *
 * - While calls take longer than {@link CHEAP_CALL_MS} (20 µs), every iteration of a worker
 *   is timed (its wait for input, its call, its wait to pass the result on): two clock reads
 *   are then under 1.5% of the call.
 * - Once a timed call comes in under that, the stage times only every {@link SAMPLE_EVERY}th
 *   iteration (stage-wide) and counts each timed figure {@link SAMPLE_EVERY} times; the first
 *   sampled call that is slow again switches back. The sums (`busy`, `starved`, `blocked`)
 *   are then unbiased estimates, exact in expectation.
 *
 * Latency percentiles come from a fixed ring of the last {@link RESERVOIR} timed calls (a
 * `Float64Array`, allocated once per stage): nothing is allocated per item, and `stats()`
 * sorts a copy of at most 1,024 numbers, cheap enough to call every 50 ms. `max` is the
 * largest timed call (exact while every call is timed).
 *
 * @module
 */

/** Calls shorter than this (ms) are cheap enough that timing each would show in their cost. */
export const CHEAP_CALL_MS = 0.02;
/** While calls are cheap, one iteration in this many is timed (a power of two: a mask test). */
export const SAMPLE_EVERY = 32;
/** Timed call durations kept for the percentiles. */
export const RESERVOIR = 1024;

/** Latency of a stage's calls, in milliseconds. */
export interface LatencyStats {
  /** Median of the recent timed calls (0 before any). */
  readonly p50: number;
  /** 95th percentile of the recent timed calls (0 before any). */
  readonly p95: number;
  /** The longest timed call of the run (0 before any). */
  readonly max: number;
}

/** One stage's figures, a snapshot (see `PipelineStats`). */
export interface StageStats {
  /** The stage's name, unique in its pipeline. */
  readonly name: string;
  /** Calls the stage runs at once (1 for `.batch`). */
  readonly workers: number;
  /** Items the stage took from its buffer (its inputs; `index` counts them). */
  readonly received: number;
  /** Items the stage passed on (for `.flatMap` each output counts; for `.batch` each batch). */
  readonly emitted: number;
  /** Inputs whose call failed after its retries (with `continueOnError`, or the one failure that ended the run). */
  readonly failed: number;
  /**
   * Inputs the stage received and did not pass on otherwise: rejected by a `.filter`, or
   * abandoned when the run was torn down (cancelled in a call, or ready with nowhere to go).
   * For `.stage` and `.filter`, once the run has settled, `received = emitted + failed + dropped`.
   */
  readonly dropped: number;
  /** Re-attempts made (a call retried twice counts 2). */
  readonly retried: number;
  /** Inputs the stage holds now: in a call, waiting for a retry, for their turn, or for room downstream. */
  readonly inFlight: number;
  /** Items waiting in the stage's buffer now. */
  readonly buffered: number;
  /** The most items its buffer held at once. */
  readonly bufferPeak: number;
  /** Milliseconds spent in calls, summed over the workers (estimated while sampling, see the module notes). */
  readonly busy: number;
  /** `busy / (workers × elapsed)`, 0 to 1: the share of the stage's capacity in use. */
  readonly utilization: number;
  /** Milliseconds workers waited for input, summed over the workers. */
  readonly starved: number;
  /** Milliseconds finished items waited to be passed on (for room downstream or, ordered, for their turn), summed. */
  readonly blocked: number;
  /** Call latency, per attempt sequence (retries and their delays included). */
  readonly latency: LatencyStats;
}

/** A pipeline's figures: live from `Pipeline.stats()` and `onProgress`, final from `run()`. */
export interface PipelineStats {
  /** Milliseconds since the run started (frozen once it settled; 0 before it starts). */
  readonly elapsed: number;
  /** The name of the stage with the highest utilization (the one to widen); `undefined` before any work or without stages. */
  readonly bottleneck: string | undefined;
  /** One entry per stage, in pipeline order. */
  readonly stages: readonly StageStats[];
}

/** The live counters of one stage. Plain fields: the workers bump them on the hot path. */
export class StageMeter {
  received = 0;
  /** Inputs finished one way or another (emitted, filtered out, failed, dropped). */
  finished = 0;
  emitted = 0;
  failed = 0;
  dropped = 0;
  retried = 0;
  busy = 0;
  starved = 0;
  blocked = 0;
  /** True while every iteration is timed (calls are slow enough). */
  #timeAll = true;
  /** Iterations started, for choosing the sampled ones. */
  #tick = 0;
  readonly #samples = new Float64Array(RESERVOIR);
  /** Timed calls recorded so far; the ring's next slot is `#recorded % RESERVOIR`. */
  #recorded = 0;
  #max = 0;

  constructor(
    readonly name: string,
    readonly workers: number,
  ) {}

  /**
   * Whether to time the iteration that starts now: 0 for no, else the weight its figures
   * count for (1 while every iteration is timed, {@link SAMPLE_EVERY} while sampling).
   */
  weight(): number {
    if (this.#timeAll) return 1;
    return (++this.#tick & (SAMPLE_EVERY - 1)) === 0 ? SAMPLE_EVERY : 0;
  }

  /** Records one timed call of `ms`, counted `weight` times in `busy`. */
  call(ms: number, weight: number): void {
    this.busy += ms * weight;
    this.#samples[this.#recorded++ % RESERVOIR] = ms;
    if (ms > this.#max) this.#max = ms;
    this.#timeAll = ms >= CHEAP_CALL_MS;
  }

  /** The snapshot of this stage, `elapsed` ms into the run. */
  snapshot(elapsed: number, buffered: number, bufferPeak: number): StageStats {
    return {
      name: this.name,
      workers: this.workers,
      received: this.received,
      emitted: this.emitted,
      failed: this.failed,
      dropped: this.dropped,
      retried: this.retried,
      inFlight: this.received - this.finished,
      buffered,
      bufferPeak,
      busy: this.busy,
      utilization: elapsed > 0 ? Math.min(1, this.busy / (this.workers * elapsed)) : 0,
      starved: this.starved,
      blocked: this.blocked,
      latency: this.#latency(),
    };
  }

  #latency(): LatencyStats {
    const count = Math.min(this.#recorded, RESERVOIR);
    if (count === 0) return { p50: 0, p95: 0, max: 0 };
    const sorted = this.#samples.slice(0, count).sort();
    return { p50: rank(sorted, 0.5), p95: rank(sorted, 0.95), max: this.#max };
  }
}

/** The nearest-rank percentile `q` of ascending `sorted` (non-empty). */
function rank(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/** The bottleneck: the stage with the highest utilization, the first of equals; none while all are idle. */
export function bottleneckOf(stages: readonly StageStats[]): string | undefined {
  let best: StageStats | undefined;
  for (const stage of stages) if (stage.utilization > (best?.utilization ?? 0)) best = stage;
  return best?.name;
}
