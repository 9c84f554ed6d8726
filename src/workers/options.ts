/**
 * `WorkerPoolOptions`: what a pool can be configured with, its defaults, and their checks.
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { checkInteger, checkOptions, expectation } from '../core/validate.js';

/** Options of `new WorkerPool(options)`. */
export interface WorkerPoolOptions {
  /**
   * The task module: an ES module whose exported functions are the tasks. A `file:` URL (a
   * `URL` or a string such as `new URL('./tasks.js', import.meta.url).href`) or a file path
   * (relative paths resolve against the current directory). A `.ts` module works when `tsx`
   * is installed (tests, `node --import tsx`); in production, point at the compiled `.js`.
   */
  readonly module: string | URL;
  /** The most threads at once; started on demand. Default `os.availableParallelism()`. */
  readonly size?: number | undefined;
  /**
   * How many tasks one thread may have in flight. By default the pool adapts it: about 2 ms of
   * work per thread, learned from how fast threads answer (from 1 for long CPU-bound tasks up
   * to 1024 for tiny ones, which then share round-trips), afresh for each burst of tasks after
   * the pool was idle, starting at 1 per thread. Set it for asynchronous, I/O-bound
   * tasks that should overlap inside a thread (e.g. 50), or to 1 for strict balance.
   */
  readonly concurrentTasksPerWorker?: number | undefined;
  /** Milliseconds an idle thread lives before it is ended (started again on demand). Default `Infinity`. */
  readonly idleTimeout?: number | undefined;
  /**
   * The most tasks waiting for a thread (default `Infinity`). When full, `run` and `map` wait
   * for room (honouring their signal and timeout) and `submit` throws `QueueFull`.
   */
  readonly maxQueue?: number | undefined;
  /** Milliseconds a task has to stop after its signal aborted before its thread is terminated (default 1000). */
  readonly abortGrace?: number | undefined;
  /** Heap and stack limits of each thread (`worker_threads` `resourceLimits`); a thread that exceeds them dies. */
  readonly resourceLimits?: ResourceLimits | undefined;
  /** Node flags of each thread. Default: the parent's `process.execArgv`, minus the flags workers refuse. */
  readonly execArgv?: readonly string[] | undefined;
}

/** The checked options, defaults applied. */
export interface PoolSettings {
  readonly moduleUrl: string;
  readonly size: number;
  /** `undefined`: adaptive. */
  readonly perWorker: number | undefined;
  readonly idleTimeout: number;
  readonly maxQueue: number;
  readonly abortGrace: number;
  readonly resourceLimits: ResourceLimits | undefined;
  readonly execArgv: readonly string[] | undefined;
}

/** Checks `options` and applies the defaults; throws `TypeError`/`RangeError` with the house message. */
export function settingsOf(options: unknown): PoolSettings {
  if (options === undefined) throw new TypeError(expectation('options', 'an options object with a `module`', options));
  checkOptions('options', options);
  const opts = options as WorkerPoolOptions;
  const size = opts.size ?? availableParallelism();
  checkInteger('size', size, 1);
  const perWorker = opts.concurrentTasksPerWorker;
  if (perWorker !== undefined) checkInteger('concurrentTasksPerWorker', perWorker, 1);
  const idleTimeout = opts.idleTimeout ?? Infinity;
  checkMilliseconds('idleTimeout', idleTimeout);
  const maxQueue = opts.maxQueue ?? Infinity;
  checkInteger('maxQueue', maxQueue, 0, true);
  const abortGrace = opts.abortGrace ?? 1000;
  checkMilliseconds('abortGrace', abortGrace);
  if (opts.resourceLimits !== undefined) checkOptions('resourceLimits', opts.resourceLimits);
  if (opts.execArgv !== undefined && !(Array.isArray(opts.execArgv) && opts.execArgv.every((flag) => typeof flag === 'string'))) {
    throw new TypeError(expectation('execArgv', 'an array of strings', opts.execArgv));
  }
  return {
    moduleUrl: moduleUrlOf(opts.module),
    size,
    perWorker,
    idleTimeout,
    maxQueue,
    abortGrace,
    resourceLimits: opts.resourceLimits,
    execArgv: opts.execArgv,
  };
}

function moduleUrlOf(module: unknown): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') throw new TypeError(expectation('module', 'a URL or a file path', module));
  if (/^[a-z][a-z0-9+.-]+:/i.test(module) && !isAbsolute(module)) return module;
  return pathToFileURL(resolve(module)).href;
}

function checkMilliseconds(name: string, value: unknown): void {
  const expected = 'a number of milliseconds >= 0';
  if (typeof value !== 'number') throw new TypeError(expectation(name, expected, value));
  if (!(value >= 0)) throw new RangeError(expectation(name, expected, value));
}
