/**
 * One run of a pipeline: the buffers, the workers, the source pump, the one cancellation
 * scope, the teardown and the settlement.
 *
 * The scope is a `Deadline` (the `signal` and `timeout` options merged into one signal,
 * core's rule that a timeout is a cancellation with a deadline); every call receives its
 * signal. Whatever ends the run early — the first failure, the caller's abort, the timeout,
 * the consumer leaving `for await` — aborts that one scope, and one watcher on it tears the
 * run down synchronously: every buffer is aborted (parked workers, the pump and the consumer
 * are released at once, buffered items dropped), ordered stages stop waiting for turns, and
 * from then on nothing new starts. The run then settles only once every worker and the pump
 * have returned, i.e. once every call has settled and the source has been closed.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';
import { unwatchAbort, watchAbort, type AbortWatcher } from '../core/abort-watch.js';
import { Deadline, type WaitOptions } from '../core/deadline.js';
import { CancelledError } from '../core/errors.js';
import { batchWorker } from './batch-worker.js';
import { Channel } from './channel.js';
import type { PipelineRunOptions } from './options.js';
import { pump, type Source } from './source.js';
import type { Outlet, RunScope, StageRuntime, StageSpec } from './spec.js';
import { stageWorker } from './stage-worker.js';
import { bottleneckOf, StageMeter, type PipelineStats } from './stats.js';
import { Turns } from './turns.js';

/** The stats of a pipeline that has not run: every counter 0. */
export function idleStats(specs: readonly StageSpec[]): PipelineStats {
  const stages = specs.map((spec) => new StageMeter(spec.name, spec.kind === 'batch' ? 1 : spec.opts.workers).snapshot(0, 0, 0));
  return { elapsed: 0, bottleneck: undefined, stages };
}

/** A running pipeline. Its outlet (what the last stage feeds) is the consumer's side. */
export class Run implements RunScope {
  /** Resolves once every worker and the pump have returned; never rejects. */
  readonly settled: Promise<void>;
  /** The run's one signal, which every call receives (a field: the getters behind it cost a brand check per item). */
  readonly signal: AbortSignal;
  /** Mirrors `signal.aborted` as a field: the workers read it once per item. */
  stopped = false;
  /** True once a failure was recorded; `error` is then the first one (a StageError, the source's error, an `onProgress` throw). */
  failed = false;
  error: unknown;
  /** True when the consumer ended the run early (`break` out of `for await`): not a failure. */
  #left = false;
  readonly #scope: Deadline;
  readonly #stages: StageRuntime[];
  /** Stage `i`'s buffer at `i`. */
  readonly #channels: Channel<unknown>[];
  /** What a teardown aborts: the stages' buffers and the consumer's outlet when it is a channel. */
  readonly #buffers: Channel<unknown>[];
  readonly #watchers: AbortWatcher[] = [];
  readonly #opts: PipelineRunOptions | undefined;
  readonly #start = performance.now();
  /** Frozen once the run settled. */
  #elapsed: number | undefined;
  #progress: NodeJS.Timeout | undefined;
  /** Workers and the pump still running; the run settles when it reaches 0. */
  #alive = 1;
  #resolve!: () => void; // assigned by the executor, which runs synchronously

