/**
 * SharedArrayBuffer handshakes for worker tests (STYLE 15): a task stores 1 in word 0 of a
 * flag and notifies when it reaches a known point; the test awaits that with
 * `Atomics.waitAsync`, so it never sleeps and never blocks its own event loop.
 */

import type { WorkerPoolOptions } from '../../src/workers/options.js';
import { WorkerPool } from '../../src/workers/pool.js';

/** The task module every pool test uses (TypeScript, loaded in the threads through tsx). */
export const TASKS = new URL('../fixtures/workers/tasks.ts', import.meta.url);

/** A fresh two-word flag: word 0 is "entered"/"open", word 1 stays 0 (blockForever parks on it). */
export function flag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8));
}

/** Resolves once word 0 of `flag` is no longer 0. */
export async function entered(flag: Int32Array): Promise<void> {
  while (Atomics.load(flag, 0) === 0) {
    const wait = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: unknown } }).waitAsync(flag, 0, 0);
    if (wait.async) await wait.value;
  }
}

/** Sets word 0 of `gate` to 1 and wakes every thread parked on it. */
export function open(gate: Int32Array): void {
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
}

/** A pool over the test task module. */
export function testPool(options: Omit<WorkerPoolOptions, 'module'> = {}): WorkerPool {
  return new WorkerPool({ module: TASKS, size: 2, ...options });
}
