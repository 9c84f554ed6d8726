/**
 * Item 60: Achieve Highly Concurrent I/O with Coroutines.
 *
 * The seed's case against threads for fan-out (item 57) is their cost: about 8 MB each, so
 * 10,000 concurrent activities "couldn't even fit in the memory of my machine", and starting
 * them adds latency. It points to coroutines instead. In JavaScript every async function is a
 * coroutine: 10,000 of them, each awaiting 100 ms of I/O, finish together in about 0.1 s, and
 * each holds on to a kilobyte or two of heap while it waits.
 *
 * Three ways to fan out and in: a plain `Promise.all` of bare timers (the floor: nothing can
 * cancel them), a `TaskGroup` (plus structure: every task gets the group's signal, a failure
 * cancels the siblings and nothing outlives the group) and `map` (the same, plus a bound on
 * concurrency, here none). Memory per task is the heap growth from before the fan-out to the
 * moment all tasks are waiting; it includes whatever garbage the fan-out produced, so it is an
 * upper bound (run node with `--expose-gc` for a steadier figure).
 *
 * @module
 */

import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { map, sleep, TaskGroup } from '../src/tasks/index.js';
import { runIfMain, seconds, type Demo, type DemoContext } from './harness.js';

/**
 * A full collection before each sample, so that the previous fan-out's garbage is not counted
 * (or, collected mid-sample, subtracted). `loom demo` runs without `--expose-gc`, so the flag is
 * switched on here and `gc` taken from a fresh context, where V8 installs it once the flag is set.
 */
function fullCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const collectGarbage = fullCollector();

/**
 * Runs one fan-out: `start` begins all the tasks and returns the promise of their end; the
 * heap is sampled between the two. Prints the time and the bytes per task.
 */
async function measure(ctx: DemoContext, label: string, tasks: number, start: () => Promise<unknown>): Promise<void> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const began = performance.now();
  // One event-loop turn after the start every task has begun and is waiting on its timer.
  // Promise.all watches the fan-out from the start, so its failure is never unhandled.
  const [, heapWaiting] = await Promise.all([start(), nextTurn().then(() => process.memoryUsage().heapUsed)]);
  const perTask = (heapWaiting - heapBefore) / tasks;
  const ms = performance.now() - began;
  ctx.out(`${label}: ${tasks} coroutines awaiting 100 ms each finished in ${seconds(ms)} seconds, ~${Math.max(0, Math.round(perTask))} bytes per task while waiting`);
}

/** Item 60, as `loom demo 60` runs it; also runnable alone: `node dist/examples/60-coroutines.js [--quick]`. */
const demo: Demo = {
  item: 60,
  title: 'Achieve Highly Concurrent I/O with Coroutines',
  async run(ctx) {
    const tasks = ctx.quick ? 2_000 : 10_000;
    const ids = Array.from({ length: tasks }, (_, i) => i);
    ctx.out('The seed: a thread costs about 8 MB, so 10,000 threads would not fit in memory.');

    // The floor: bare timers, nothing to cancel them (an interrupt is noticed 100 ms later).
    await measure(ctx, 'Promise.all', tasks, () => Promise.all(ids.map(() => delay(100))));
    ctx.signal.throwIfAborted();

    await measure(ctx, 'TaskGroup', tasks, async () => {
      await using group = new TaskGroup({ signal: ctx.signal });
      for (const _ of ids) group.spawn((signal) => sleep(100, { signal }));
    });

    await measure(ctx, 'map', tasks, () => map(ids, (_id, _index, signal) => sleep(100, { signal }), { concurrency: Infinity, signal: ctx.signal }));
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
