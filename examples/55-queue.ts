/**
 * Item 55: Use Queue to Coordinate Work Between Threads.
 *
 * The seed's download → resize → upload pipeline, first with its hand-made queue (a deque
 * that throws when empty, and workers that poll it with a 10 ms sleep), then with loom's
 * `Queue`, whose `get()` waits for an item instead: no polling, a bounded buffer that makes
 * `put()` wait, `taskDone()`/`join()` to wait for a phase to drain, and `close()` with
 * `for await`, which replaces the seed's `ClosableQueue` sentinel and `StoppableWorker`.
 *
 * Last, the same download → resize → upload as one `pipeline()` call (3/4/5 workers, buffers of
 * 10): the queues, the workers, the closing and the error handling are the pipeline's, and its
 * stats name the stage to widen.
 *
 * The phases stand for I/O with a short wait (1 ms, or one event-loop turn in quick mode).
 * The three small orderings print the seed's exact lines, the same on every run (the seed's
 * thread scheduling only usually does): the queue's waits and JavaScript's run-to-completion
 * decide the order, plus one explicit event-loop turn where the consumer handles an item.
 *
 * @module
 */

import { setImmediate as nextTurn } from 'node:timers/promises';
import { pipeline } from '../src/pipeline/index.js';
import { Queue } from '../src/queue/index.js';
import { sleep, taskGroup } from '../src/tasks/index.js';
import { runIfMain, seconds, type Demo, type DemoContext } from './harness.js';
import { statsTable } from './stats-table.js';

/** One piece of work moving down the pipeline (the seed uses a bare `object()`). */
interface Photo {
  readonly id: number;
}

type Phase = (item: Photo) => Promise<Photo>;

/** The seed's `download`, `resize` and `upload`, each a short wait standing for I/O. */
function makePhases(ioMs: number): { download: Phase; resize: Phase; upload: Phase } {
  const io = async (item: Photo): Promise<Photo> => {
    if (ioMs === 0) await nextTurn();
    else await sleep(ioMs);
    return item;
  };
  return { download: io, resize: io, upload: io };
}

/** The seed's `MyQueue`: a deque whose `get` throws on empty (Python's `IndexError` from `popleft`). */
class MyQueue<T> {
  readonly #items: T[] = [];
  /** Index of the oldest item; `#items` before it are consumed (an array used as a deque). */
  #head = 0;

  put(item: T): void {
    this.#items.push(item);
  }

  get(): T {
    if (this.#head === this.#items.length) throw new RangeError('pop from an empty deque');
    // #head < length here, so the slot holds an item.
    return this.#items[this.#head++] as T;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }
}

/** The seed's polling `Worker`, counting how often it checked its input. */
class PollingWorker {
  polledCount = 0;
  workDone = 0;

  constructor(
    readonly func: Phase,
    readonly inQueue: MyQueue<Photo>,
    readonly outQueue: MyQueue<Photo>,
  ) {}

  /** Runs until `stop` aborts: the seed's `run()` never ends, we need a way out. */
  async run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      this.polledCount++;
      let item: Photo;
      try {
        item = this.inQueue.get();
      } catch {
        // No work to do. sleep() rejects only when `stop` aborts, and the loop test then ends the worker.
        await sleep(10, { signal: stop }).catch(() => {});
        continue;
      }
      this.outQueue.put(await this.func(item));
      this.workDone++;
    }
  }
}

/**
 * The seed's first pipeline: three polling workers, and a main flow that polls the done queue
 * too (the seed's busy wait); prints the seed's `Processed ... after polling N times`.
 */
