/**
 * Item 54: Use Lock to Prevent Data Races in Threads.
 *
 * The seed's counter loses updates because a thread can be suspended between reading
 * `counter.count` and writing it back. JavaScript never suspends a function between two
 * statements, but it does suspend it at every `await`, and a read–modify–write with an
 * `await` in the middle (the sample is logged before it is counted) races exactly the same
 * way: every worker reads the same value, waits, and writes back that value plus one. With a
 * `Mutex` held across the whole read–modify–write, no update is lost.
 *
 * The unlocked loss is not random here, unlike the seed's 246760: the five workers take turns
 * in a fixed order, so each round of five increments adds one and the count ends at exactly a
 * fifth of what it should be. The race is the same; only the scheduler is deterministic.
 *
 * @module
 */

import { Mutex } from '../src/sync/index.js';
import { runIfMain, seconds, type Demo } from './harness.js';

/** The seed's `Counter`: a read, an await, a write — three steps another worker can slip between. */
class Counter {
  count = 0;

  async increment(offset: number): Promise<void> {
    const value = this.count;
    await logSample(value);
    this.count = value + offset;
  }
}

/** The seed's `LockingCounter`: the same three steps, with the lock held across all of them. */
class LockingCounter {
  readonly #lock = new Mutex();
  count = 0;

  async increment(offset: number): Promise<void> {
    using _held = await this.#lock.acquire();
    const value = this.count;
    await logSample(value);
    this.count = value + offset;
  }
}

/** Stands for the asynchronous I/O between the read and the write (writing the sample to a log). */
async function logSample(_value: number): Promise<void> {}

/** Stands for reading the sensor (blocking I/O in the seed, a resolved await here). */
async function readSensor(): Promise<void> {}

/** The seed's `worker`: reads the sensor `howMany` times, counting each reading. */
async function worker(howMany: number, counter: Counter | LockingCounter, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < howMany; i++) {
    signal.throwIfAborted();
    await readSensor();
    await counter.increment(1);
  }
}

/** Runs five workers over one counter and prints the seed's line. */
async function countWith(counter: Counter | LockingCounter, howMany: number, ctx: { out: (line: string) => void; signal: AbortSignal }): Promise<number> {
  const start = performance.now();
  await Promise.all(Array.from({ length: 5 }, () => worker(howMany, counter, ctx.signal)));
  const expected = howMany * 5;
  ctx.out(`Counter should be ${expected}, got ${counter.count}`);
  return performance.now() - start;
}

/** Item 54, as `loom demo 54` runs it; also runnable alone: `node dist/examples/54-lock.js [--quick]`. */
const demo: Demo = {
  item: 54,
  title: 'Use Lock to Prevent Data Races in Threads',
  async run(ctx) {
    const howMany = ctx.quick ? 10 ** 4 : 10 ** 5;
    ctx.out(`Five workers each count ${howMany} sensor readings; each increment awaits between its read and its write.`);

    ctx.out('Without a lock:');
    const racy = new Counter();
    const racyMs = await countWith(racy, howMany, ctx);
    ctx.out(`Lost ${howMany * 5 - racy.count} updates in ${seconds(racyMs)} seconds (the seed's threads got 246760 of 500000)`);

    ctx.out('With a Mutex held across the read-modify-write:');
    const locked = new LockingCounter();
    const lockedMs = await countWith(locked, howMany, ctx);
    ctx.out(`Lost ${howMany * 5 - locked.count} updates in ${seconds(lockedMs)} seconds (the seed: 500000 of 500000)`);
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
