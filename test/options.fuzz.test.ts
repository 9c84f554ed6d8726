/**
 * Fuzzing every public function and constructor that takes an options object (the layers on
 * `main`: sync, queue, tasks, subprocess, workers, pipeline, life, parallel, bullmq; a new
 * layer adds its rows to `TARGETS`) with fast-check, fixed seeds. Each option gets hostile
 * values: wrong types, `NaN`, negative, fractional, huge, `Infinity`, objects, functions,
 * symbols, plus an extra key and sometimes a getter that throws.
 *
 * The contract (STYLE 12, DESIGN "Conventions"): the call either works, or throws a
 * `TypeError`/`RangeError` synchronously (or the getter's own error, which is the caller's).
 * It never fails later: a returned promise that rejects with a `TypeError`/`RangeError` or the
 * getter's error, an error thrown inside a timer or a worker (vitest fails the run on any
 * uncaught error), or a `TimeoutOverflowWarning` (a delay past 2^31 - 1 ms that Node silently
 * turns into 1 ms) all fail the test.
 *
 * A call that waits gets the test's signal unless the generated `signal` is itself hostile,
 * and the test aborts it after a few milliseconds, so every run settles and leaves nothing.
 */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Barrier,
  BullExecutor,
  Condition,
  Event,
  Executor,
  Future,
  Grid,
  LifoQueue,
  Mutex,
  ParallelLifeEngine,
  PriorityQueue,
  Queue,
  Semaphore,
  SharedMutex,
  SharedSemaphore,
  TaskGroup,
  WorkerPool,
  asCompleted,
  connectLifeServer,
  map,
  mapIter,
  parallel,
  parseRle,
  pipeline,
  randomGrid,
  run,
  simulateAsync,
  simulatePhasedPipeline,
  simulatePipeline,
  simulatePool,
  simulateThreaded,
  sleep,
  spawn,
  startLifeServer,
  wait,
  withTimeout,
} from '../src/index.js';

/** What a throwing getter throws: the caller's own error, allowed to surface synchronously. */
class GetterError extends Error {
  override name = 'GetterError';
}

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, Number.NaN, -1, 0, 1, 2, 1.5, 2 ** 31, 2 ** 53, Infinity, -Infinity, '', '1', 'yes', true, false, 0n),
  fc.constantFrom({}, [], [1, 'a'], new Date(0), Symbol('hostile')),
  fc.constant(() => 1),
  fc.integer(),
  fc.double(),
);

/** An options object over `keys`: some of them, hostile values, maybe an extra key, maybe a throwing getter. */
function optionsOf(keys: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.subarray([...keys]),
      fc.array(hostile, { minLength: keys.length, maxLength: keys.length }),
      fc.boolean(),
      fc.option(fc.constantFrom(...keys, 'extra'), { nil: undefined }),
    )
    .map(([chosen, values, extra, getter]) => {
      const opts: Record<string, unknown> = {};
      chosen.forEach((key, i) => (opts[key] = values[i]));
      if (extra) opts.unknownOption = 'x';
      // fast-check prints a counterexample by reading its properties; this prints it without calling the getter.
      Object.defineProperty(opts, fc.toStringMethod, { value: () => `{ ${show(opts)} }` });
      if (getter !== undefined) {
        Object.defineProperty(opts, getter, {
          enumerable: true,
          get() {
            throw new GetterError(`getter of ${getter}`);
          },
        });
      }
      return opts;
    });
}

/** One fuzzed call: `call(opts, signal)` with `opts` over `keys`. `waits`: give it our signal unless `signal` is hostile. */
interface Target {
  readonly name: string;
  readonly keys: readonly string[];
  readonly call: (opts: Record<string, unknown>, signal: AbortSignal) => unknown;
  readonly runs?: number;
}

const WAIT = ['signal', 'timeout'];
const BULL = { queue: 'fuzz', connection: 'redis://127.0.0.1:1', prefix: 'loom-fuzz' };
const grid = new Grid(3, 3);
const tasks = new URL('./fixtures/workers/tasks.ts', import.meta.url);
let sharedPool: WorkerPool;