async function pollingPipeline(ctx: DemoContext, phases: ReturnType<typeof makePhases>, count: number): Promise<void> {
  ctx.out('-- The hand-made queue: workers poll an empty deque every 10 ms');
  const start = performance.now();
  const downloadQueue = new MyQueue<Photo>();
  const resizeQueue = new MyQueue<Photo>();
  const uploadQueue = new MyQueue<Photo>();
  const doneQueue = new MyQueue<Photo>();
  const workers = [
    new PollingWorker(phases.download, downloadQueue, resizeQueue),
    new PollingWorker(phases.resize, resizeQueue, uploadQueue),
    new PollingWorker(phases.upload, uploadQueue, doneQueue),
  ];
  const stopper = new AbortController();
  const stop = AbortSignal.any([ctx.signal, stopper.signal]);
  const running = workers.map((worker) => worker.run(stop));
  for (let id = 0; id < count; id++) downloadQueue.put({ id });
  let mainPolls = 0;
  try {
    while (doneQueue.length < count) {
      mainPolls++;
      await sleep(10, { signal: ctx.signal });
    }
  } finally {
    stopper.abort();
    await Promise.all(running);
  }
  const polled = workers.reduce((sum, worker) => sum + worker.polledCount, 0);
  const idle = polled - workers.reduce((sum, worker) => sum + worker.workDone, 0);
  ctx.out(`Processed ${doneQueue.length} items after polling ${polled} times`);
  ctx.out(`(${idle} polls found nothing; the main flow polled the done queue ${mainPolls} more times; took ${seconds(performance.now() - start)} seconds; the seed polled 3035 times)`);
}

/** The seed's three small orderings: `get` waits for `put`, a buffer of 1 makes `put` wait, `join` waits for `taskDone`. */
async function orderings(ctx: DemoContext): Promise<void> {
  const { out, signal, quick } = ctx;

  out('-- get() waits until an item is put');
  const myQueue = new Queue<Photo>();
  await taskGroup(async (group) => {
    group.spawn(async (taskSignal) => {
      out('Consumer waiting');
      await myQueue.get({ signal: taskSignal }); // Runs after put() below
      out('Consumer done');
    });
    out('Producer putting');
    myQueue.putNowait({ id: 1 }); // Runs before get() above
    out('Producer done');
  }, { signal });

  out('-- A buffer of size 1: the second put() waits for the consumer\'s first get()');
  const buffered = new Queue<Photo>({ maxsize: 1 });
  await taskGroup(async (group) => {
    group.spawn(async (taskSignal) => {
      await sleep(quick ? 20 : 100, { signal: taskSignal }); // Wait
      await buffered.get({ signal: taskSignal }); // Runs second
      out('Consumer got 1');
      // Handling the photo takes an event-loop turn, in which the producer, whose put() just got
      // room, runs on. Without it the order of the two wake-ups would depend on how many promise
      // hops each takes: loom hands the parked item straight into the queue, so the second get()
      // finds it without waiting.
      await nextTurn();
      await buffered.get({ signal: taskSignal }); // Runs fourth
      out('Consumer got 2');
      out('Consumer done');
    });
    await buffered.put({ id: 1 }, { signal: group.signal }); // Runs first
    out('Producer put 1');
    await buffered.put({ id: 2 }, { signal: group.signal }); // Runs third
    out('Producer put 2');
    out('Producer done');
  }, { signal });

  out('-- join() waits until taskDone() was called for every item put');
  const inQueue = new Queue<Photo>();
  await taskGroup(async (group) => {
    group.spawn(async (taskSignal) => {
      out('Consumer waiting');
      await inQueue.get({ signal: taskSignal }); // Runs second
      out('Consumer working');
      out('Consumer done');
      inQueue.taskDone(); // Runs third
    });
    out('Producer putting');
    inQueue.putNowait({ id: 1 }); // Runs first
    out('Producer waiting');
    await inQueue.join({ signal: group.signal }); // Runs fourth
    out('Producer done');
  }, { signal });
}

/** The seed's `StoppableWorker`: `for await` ends when the queue is closed and drained, and calls `taskDone()` after each item. */
async function stoppableWorker(func: Phase, inQueue: Queue<Photo>, outQueue: Queue<Photo>, signal: AbortSignal): Promise<void> {
  try {
    for await (const item of inQueue) await outQueue.put(await func(item), { signal });
  } catch (error) {
    // Once the group is cancelled the queues are closed under the worker: a `QueueClosed` then
    // is the cancellation itself, not a failure of this worker.
    signal.throwIfAborted();
    throw error;
  }
}

/**
 * The seed's pipeline on `Queue`s with `workers[i]` workers in phase `i`. Closing a phase's
 * input after the previous phase drained stops all its workers at once (the seed puts one
 * sentinel per worker).
 */