  constructor(source: Source<unknown>, specs: readonly StageSpec[], outlet: Outlet, opts: PipelineRunOptions | undefined, runOpts: WaitOptions | undefined) {
    this.settled = new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
    this.#opts = opts;
    const timeout = Math.min(opts?.timeout ?? Infinity, runOpts?.timeout ?? Infinity);
    this.#scope = new Deadline({ signal: opts?.signal, timeout }, 'Pipeline');
    const { signal } = this.#scope;
    this.signal = signal;
    // Every call may hand this one signal to an API that listens on it (fetch, a child process).
    setMaxListeners(0, signal);
    const extra = runOpts?.signal;
    if (extra !== undefined && extra !== opts?.signal) {
      if (extra.aborted) this.#scope.abort(extra.reason);
      else this.#watchers.push(watchAbort(extra, () => this.#scope.abort(extra.reason)));
    }
    this.#channels = specs.map((spec) => new Channel<unknown>(spec.opts.buffer));
    this.#buffers = [...this.#channels];
    this.#stages = specs.map((spec, i) => ({
      spec,
      input: this.#channels[i] as Channel<unknown>,
      output: this.#channels[i + 1] ?? outlet,
      meter: new StageMeter(spec.name, spec.kind === 'batch' ? 1 : spec.opts.workers),
      turns: spec.opts.ordered && spec.kind !== 'batch' ? new Turns(spec.opts.workers) : undefined,
      what: `Stage ${JSON.stringify(spec.name)}`,
    }));
    if (outlet instanceof Channel) this.#buffers.push(outlet);
    if (signal.aborted) {
      this.#teardown();
      this.#exited();
      return;
    }
    this.#watchers.push(watchAbort(signal, () => this.#teardown()));
    for (const [i, stage] of this.#stages.entries()) this.#startStage(stage, this.#channels[i + 1] ?? outlet);
    this.#alive++;
    // `as`: the builder never runs a pipeline without a stage, so the first buffer exists.
    void pump(this, source, this.#channels[0] as Channel<unknown>).then(() => this.#exited());
    if (opts?.onProgress !== undefined) this.#progress = setInterval(() => this.#report(), opts.progressInterval ?? 1000);
    this.#exited(); // the constructor's own count: the run may settle only once everything was started
  }


  /**
   * Records the first failure and tears the run down. Later failures, and any after a
   * teardown began, are dropped — except after the consumer left, where nothing failed yet and
   * the source's `return()` throwing is news the consumer's `return()` reports.
   */
  fail(error: unknown): void {
    if (this.stopped) {
      if (this.#left && !this.failed) {
        this.failed = true;
        this.error = error;
      }
      return;
    }
    this.failed = true;
    this.error = error;
    const what = error instanceof Error ? error.message : String(error);
    this.#scope.abort(new CancelledError(`Pipeline is shutting down: ${what}`, { cause: error }));
  }

  /** The consumer leaves early (`break`, `return()`): tears the run down without it being a failure. */
  leave(): void {
    if (this.stopped) return;
    this.#left = true;
    this.#scope.abort(new CancelledError('Pipeline is shutting down: its consumer stopped reading'));
  }

  /** Once settled: throws what the run ended with (first failure, abort reason, TimeoutError), or returns. */
  outcome(): void {
    if (this.failed) throw this.error;
    const reason: unknown = this.#scope.signal.reason;
    if (this.stopped && !this.#left) throw reason;
  }

  /** The live figures. */
  stats(): PipelineStats {
    const elapsed = this.#elapsed ?? performance.now() - this.#start;
    const stages = this.#stages.map((stage) => stage.meter.snapshot(elapsed, stage.input.size, stage.input.peak));
    return { elapsed, bottleneck: bottleneckOf(stages), stages };
  }

  #startStage(stage: StageRuntime, output: Outlet): void {
    const workers = stage.spec.kind === 'batch' ? 1 : stage.spec.opts.workers;
    let left = workers;
    const exited = (): void => {
      // Drain-then-close: the last worker out closes the next stage's buffer.
      if (--left === 0 && output instanceof Channel) output.close();
      this.#exited();
    };
    for (let i = 0; i < workers; i++) {
      this.#alive++;
      const worker = stage.spec.kind === 'batch' ? batchWorker(stage) : stageWorker(this, stage);
      worker.then(exited, (error: unknown) => {
        this.fail(error); // a bug in the worker itself; reported rather than lost
        exited();
      });
    }
  }

  #report(): void {
    try {
      this.#opts?.onProgress?.(this.stats());
    } catch (error) {
      this.fail(error);
    }
  }

  #teardown(): void {
    this.stopped = true;
    for (const channel of this.#buffers) channel.abort();
    for (const stage of this.#stages) stage.turns?.abort();
  }

  #exited(): void {
    if (--this.#alive > 0) return;
    this.#elapsed = performance.now() - this.#start;
    clearInterval(this.#progress);
    for (const watcher of this.#watchers) unwatchAbort(watcher);
    this.#scope.dispose();
    if (this.#progress !== undefined) this.#report();
    this.#resolve();
  }
}
