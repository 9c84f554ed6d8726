/**
 * Every runnable seed item, in seed order: the list `loom demo` runs and the example tests
 * check. Several demos may share an item (53: blocking I/O, then parallelism; 54: the lock,
 * then shared memory across threads); `loom demo 53` runs both, in this order.
 *
 * @module
 */

import type { Demo } from './harness.js';
import subprocess from './52-subprocess.js';
import blockingIo from './53-blocking-io.js';
import parallelism from './53-parallelism.js';
import lock from './54-lock.js';
import sharedMemory from './54-shared-memory.js';
import queue from './55-queue.js';
import life from './56-life.js';
import threads from './57-threads.js';
import pipeline from './58-pipeline.js';
import executor from './59-executor.js';
import coroutines from './60-coroutines.js';

/**
 * The demos, ordered by item.
 *
 * @example
 * ```ts
 * for (const demo of demos) console.log(demo.item, demo.title);
 * ```
 */
export const demos: readonly Demo[] = [subprocess, blockingIo, parallelism, lock, sharedMemory, queue, life, threads, pipeline, executor, coroutines];