const TARGETS: readonly Target[] = [
  { name: 'new Queue', keys: ['maxsize'], call: (opts) => new Queue(opts) },
  { name: 'new LifoQueue', keys: ['maxsize'], call: (opts) => new LifoQueue(opts) },
  { name: 'new PriorityQueue', keys: ['maxsize', 'comparator'], call: (opts) => new PriorityQueue(opts).putNowait(1) },
  { name: 'Queue.put', keys: WAIT, call: (opts) => {
    const full = new Queue<number>({ maxsize: 1 });
    full.putNowait(1);
    return full.put(2, opts);
  } },
  { name: 'Queue.get', keys: WAIT, call: (opts) => new Queue().get(opts) },
  { name: 'Queue.join', keys: WAIT, call: (opts) => new Queue().join(opts) },
  { name: 'Queue.close', keys: ['immediate'], call: (opts) => new Queue().close(opts) },
  { name: 'Mutex.acquire', keys: WAIT, call: (opts) => new Mutex().acquire(opts as never).then((lock) => lock.release()) },
  { name: 'Semaphore.acquire', keys: WAIT, call: (opts) => new Semaphore(0).acquire(opts) },
  { name: 'Event.wait', keys: WAIT, call: (opts) => new Event().wait(opts) },
  { name: 'Condition.acquire', keys: WAIT, call: (opts) => new Condition().acquire(opts as never).then((lock) => lock.release()) },
  { name: 'Barrier.wait', keys: WAIT, call: (opts) => new Barrier(2).wait(opts) },
  { name: 'sleep', keys: WAIT, call: (opts) => sleep(5, opts) },
  { name: 'withTimeout', keys: ['signal'], call: (opts) => withTimeout(() => 1, 1000, opts as never) },
  { name: 'new TaskGroup', keys: WAIT, call: (opts) => finish(new TaskGroup(opts as never), (group) => void group.spawn(() => Promise.resolve(1))) },
  { name: 'map', keys: ['concurrency', ...WAIT], call: (opts) => map([1, 2, 3], (x: number) => x, opts as never) },
  { name: 'mapIter', keys: ['concurrency', 'ordered', ...WAIT], call: (opts) => drain(mapIter([1, 2, 3], (x: number) => x, opts as never)) },
  { name: 'new Executor', keys: ['maxWorkers'], call: (opts) => new Executor(opts).shutdown() },
  { name: 'Executor.shutdown', keys: ['wait', 'cancelFutures'], call: (opts) => new Executor().shutdown(opts) },
  { name: 'Future.result', keys: WAIT, call: (opts) => new Future().result(opts) },
  { name: 'wait', keys: ['returnWhen', ...WAIT], call: (opts) => wait([new Future()], opts as never) },
  { name: 'asCompleted', keys: WAIT, call: (opts) => drain(asCompleted([new Future()], opts as never)) },
  { name: 'run', keys: ['input', 'cwd', 'env', 'timeout', 'signal', 'check', 'encoding', 'maxBuffer', 'shell'], runs: 40, call: (opts) => run([process.execPath, '-e', ''], opts as never) },
  { name: 'spawn', keys: ['cwd', 'env', 'encoding', 'stdin', 'stdout', 'stderr', 'shell'], runs: 40, call: (opts) => finish(spawn([process.execPath, '-e', ''], opts as never), (child) => child.wait()) },
  { name: 'new WorkerPool', keys: ['size', 'concurrentTasksPerWorker', 'idleTimeout', 'maxQueue', 'abortGrace', 'resourceLimits', 'execArgv'], runs: 25, call: (opts) => finish(new WorkerPool(with_({ module: tasks }, opts) as never), (pool) => pool.run('add', [1, 2])) },
  { name: 'WorkerPool.run', keys: ['signal', 'timeout', 'transfer'], runs: 60, call: (opts) => sharedPool.run('add', [1, 2], opts) },
  { name: 'SharedMutex.acquire', keys: WAIT, call: (opts) => new SharedMutex().acquire(opts as never).then((lock) => lock.release()) },
  { name: 'SharedSemaphore.acquire', keys: WAIT, call: (opts) => new SharedSemaphore(0).acquire(opts) },
  { name: 'simulateAsync', keys: ['gameLogic', 'countNeighbors', 'signal'], call: (opts) => simulateAsync(grid, opts) },
  { name: 'simulatePool', keys: ['gameLogic', 'countNeighbors', 'concurrency', 'signal'], call: (opts) => simulatePool(grid, opts) },
  { name: 'simulateThreaded', keys: ['gameLogic', 'countNeighbors', 'signal'], call: (opts) => simulateThreaded(grid, opts) },
  { name: 'simulatePipeline', keys: ['gameLogic', 'countNeighbors', 'workers', 'signal'], call: (opts) => simulatePipeline(grid, opts) },
  { name: 'simulatePhasedPipeline', keys: ['gameLogic', 'countNeighbors', 'workers', 'signal'], call: (opts) => simulatePhasedPipeline(grid, opts) },
  { name: 'randomGrid', keys: ['seed', 'density'], call: (opts) => randomGrid(4, 4, opts) },
  { name: 'parseRle', keys: ['maxCells'], call: (opts) => parseRle('x = 2, y = 2\n2o$2o!', opts) },
  { name: 'new ParallelLifeEngine', keys: ['workers'], runs: 10, call: (opts) => finish(new ParallelLifeEngine(new Grid(2, 32), opts as never), (engine) => engine.step(1), (engine) => engine.close()) },
  { name: 'startLifeServer', keys: ['host', 'port', 'latency', 'logic', 'maxConnections', 'maxInFlight', 'idleTimeout', 'log'], runs: 60, call: (opts) => startLifeServer(with_({ port: 0, host: '127.0.0.1' }, opts) as never).then((server) => server.close()) },
  { name: 'pipeline', keys: ['onProgress', 'progressInterval', ...WAIT], call: (opts) => pipeline([1, 2, 3], opts as never).stage('a', (x: number) => x).run() },
  { name: 'Pipeline.stage', keys: ['workers', 'buffer', 'ordered', 'retries', 'retryDelay', 'timeout', 'continueOnError'], call: (opts) => pipeline([1, 2, 3]).stage('a', (x: number) => x, opts).run() },
  { name: 'Pipeline.filter', keys: ['workers', 'buffer', 'ordered', 'retries', 'retryDelay', 'timeout', 'continueOnError'], call: (opts) => pipeline([1, 2, 3]).filter('a', (x: number) => x > 1, opts).run() },
  { name: 'Pipeline.batch', keys: ['maxWait', 'buffer'], call: (opts) => pipeline([1, 2, 3]).batch('a', 2, opts).run() },
  { name: 'Pipeline.run', keys: WAIT, call: (opts) => pipeline([1, 2, 3]).stage('a', (x: number) => x).run(opts) },
  { name: 'Pipeline.toArray', keys: WAIT, call: (opts) => pipeline([1, 2, 3]).stage('a', (x: number) => x).toArray(opts) },
  // No `joblog`/`resume`: a hostile string there is a file path, which the run would write in the working directory.
  { name: 'parallel', keys: ['jobs', 'keepOrder', 'ungroup', 'lineBuffer', 'onLine', 'tag', 'tagstring', 'halt', 'retries', 'timeout', 'delay', 'dryRun', 'colsep', 'shell', 'spawner', 'maxOutput', 'cwd', 'env', 'onStart', 'onNotice', 'signal'], runs: 60, call: (opts) => drain(parallel('true', [['a', 'b']], opts)) },
  // Nothing here reaches Redis: the executor connects with its first task (the URL names a closed port).
  { name: 'new BullExecutor', keys: ['queue', 'connection', 'prefix', 'maxInFlight', 'onError'], call: (opts) => new BullExecutor(with_(BULL, opts) as never).shutdown() },
  { name: 'BullExecutor.shutdown', keys: ['wait', 'cancelFutures', ...WAIT], call: (opts) => new BullExecutor(BULL).shutdown(opts) },
  { name: 'connectLifeServer', keys: ['port', 'host', 'connections'], call: (opts) => connectLifeServer(with_({ port: 1 }, opts) as never).close() },
];

