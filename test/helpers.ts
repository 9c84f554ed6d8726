/**
 * Tools for deterministic concurrency tests (STYLE 15): deferreds to hold a task in place,
 * a microtask flush to let every ready continuation run, and probes that a test left no
 * listener or timer behind.
 */

import { getEventListeners } from 'node:events';

/** A promise with its resolve and reject exposed, to hold a task at a known point. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Runs every continuation that is ready, however deep the promise chains: a macrotask boundary
 * (`setImmediate`) comes after all queued microtasks. Not a sleep: no timer is involved.
 */
export async function flush(rounds = 1): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** How many `abort` listeners are attached to `signal` (0 after a well-behaved call returns). */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** How many timers are alive in this process now (`Timeout` resources). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

/** Settles `promise` and reports how it ended, so a test can assert on a rejection without a dangling handler. */
export async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
