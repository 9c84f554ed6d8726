/**
 * `pipeline(source, opts)` and the lazy, immutable `Pipeline<T>` builder. See `index.ts` for
 * the design and the decisions where DESIGN.md is silent.
 *
 * @module
 */

import { type WaitOptions } from '../core/deadline.js';
import { InvalidStateError } from '../core/errors.js';
import { checkFunction, checkWaitOptions, expectation } from '../core/validate.js';
import type { StageFn } from './call.js';
import { Channel } from './channel.js';
import { collect, DROP, finish, PipelineIterator } from './consume.js';
import { checkRunOptions, resolveBatchOptions, resolveStageOptions, type BatchOptions, type PipelineRunOptions, type StageOptions } from './options.js';
import { idleStats, Run } from './run.js';
import { isSource, type Source } from './source.js';
import type { Outlet, StageKind, StageSpec } from './spec.js';
import type { PipelineStats } from './stats.js';

/** What every pipeline built from one `pipeline()` call shares: the source, read once. */
interface Origin {
  readonly source: Source<unknown>;
  readonly opts: PipelineRunOptions | undefined;
  started: boolean;
}

/** Creates pipelines (the class's constructor is not public). */
let create: <T>(origin: Origin, stages: readonly StageSpec[]) => Pipeline<T>;

/**
 * A multi-stage pipeline: a source and stages, each with its own workers and buffer. Built
 * by {@link pipeline}; every builder call returns a new `Pipeline` and changes nothing, and
 * nothing runs until `run()`, `toArray()` or `for await`. A pipeline runs once.
 *
 * @example
 * ```ts
 * import { pipeline } from 'loom/pipeline';
 * const stats = await pipeline([1, 2, 3, 4])
 *   .stage('double', async (n) => n * 2, { workers: 2 })
 *   .filter('big', (n) => n > 2)
 *   .run();
 * console.log(stats.stages.map((s) => `${s.name}: ${s.emitted}`)); // [ 'double: 4', 'big: 3' ]
 * ```
 */
export class Pipeline<T> implements AsyncIterable<T> {
  readonly #origin: Origin;
  readonly #stages: readonly StageSpec[];
  /** Set once this pipeline has started its run. */
  #run: Run | undefined;

  static {
    create = <U>(origin: Origin, stages: readonly StageSpec[]) => new Pipeline<U>(origin, stages);
  }

  private constructor(origin: Origin, stages: readonly StageSpec[]) {
    this.#origin = origin;
    this.#stages = stages;
  }

  /**
   * Adds a stage that maps each item with `fn(item, index, signal)` (the `map` mapper shape;
   * `index` counts this stage's inputs from 0), running up to `workers` calls at once. `fn`
   * may return a value or a promise: an async function, a `WorkerPool` task, a child process.
   * The `signal` aborts when the run is torn down (reason: a `CancelledError`) or the
   * attempt's `timeout` elapses (a `TimeoutError`). A call that ignores its signal is waited
   * for when the run is torn down (the run settles only once every call has), but not past its
   * own `timeout`.
   *
   * @throws {TypeError} at once for a name used before in this pipeline, a bad `name` or `fn`.
   * @throws {TypeError | RangeError} at once for bad options (`workers: 0`, `buffer: -1`, ...).
   */
  stage<R>(name: string, fn: (item: T, index: number, signal: AbortSignal) => R | PromiseLike<R>, stageOpts?: StageOptions): Pipeline<Awaited<R>> {
    return this.#add<Awaited<R>>('map', name, fn, stageOpts);
  }

  /**
   * Adds a stage that keeps the items for which `predicate(item, index, signal)` is truthy
   * (it may return a promise); the others are counted as `dropped`. Same options and errors
   * as {@link stage}.
   */
  filter<S extends T>(name: string, predicate: (item: T, index: number, signal: AbortSignal) => item is S, stageOpts?: StageOptions): Pipeline<S>;
  filter(name: string, predicate: (item: T, index: number, signal: AbortSignal) => unknown, stageOpts?: StageOptions): Pipeline<T>;
  filter(name: string, predicate: (item: T, index: number, signal: AbortSignal) => unknown, stageOpts?: StageOptions): Pipeline<T> {
    return this.#add<T>('filter', name, predicate, stageOpts);
  }

  /**
   * Adds a stage whose `fn` returns (or resolves to) an iterable or async iterable for each
   * item; its items are passed on one by one, each waiting for room downstream (the iterable
   * is drained with backpressure, and closed with `return()` on a teardown). `retries` and
   * `timeout` apply to the call, not to the draining: an error while draining fails the item.
   * Same options and errors as {@link stage}.
   */
  flatMap<R>(name: string, fn: (item: T, index: number, signal: AbortSignal) => Iterable<R> | AsyncIterable<R> | PromiseLike<Iterable<R> | AsyncIterable<R>>, stageOpts?: StageOptions): Pipeline<R> {
    return this.#add<R>('flatMap', name, fn, stageOpts);
  }