/** `base` with the properties of `over` laid on it, getters kept as getters (a spread would call them here, in the test). */
function with_(base: object, over: object): Record<string, unknown> {
  return Object.defineProperties(Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)), Object.getOwnPropertyDescriptors(over));
}

/** Drains `items`: the call that made them ran synchronously, so its checks already ran. */
async function drain(items: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of items);
}

/** Uses `resource` (already constructed, synchronously) with `use`, then closes it. */
async function finish<R extends AsyncDisposable>(resource: R, use: (resource: R) => unknown, close = (r: R) => r[Symbol.asyncDispose]()): Promise<void> {
  try {
    await use(resource);
  } finally {
    await close(resource);
  }
}

const warnings: Error[] = [];
const onWarning = (warning: Error): void => void warnings.push(warning);

beforeAll(() => {
  sharedPool = new WorkerPool({ module: tasks, size: 1 });
  process.on('warning', onWarning);
});
afterAll(async () => {
  process.off('warning', onWarning);
  await sharedPool.terminate();
});

/** Calls `target` with `opts`; fails the property when the call breaks the contract (see the module comment). */
async function check(target: Target, opts: Record<string, unknown>): Promise<void> {
  const controller = new AbortController();
  const signal = Object.getOwnPropertyDescriptor(opts, 'signal');
  const given = target.keys.includes('signal') && signal?.get === undefined && signal?.value === undefined ? with_(opts, { signal: controller.signal }) : opts;
  let result: unknown;
  try {
    result = target.call(given, controller.signal);
  } catch (error) {
    expect(error instanceof TypeError || error instanceof RangeError || error instanceof GetterError, `${target.name} threw ${String(error)}`).toBe(true);
    return;
  }
  if (!(result instanceof Promise)) return;
  const abort = setTimeout(() => controller.abort(new Error('fuzz: gave up waiting')), 20);
  try {
    await result;
  } catch (error) {
    const late = error instanceof TypeError || error instanceof RangeError || error instanceof GetterError;
    expect(late, `${target.name}(${show(opts)}) failed later with ${String(error)}`).toBe(false);
  } finally {
    clearTimeout(abort);
  }
  // Node emits warnings on a later tick.
  await new Promise((resolve) => setImmediate(resolve));
  const overflow = warnings.splice(0).filter((warning) => warning.name === 'TimeoutOverflowWarning');
  expect(overflow.map(String), `${target.name}(${show(opts)}) armed a timer past 2^31 - 1 ms`).toEqual([]);
}

