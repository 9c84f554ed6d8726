/**
 * The options a pipeline and its stages take, their defaults, and their checks (STYLE 13's
 * template from `core/validate.ts`). Everything is checked when the builder is called, so a
 * mistake throws where it was written, not when the pipeline runs.
 *
 * @module
 */

import type { WaitOptions } from '../core/deadline.js';
import { checkFunction, checkInteger, checkOptions, checkWaitOptions, expectation } from '../core/validate.js';
import type { PipelineStats } from './stats.js';

/** Options of `pipeline(source, opts)`: they govern every run of the pipeline. */
export interface PipelineRunOptions extends WaitOptions {
  /** Called with `stats()` every `progressInterval` ms while the run goes, and once more when it settles. A throw fails the run. */
  readonly onProgress?: ((stats: PipelineStats) => void) | undefined;
  /** Milliseconds between `onProgress` calls: an integer >= 1, default 1000. */
  readonly progressInterval?: number | undefined;
}

/** Options of `.stage`, `.filter` and `.flatMap`. */
export interface StageOptions {
  /** Calls running at once: an integer >= 1, default 1. */
  readonly workers?: number | undefined;
  /** Items waiting in front of the stage: an integer >= 0, default `workers`; 0 hands each item straight to an idle worker. */
  readonly buffer?: number | undefined;
  /** Pass results on in input order (a finished item waits for its turn, holding its worker), default `false`: completion order. */
  readonly ordered?: boolean | undefined;
  /** Re-attempts after a failed call: an integer >= 0, default 0. */
  readonly retries?: number | undefined;
  /** Milliseconds before re-attempt `n` (from 1): a number, or `(n) => ms`; default 0. */
  readonly retryDelay?: number | ((attempt: number) => number) | undefined;
  /** Milliseconds each attempt may take: past it, its signal aborts with a `TimeoutError` and the attempt fails. Default: no limit. */
  readonly timeout?: number | undefined;
  /** Drop (and count in `failed`) an item whose call failed after its retries, instead of ending the run. Default `false`. */
  readonly continueOnError?: boolean | undefined;
}

/** Options of `.batch`. */
export interface BatchOptions {
  /** Milliseconds a partial batch may wait for more items after its first one before it goes out; default `Infinity` (only full batches, and the last). */
  readonly maxWait?: number | undefined;
  /** Items waiting in front of the stage: an integer >= 0, default the batch `size`. */
  readonly buffer?: number | undefined;
}

/** Stage options with their defaults applied. */
export interface ResolvedStageOptions {
  readonly workers: number;
  readonly buffer: number;
  readonly ordered: boolean;
  readonly retries: number;
  readonly retryDelay: number | ((attempt: number) => number);
  /** `Infinity` for no limit. */
  readonly timeout: number;
  readonly continueOnError: boolean;
}

/** Throws unless `value` is a number of milliseconds >= 0 (`Infinity` allowed). */
export function checkMs(name: string, value: unknown): asserts value is number {
  const expected = 'a number of milliseconds >= 0';
  if (typeof value !== 'number') throw new TypeError(expectation(name, expected, value));
  if (!(value >= 0)) throw new RangeError(expectation(name, expected, value));
}

function checkBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new TypeError(expectation(name, 'a boolean', value));
}

/** Validates `pipeline()`'s options. */
export function checkRunOptions(opts: unknown): asserts opts is PipelineRunOptions | undefined {
  checkWaitOptions(opts);
  if (opts === undefined) return;
  const { onProgress, progressInterval } = opts as Record<string, unknown>;
  if (onProgress !== undefined) checkFunction('onProgress', onProgress);
  if (progressInterval !== undefined) checkInteger('progressInterval', progressInterval, 1);
}

/** Validates a stage's options and applies the defaults. */
export function resolveStageOptions(opts: unknown): ResolvedStageOptions {
  checkOptions('stageOpts', opts);
  const o = (opts ?? {}) as Record<string, unknown>;
  const workers = o.workers ?? 1;
  checkInteger('workers', workers, 1);
  const buffer = o.buffer ?? workers;
  checkInteger('buffer', buffer, 0);
  const ordered = o.ordered ?? false;
  checkBoolean('ordered', ordered);
  const retries = o.retries ?? 0;
  checkInteger('retries', retries, 0);
  const retryDelay = o.retryDelay ?? 0;
  if (typeof retryDelay !== 'function') checkMs('retryDelay', retryDelay);
  const timeout = o.timeout ?? Infinity;
  checkMs('timeout', timeout);
  const continueOnError = o.continueOnError ?? false;
  checkBoolean('continueOnError', continueOnError);
  return { workers, buffer, ordered, retries, retryDelay: retryDelay as ResolvedStageOptions['retryDelay'], timeout, continueOnError };
}

/** Validates `.batch`'s size and options; returns `[maxWait, buffer]`. */
export function resolveBatchOptions(size: unknown, opts: unknown): { size: number; maxWait: number; buffer: number } {
  checkInteger('size', size, 1);
  checkOptions('options', opts);
  const o = (opts ?? {}) as Record<string, unknown>;
  const maxWait = o.maxWait ?? Infinity;
  checkMs('maxWait', maxWait);
  const buffer = o.buffer ?? size;
  checkInteger('buffer', buffer, 0);
  return { size, maxWait, buffer };
}
