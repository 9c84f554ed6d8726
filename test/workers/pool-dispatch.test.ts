/**
 * How `WorkerPool` spreads a burst over its threads when it sets the in-flight cap itself: one
 * task per thread until the burst's first report, whatever the previous burst taught it, and one
 * per thread for as long as the tasks report as long. The tasks park on a closed gate, so what
 * sits in the pool's queue rather than in a thread's inbox is read synchronously.
 */

import { afterAll, expect, test } from 'vitest';
import { flag, open, testPool } from './support.js';

const pool = testPool({ size: 2 });
afterAll(() => pool.terminate());

test('a burst after the pool went idle starts with one task per thread, however fast the tasks before it were', async () => {
  // Thousands of tiny tasks: the cap climbs far above one task per thread.
  await Promise.all(Array.from({ length: 5000 }, (_, i) => pool.run('add', [i, 1])));
  const gate = flag();
  const tasks = Array.from({ length: 8 }, (_, i) => pool.run<number>('waitForGate', [gate, i]));
  const queued = pool.queueSize;
  open(gate); // before asserting, so that a failure leaves no thread parked for the next test
  expect(pool.threadCount).toBe(2);
  expect(queued).toBe(6); // one in each thread, none batched onto a thread ahead of time
  expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
});

test('the first tasks run on different threads', async () => {
  const ids = await Promise.all([pool.run<number>('whoAmI'), pool.run<number>('whoAmI')]);
  expect(new Set(ids).size).toBe(2);
});

test('once the first tasks of a burst report as long, each thread gets the next one only when it is free', async () => {
  const first = flag();
  const rest = flag();
  const long = [pool.run<number>('waitForGate', [first, 0]), pool.run<number>('waitForGate', [first, 1])];
  const later = Array.from({ length: 4 }, (_, i) => pool.run<number>('waitForGate', [rest, 2 + i]));
  expect(pool.queueSize).toBe(4);
  // A real wait is the point here: the pool learns task length from the clock, and this makes
  // the first two tasks take at least 10 ms each, far above its 2 ms of work per thread.
  await new Promise((resolve) => setTimeout(resolve, 10));
  open(first);
  expect(await Promise.all(long)).toEqual([0, 1]);
  expect(pool.queueSize).toBe(2); // one more in each thread, the other two still queued
  open(rest);
  expect(await Promise.all(later)).toEqual([2, 3, 4, 5]);
  expect(pool.queueSize).toBe(0);
});
