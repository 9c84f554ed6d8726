/**
 * Item 53, the parallelism part: Avoid Threads for Parallelism.
 *
 * The seed factorizes four numbers serially (0.399 s), then in four Python threads (0.446 s:
 * no faster, because the GIL lets one thread run Python at a time). In Node the same happens
 * with concurrent promises: they all run on the one event loop, one after another, so
 * `Promise.all` over CPU-bound work is no faster than a loop — the event loop plays the GIL's
 * part. Node has no GIL across threads, though: a `WorkerPool` runs the same function on worker
 * threads, in parallel for real. The gain is capped by the cores present, and the first run
 * pays for starting threads, so the demo also runs bigger work on warm threads: each number
 * times 10 (ten times the work per call, so that a call is long next to a round trip to a
 * thread), ten times over (so that the last call to finish leaves the other cores idle briefly).
 *
 * This file is also the pool's task module: the threads import it for `factorize`, and
 * `runIfMain` does nothing there.
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { WorkerPool } from '../src/workers/index.js';
import { runIfMain, seconds, type Demo } from './harness.js';

/** The seed's naive factorization: every divisor of `number`, by trial. */
export function factorize(number: number): number[] {
  const factors: number[] = [];
  for (let i = 1; i <= number; i++) if (number % i === 0) factors.push(i);
  return factors;
}

/** The seed's numbers. */
const NUMBERS = [2139079, 1214759, 1516637, 1852285];

async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Item 53 (parallelism), as `loom demo 53` runs it; also runnable alone: `node dist/examples/53-parallelism.js [--quick]`. */
const demo: Demo = {
  item: 53,
  title: 'Avoid Threads for Parallelism: worker threads run CPU-bound code in parallel',
  async run(ctx) {
    const cores = availableParallelism();
    const times = ctx.quick ? 3 : 10;
    const scale = ctx.quick ? 1 : 10;
    const many = Array.from({ length: times }, () => NUMBERS.map((number) => number * scale)).flat();

    const serial = await timed(() => NUMBERS.map(factorize));
    ctx.out(`Serially: took ${seconds(serial)} seconds (the seed: 0.399)`);

    const promises = await timed(() => Promise.all(NUMBERS.map(async (number) => factorize(number))));
    ctx.out(`Concurrent promises on one thread: took ${seconds(promises)} seconds (the seed's threads: 0.446): no faster, the event loop runs one at a time`);

    await using pool = new WorkerPool({ module: new URL(import.meta.url), size: Math.min(cores, NUMBERS.length), concurrentTasksPerWorker: 1 });
    const wide = new WorkerPool({ module: new URL(import.meta.url), size: cores, concurrentTasksPerWorker: 1 });
    // Ctrl-C ends both pools at once (their tasks reject); one listener rather than one per task.
    const stop = (): void => void Promise.all([pool.terminate(), wide.terminate()]);
    ctx.signal.addEventListener('abort', stop, { once: true });
    try {
      const cold = await timed(() => Promise.all(NUMBERS.map((number) => pool.run('factorize', [number]))));
      ctx.out(`WorkerPool of ${pool.size} threads, started cold: took ${seconds(cold)} seconds (${(serial / cold).toFixed(2)}x the serial speed; thread start-up included)`);

      const manySerial = await timed(() => many.map(factorize));
      await Promise.all(Array.from({ length: cores }, () => wide.run('factorize', [1])));
      const warm = await timed(() => Promise.all(many.map((number) => wide.run('factorize', [number]))));
      ctx.out(`${times}x the numbers, each x${scale} (${many.length} factorizations): serially ${seconds(manySerial)} seconds, on ${cores} warm threads ${seconds(warm)} seconds`);
      ctx.out(`Speedup on warm threads: ${(manySerial / warm).toFixed(2)}x with ${cores} cores`);
    } finally {
      ctx.signal.removeEventListener('abort', stop);
      await wide.shutdown();
    }
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
