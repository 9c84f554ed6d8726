/**
 * Item 54 across threads: Use Lock to Prevent Data Races in Threads — with threads that really
 * run at the same time.
 *
 * Five worker threads count sensor readings into one counter in shared memory, as the seed's
 * five threads do. With a plain read–modify–write (`counter[0] = value + 1` after reading
 * `value` and "reading the sensor"), two threads read the same value and one increment is lost;
 * unlike `54-lock.ts`, where one event loop takes turns, here the threads run truly in
 * parallel, so the loss is as random as the seed's 246760. A `SharedMutex` held across the
 * read–modify–write gives exactly 500000, and so does an `AtomicCounter` (one atomic add, no
 * lock at all). A `SharedBarrier` starts the five threads together so that they overlap.
 *
 * This file is also the pool's task module: the threads import it for the `count*` functions.
 *
 * @module
 */

import {
  AtomicCounter,
  SharedBarrier,
  SharedMutex,
  WorkerPool,
  type AtomicCounterHandle,
  type SharedBarrierHandle,
  type SharedMutexHandle,
} from '../src/workers/index.js';
import { runIfMain, seconds, type Demo } from './harness.js';

const WORKERS = 5;

/** Stands for reading a sensor between the read and the write of the count: a little work. */
function readSensor(): number {
  let light = 0;
  for (let i = 0; i < 20; i++) light += Math.sqrt(i);
  return light;
}

/** The seed's unlocked `Counter.increment`, `howMany` times, on word 0 of `counter`. */
export function countRacy(counter: Int32Array, start: SharedBarrierHandle, howMany: number): void {
  SharedBarrier.from(start).waitSync({ timeout: 10_000 });
  for (let i = 0; i < howMany; i++) {
    const value = counter[0] as number;
    readSensor();
    counter[0] = value + 1;
  }
}

/** The seed's `LockingCounter.increment`: the same steps with the mutex held. */
export function countLocked(counter: Int32Array, start: SharedBarrierHandle, howMany: number, lock: SharedMutexHandle): void {
  const mutex = SharedMutex.from(lock);
  SharedBarrier.from(start).waitSync({ timeout: 10_000 });
  for (let i = 0; i < howMany; i++) {
    using _held = mutex.acquireSync();
    const value = counter[0] as number;
    readSensor();
    counter[0] = value + 1;
  }
}

/** No lock: one atomic add per reading. */
export function countAtomic(handle: AtomicCounterHandle, start: SharedBarrierHandle, howMany: number): void {
  const counter = AtomicCounter.from(handle);
  SharedBarrier.from(start).waitSync({ timeout: 10_000 });
  for (let i = 0; i < howMany; i++) {
    readSensor();
    counter.add(1);
  }
}

/** Item 54 across threads, as `loom demo 54` runs it; also runnable alone: `node dist/examples/54-shared-memory.js [--quick]`. */
const demo: Demo = {
  item: 54,
  title: 'Use Lock to Prevent Data Races in Threads: five worker threads, one counter in shared memory',
  async run(ctx) {
    const howMany = ctx.quick ? 10 ** 4 : 10 ** 5;
    const expected = howMany * WORKERS;
    await using pool = new WorkerPool({ module: new URL(import.meta.url), size: WORKERS, concurrentTasksPerWorker: 1 });
    // Ctrl-C ends the pool at once (its tasks reject); one listener rather than one per task.
    const stop = (): void => void pool.terminate();
    ctx.signal.addEventListener('abort', stop, { once: true });

    try {
      /** Runs `name` on the five threads at once over `target` (and `lock`), then prints the count it reads. */
      const count = async (name: string, read: () => number, target: unknown, lock?: SharedMutexHandle): Promise<void> => {
        const start = new SharedBarrier(WORKERS);
        const began = performance.now();
        const args = [target, start.handle, howMany, ...(lock === undefined ? [] : [lock])];
        await Promise.all(Array.from({ length: WORKERS }, () => pool.run(name, args)));
        const found = read();
        ctx.out(`Counter should be ${expected}, got ${found}: lost ${expected - found} updates in ${seconds(performance.now() - began)} seconds`);
      };

      ctx.out(`${WORKERS} worker threads each count ${howMany} readings into one counter in shared memory.`);
      ctx.out('Plain read-modify-write (the seed got 246760 of 500000):');
      const racy = new Int32Array(new SharedArrayBuffer(4));
      await count('countRacy', () => racy[0] as number, racy);

      ctx.out('With a SharedMutex held across the read-modify-write:');
      const locked = new Int32Array(new SharedArrayBuffer(4));
      await count('countLocked', () => locked[0] as number, locked, new SharedMutex().handle);

      ctx.out('With an AtomicCounter (one atomic add, no lock):');
      const atomic = new AtomicCounter();
      await count('countAtomic', () => atomic.value, atomic.handle);
    } finally {
      ctx.signal.removeEventListener('abort', stop);
    }
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
