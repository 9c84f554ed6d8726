/**
 * Item 59: Consider ThreadPoolExecutor When Threads Are Necessary for Concurrency.
 *
 * The seed points to `concurrent.futures.ThreadPoolExecutor` as the fix for item 57's
 * thread-per-task fan-out: a fixed number of workers, futures that carry results and
 * exceptions back to the caller, and the price that the amount of I/O parallelism is fixed
 * upfront (`max_workers`). loom's `Executor` has the same contract for async functions. The
 * demo fans out the same I/O as item 53 (TCP round trips to a local server that answers after
 * 100 ms) and measures how many requests were ever in flight at once: never more than
 * `maxWorkers`, so the time is one round of 100 ms per `maxWorkers` requests.
 *
 * @module
 */

import { asCompleted, Executor } from '../src/tasks/index.js';
import { HelicopterServer, slowSystemcall } from './53-blocking-io.js';
import { runIfMain, seconds, type Demo, type DemoContext } from './harness.js';

/** Counts the requests in flight, to show the executor's bound. */
class InFlight {
  now = 0;
  /** The most requests that were ever in flight at once. */
  peak = 0;

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.peak = Math.max(this.peak, ++this.now);
    try {
      return await work();
    } finally {
      this.now--;
    }
  }
}

/** Submits `requests` round trips to an executor of `maxWorkers` and prints the bound and the time. */
async function fanOut(ctx: DemoContext, port: number, requests: number, maxWorkers: number): Promise<void> {
  const inFlight = new InFlight();
  const start = performance.now();
  {
    await using executor = new Executor({ maxWorkers });
    const futures = Array.from({ length: requests }, () => executor.submit(() => inFlight.track(() => slowSystemcall(port, ctx.signal))));
    for (const future of futures) await future.result();
  }
  const rounds = Math.ceil(requests / maxWorkers);
  ctx.out(`maxWorkers ${maxWorkers}: at most ${inFlight.peak} in flight, took ${seconds(performance.now() - start)} seconds (${rounds} round${rounds === 1 ? '' : 's'} of 100 ms)`);
}

/** Item 59, as `loom demo 59` runs it; also runnable alone: `node dist/examples/59-executor.js [--quick]`. */
const demo: Demo = {
  item: 59,
  title: 'Consider ThreadPoolExecutor When Threads Are Necessary for Concurrency',
  async run(ctx) {
    const requests = ctx.quick ? 10 : 20;
    await using server = await HelicopterServer.listen(100);
    ctx.out(`${requests} requests to a TCP server on 127.0.0.1 that answers each one after 100 ms, through an Executor:`);
    await fanOut(ctx, server.port, requests, 5);
    await fanOut(ctx, server.port, requests, requests);

    // A request that answers with its own number, to see the order results come back in.
    const numbered = async (id: number): Promise<number> => {
      await slowSystemcall(server.port, ctx.signal);
      return id;
    };
    const ids = Array.from({ length: requests }, (_, i) => i);
    await using executor = new Executor({ maxWorkers: 5 });

    let start = performance.now();
    const answered: number[] = [];
    for await (const id of executor.map(numbered, ids, { signal: ctx.signal })) answered.push(id);
    const inOrder = answered.every((id, i) => id === i);
    ctx.out(`executor.map(): ${answered.length} answers ${inOrder ? 'in input order' : 'out of order'}, took ${seconds(performance.now() - start)} seconds`);

    start = performance.now();
    let firstMs: number | undefined;
    const futures = ids.map((id) => executor.submit(numbered, id));
    for await (const { future } of asCompleted(futures, { signal: ctx.signal })) {
      await future.result();
      firstMs ??= performance.now() - start;
    }
    ctx.out(`asCompleted(): the first answer after ${seconds(firstMs ?? 0)} seconds, all ${requests} after ${seconds(performance.now() - start)} seconds`);
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