  /**
   * Adds a stage that groups items into arrays of up to `size`, in arrival order. A partial
   * batch goes out `maxWait` ms after its first item (default: never early) and at the end.
   *
   * @throws {TypeError | RangeError} at once for a bad or duplicate `name`, `size` or options.
   */
  batch(name: string, size: number, opts?: BatchOptions): Pipeline<T[]> {
    this.#checkName(name);
    const { maxWait, buffer } = resolveBatchOptions(size, opts);
    const stageOpts = { ...resolveStageOptions(undefined), buffer };
    return create<T[]>(this.#origin, [...this.#stages, { kind: 'batch', name, fn: () => undefined, opts: stageOpts, size, maxWait }]);
  }

  /**
   * Runs the pipeline to the end, dropping its outputs, and resolves with the final stats.
   * Rejects with the first `StageError` (or the source's error), `signal.reason`, or a
   * `TimeoutError` (`Pipeline timed out after N milliseconds`), each only once every call has
   * settled. `opts` add a `signal` and a `timeout` to the pipeline's own.
   *
   * @throws {InvalidStateError} at once when this pipeline (or one built from the same `pipeline()` call) has run.
   */
  run(opts?: WaitOptions): Promise<PipelineStats> {
    const run = this.#start(DROP, opts);
    return finish(run).then(() => run.stats());
  }

  /** Runs the pipeline and resolves with every output, in the order they came out. Same errors as {@link run}. */
  toArray(opts?: WaitOptions): Promise<T[]> {
    const outputs: T[] = [];
    return finish(this.#start(collect(outputs), opts)).then(() => outputs);
  }

  /**
   * Runs the pipeline, yielding its outputs as they come out; the loop's pace is the
   * pipeline's backpressure. Leaving the loop early (`break`, a throw) tears the run down
   * and waits for every call to settle.
   *
   * @throws {InvalidStateError} when the pipeline has run.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const outlet = new Channel<unknown>(0);
    return new PipelineIterator<T>(this.#start(outlet, undefined), outlet);
  }

  /** The figures of this pipeline's run so far (all zero before it starts); final once it settled. */
  stats(): PipelineStats {
    return this.#run?.stats() ?? idleStats(this.#stages);
  }

  #start(outlet: Outlet, opts: WaitOptions | undefined): Run {
    checkWaitOptions(opts);
    if (this.#stages.length === 0) throw new InvalidStateError('Cannot run a Pipeline without stages: add one with .stage()');
    if (this.#origin.started) throw new InvalidStateError('A Pipeline runs once: this one, or one built from the same pipeline() call, has run');
    this.#origin.started = true;
    this.#run = new Run(this.#origin.source, this.#stages, outlet, this.#origin.opts, opts);
    return this.#run;
  }

  #add<R>(kind: StageKind, name: string, fn: unknown, stageOpts: unknown): Pipeline<R> {
    this.#checkName(name);
    checkFunction('fn', fn);
    const opts = resolveStageOptions(stageOpts);
    return create<R>(this.#origin, [...this.#stages, { kind, name, fn: fn as StageFn, opts, size: 0, maxWait: Infinity }]);
  }

  #checkName(name: unknown): asserts name is string {
    if (typeof name !== 'string' || name === '') throw new TypeError(expectation('name', 'a non-empty string', name));
    if (this.#stages.some((spec) => spec.name === name)) throw new TypeError(expectation('name', 'a stage name not used before in this pipeline', name));
  }
}

/**
 * A lazy pipeline over `source`: any iterable or async iterable, a loom `Queue` included (the
 * run ends once the queue is closed and drained). Add stages with `.stage`, `.filter`,
 * `.flatMap`, `.batch`, then run it with `run()`, `toArray()` or `for await`.
 *
 * `opts`: `signal` and `timeout` for the run (as every waiting call takes them), `onProgress`
 * called with `stats()` every `progressInterval` ms (default 1000) and once when the run settles.
 *
 * @throws {TypeError} at once for a source that is not iterable, or bad options.
 * @example
 * ```ts
 * import { pipeline } from 'loom/pipeline';
 * const names = pipeline(['a.jpg', 'b.jpg', 'c.jpg'])
 *   .stage('download', async (name) => `bytes of ${name}`, { workers: 3 })
 *   .stage('resize', async (bytes) => `thumb of ${bytes}`, { workers: 4, buffer: 10 })
 *   .stage('upload', async (thumb) => thumb.length, { workers: 5, buffer: 10 });
 * for await (const size of names) console.log(size);
 * ```
 */
export function pipeline<T>(source: Iterable<T> | AsyncIterable<T>, opts?: PipelineRunOptions): Pipeline<T> {
  if (!isSource(source)) throw new TypeError(expectation('source', 'an iterable or async iterable', source));
  checkRunOptions(opts);
  return create<T>({ source, opts, started: false }, []);
}