async function queuePipeline(ctx: DemoContext, phases: ReturnType<typeof makePhases>, count: number, workers: readonly [number, number, number], maxsize: number): Promise<number> {
  const downloadQueue = new Queue<Photo>({ maxsize });
  const resizeQueue = new Queue<Photo>({ maxsize });
  const uploadQueue = new Queue<Photo>({ maxsize });
  const doneQueue = new Queue<Photo>();
  const stages = [
    { func: phases.download, input: downloadQueue, output: resizeQueue, workers: workers[0] },
    { func: phases.resize, input: resizeQueue, output: uploadQueue, workers: workers[1] },
    { func: phases.upload, input: uploadQueue, output: doneQueue, workers: workers[2] },
  ];
  await taskGroup(async (group) => {
    // A worker waiting in `for await` sees no signal. When the group is cancelled (Ctrl-C) or a
    // worker fails, closing every queue at once, dropping its items, is what ends the others.
    group.signal.addEventListener('abort', () => {
      for (const queue of [downloadQueue, resizeQueue, uploadQueue, doneQueue]) queue.close({ immediate: true });
    }, { once: true });
    for (const stage of stages) {
      for (let i = 0; i < stage.workers; i++) {
        group.spawn((signal) => stoppableWorker(stage.func, stage.input, stage.output, signal));
      }
    }
    try {
      for (let id = 0; id < count; id++) await downloadQueue.put({ id }, { signal: group.signal });
      for (const stage of stages) {
        stage.input.close();
        await stage.input.join({ signal: group.signal });
      }
    } catch (error) {
      group.signal.throwIfAborted(); // A closed queue here is the cancellation, as in stoppableWorker.
      throw error;
    }
  }, { signal: ctx.signal });
  return doneQueue.size;
}

/** The same pipeline as {@link queuePipeline} with 3/4/5 workers and buffers of 10, as one `pipeline()` call; prints its stats. */
async function pipelineCall(ctx: DemoContext, phases: ReturnType<typeof makePhases>, count: number): Promise<void> {
  const photos = Array.from({ length: count }, (_, id): Photo => ({ id }));
  const stats = await pipeline(photos, { signal: ctx.signal })
    .stage('download', phases.download, { workers: 3, buffer: 10 })
    .stage('resize', phases.resize, { workers: 4, buffer: 10 })
    .stage('upload', phases.upload, { workers: 5, buffer: 10 })
    .run();
  ctx.out(`${stats.stages.at(-1)?.emitted ?? 0} items finished by pipeline()`);
  for (const line of statsTable(stats)) ctx.out(line);
  ctx.out(`(took ${seconds(stats.elapsed)} seconds; same work per item in every stage, so the stage with the fewest workers sets the pace)`);
}

/** Item 55, as `loom demo 55` runs it; also runnable alone: `node dist/examples/55-queue.js [--quick]`. */
const demo: Demo = {
  item: 55,
  title: 'Use Queue to Coordinate Work Between Threads',
  async run(ctx) {
    const count = 1000;
    const phases = makePhases(ctx.quick ? 0 : 1);
    ctx.out(`${count} photos go through download -> resize -> upload; each phase waits ${ctx.quick ? 'one event-loop turn' : '1 ms'} per photo.`);
    await pollingPipeline(ctx, phases, count);
    await orderings(ctx);

    ctx.out('-- Queue, close() and for await: one worker per phase, no polling');
    let start = performance.now();
    ctx.out(`${await queuePipeline(ctx, phases, count, [1, 1, 1], 0)} items finished`);
    ctx.out(`(took ${seconds(performance.now() - start)} seconds; every get() waited for its item, none polled)`);

    ctx.out('-- 3, 4 and 5 workers per phase, buffers of 10 between phases');
    start = performance.now();
    ctx.out(`${await queuePipeline(ctx, phases, count, [3, 4, 5], 10)} items finished`);
    ctx.out(`(took ${seconds(performance.now() - start)} seconds; a full buffer makes the phase before it wait, so memory stays bounded)`);

    ctx.out('-- The same with pipeline(): 3, 4 and 5 workers per stage, buffers of 10');
    await pipelineCall(ctx, phases, count);
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