function show(opts: Record<string, unknown>): string {
  return Object.keys(opts)
    .map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(opts, key);
      return `${key}: ${descriptor?.get === undefined ? String(descriptor?.value) : '<throwing getter>'}`;
    })
    .join(', ');
}

describe.each(TARGETS.map((target) => [target.name, target] as const))('options of %s under fuzzing', (_name, target) => {
  it('works, or throws TypeError/RangeError synchronously; never fails later', async () => {
    await fc.assert(
      fc.asyncProperty(optionsOf(target.keys), (opts) => check(target, opts)),
      { seed: 10, numRuns: target.runs ?? 100 },
    );
  });
});

describe('the options fuzz harness', () => {
  it('fails a call that validates late, arms an overflowing timer, or throws something else at once', async () => {
    const late: Target = { name: 'late', keys: [], call: () => Promise.reject(new TypeError('late')) };
    await expect(check(late, {})).rejects.toThrow('late() failed later with TypeError: late');
    const overflow: Target = { name: 'overflow', keys: [], call: () => new Promise<void>((resolve) => setTimeout(resolve, 2 ** 31).unref() && resolve()) };
    await expect(check(overflow, {})).rejects.toThrow('overflow() armed a timer past 2^31 - 1 ms');
    const odd: Target = { name: 'odd', keys: [], call: () => {
      throw new Error('not a TypeError');
    } };
    await expect(check(odd, {})).rejects.toThrow('odd threw Error: not a TypeError');
  });
});
