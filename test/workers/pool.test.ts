import { afterAll, describe, expect, test } from 'vitest';
import { InvalidStateError, QueueFull } from '../../src/core/errors.js';
import { Future } from '../../src/tasks/future.js';
import { WorkerPool } from '../../src/workers/pool.js';
import { flag, open, testPool } from './support.js';

const pool = testPool();
afterAll(() => pool.terminate());

describe('WorkerPool.run', () => {
  test('runs an exported function in a thread and returns its result', async () => {
    expect(await pool.run('add', [2, 3])).toBe(5);
    expect(await pool.run('asyncSquare', [7])).toBe(49);
  });

  test('runs in worker threads, not on the main thread', async () => {
    const ids = await Promise.all([pool.run<number>('whoAmI'), pool.run<number>('whoAmI')]);
    for (const id of ids) expect(id).toBeGreaterThan(0);
  });

  test('passes the arguments, then a context with a signal that is not aborted', async () => {
    expect(await pool.run('contextOf', [1, 'a'])).toEqual({ args: 3, hasSignal: true, aborted: false });
    expect(await pool.run('contextOf', [], { timeout: 10_000 })).toEqual({ args: 1, hasSignal: true, aborted: false });
  });

  test('keeps many tiny tasks in flight and returns each its own result', async () => {
    const results = await Promise.all(Array.from({ length: 5000 }, (_, i) => pool.run<number>('add', [i, 1])));
    expect(results).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  });

  test('rejects with the error the task threw, name, fields and cause kept', async () => {
    const error = await pool.run('fail', ['boom']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'CodedError', message: 'boom', code: 'E_CODED' });
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    await expect(pool.run('failAsync', ['later'])).rejects.toMatchObject({ name: 'CodedError', message: 'later' });
    expect(await pool.run('add', [1, 1])).toBe(2); // the thread stays in service
  });

  test('rejects with a TypeError naming a missing export', async () => {
    await expect(pool.run('nope')).rejects.toThrow(`Expected \`nope\` to be a function exported by ${new URL('../fixtures/workers/tasks.ts', import.meta.url).href}, got \`undefined\``);
  });

  test('transfers arguments on request, and results wrapped in withTransfer', async () => {
    const buffer = new ArrayBuffer(16);
    expect(await pool.run('byteLength', [buffer], { transfer: [buffer] })).toBe(16);
    expect(buffer.byteLength).toBe(0); // moved, not copied
    const bytes = await pool.run<Uint8Array>('makeBuffer', [8]);
    expect([...bytes]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });

  test('rejects an argument that cannot be posted, naming the task, and runs the others', async () => {
    const bad = pool.run('byteLength', [() => 1]);
    const good = pool.run('add', [1, 2]);
    await expect(bad).rejects.toThrow(/^Task "byteLength" has arguments that cannot be posted to a worker: DataCloneError: /);
    expect(await good).toBe(3);
  });

  test('checks its arguments synchronously', () => {
    expect(() => pool.run(1 as any)).toThrow(new TypeError('Expected `name` to be the name of an exported function, got `1` (number)'));
    expect(() => pool.run('add', 1 as any)).toThrow(new TypeError('Expected `args` to be an array of arguments, got `1` (number)'));
    expect(() => pool.run('add', [], { timeout: -1 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'));
    expect(() => pool.run('add', [], { transfer: 1 as any })).toThrow(new TypeError('Expected `transfer` to be an array, got `1` (number)'));
  });
});

describe('WorkerPool.submit', () => {
  test('returns a Future that resolves with the result', async () => {
    const future = pool.submit<number>('add', [20, 22]);
    expect(future).toBeInstanceOf(Future);
    expect(await future).toBe(42);
    expect(future.done()).toBe(true);
  });

  test('a queued future can be cancelled and never runs', async () => {
    const gate = flag();
    const single = testPool({ size: 1, concurrentTasksPerWorker: 1 });
    try {
      const blocker = single.submit('waitForGate', [gate, 1]);
      const queued = single.submit('add', [1, 1]);
      expect(single.queueSize).toBe(1);
      expect(queued.cancel()).toBe(true);
      expect(single.queueSize).toBe(0);
      open(gate);
      expect(await blocker).toBe(1);
      expect(queued.cancelled()).toBe(true);
    } finally {
      await single.terminate();
    }
  });
});

describe('WorkerPool.map', () => {
  test('returns the results in input order, for arrays and iterables', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    expect(await pool.map('square', items)).toEqual(items.map((x) => x * x));
    expect(await pool.map('square', new Set([1, 2, 3]), { chunkSize: 1 })).toEqual([1, 4, 9]);
    expect(await pool.map('asyncSquare', [1, 2, 3])).toEqual([1, 4, 9]);
    expect(await pool.map('square', [])).toEqual([]);
  });

  test('rejects with the first failure', async () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    await expect(pool.map('failOn13', items, { chunkSize: 10 })).rejects.toThrow('bad item 13');
    expect(await pool.map('square', [2])).toEqual([4]); // the pool goes on
  });

  test('checks chunkSize', () => {
    expect(() => pool.map('square', [1], { chunkSize: 0 })).toThrow(new RangeError('Expected `chunkSize` to be an integer >= 1, got `0` (number)'));
  });
});

describe('backpressure', () => {
  test('run waits for room in a full queue; submit throws QueueFull', async () => {
    const gate = flag();
    const small = testPool({ size: 1, concurrentTasksPerWorker: 1, maxQueue: 1 });
    try {
      const running = small.run('waitForGate', [gate, 1]);
      const queued = small.run('add', [1, 1]);
      expect(small.queueSize).toBe(1);
      expect(() => small.submit('add', [1, 2])).toThrow(new QueueFull('WorkerPool queue is full: 1 tasks waiting (maxQueue 1)'));
      let started = false;
      const waiting = small.run('add', [2, 2]).then((value) => {
        started = true;
        return value;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).toBe(false);
      open(gate);
      expect(await Promise.all([running, queued, waiting])).toEqual([1, 2, 4]);
    } finally {
      await small.terminate();
    }
  });

  test('a caller waiting for room gives up on timeout and leaves nothing queued', async () => {
    const gate = flag();
    const small = testPool({ size: 1, concurrentTasksPerWorker: 1, maxQueue: 0 });
    try {
      const running = small.run('waitForGate', [gate, 1]);
      await expect(small.run('add', [1, 1], { timeout: 5 })).rejects.toThrow('WorkerPool.run timed out after 5 milliseconds');
      expect(small.queueSize).toBe(0);
      open(gate);
      expect(await running).toBe(1);
    } finally {
      await small.terminate();
    }
  });
});

describe('options', () => {
  test('are checked with the house message', () => {
    expect(() => new WorkerPool(undefined as any)).toThrow(new TypeError('Expected `options` to be an options object with a `module`, got `undefined`'));
    expect(() => new WorkerPool({ module: 1 as any })).toThrow(new TypeError('Expected `module` to be a URL or a file path, got `1` (number)'));
    expect(() => new WorkerPool({ module: 'x.js', size: 0 })).toThrow(new RangeError('Expected `size` to be an integer >= 1, got `0` (number)'));
    expect(() => new WorkerPool({ module: 'x.js', concurrentTasksPerWorker: 1.5 })).toThrow(
      new RangeError('Expected `concurrentTasksPerWorker` to be an integer >= 1, got `1.5` (number)'),
    );
    expect(() => new WorkerPool({ module: 'x.js', idleTimeout: -1 })).toThrow(new RangeError('Expected `idleTimeout` to be a number of milliseconds >= 0, got `-1` (number)'));
    expect(() => new WorkerPool({ module: 'x.js', maxQueue: -1 })).toThrow(new RangeError('Expected `maxQueue` to be an integer >= 0 or Infinity, got `-1` (number)'));
    expect(() => new WorkerPool({ module: 'x.js', execArgv: [1] as any })).toThrow(new TypeError('Expected `execArgv` to be an array of strings, got `[object Array]` (Array)'));
  });

  test('size defaults to the available parallelism, and threads start on demand', async () => {
    const { availableParallelism } = await import('node:os');
    const lazy = new WorkerPool({ module: new URL('../fixtures/workers/tasks.ts', import.meta.url) });
    expect(lazy.size).toBe(availableParallelism());
    expect(lazy.threadCount).toBe(0);
    await lazy.shutdown();
  });

  test('idleTimeout ends an idle thread, and the next task starts a new one', async () => {
    const idle = testPool({ size: 1, idleTimeout: 0 });
    try {
      const first = await idle.run<number>('whoAmI');
      await new Promise<void>((resolve) => {
        const check = (): void => (idle.threadCount === 0 ? resolve() : void setImmediate(check));
        check();
      });
      expect(await idle.run<number>('whoAmI')).not.toBe(first);
    } finally {
      await idle.terminate();
    }
  });

  test('a module path works like a URL', async () => {
    const { fileURLToPath } = await import('node:url');
    const byPath = new WorkerPool({ module: fileURLToPath(new URL('../fixtures/workers/tasks.ts', import.meta.url)), size: 1 });
    try {
      expect(await byPath.run('add', [1, 2])).toBe(3);
    } finally {
      await byPath.terminate();
    }
  });
});

test('a shut-down pool takes no new work', async () => {
  const closed = testPool();
  await closed.shutdown();
  expect(() => closed.submit('add', [1, 2])).toThrow(new InvalidStateError('WorkerPool.submit cannot start task "add": the pool is shut down'));
  await expect(closed.run('add', [1, 2])).rejects.toThrow('WorkerPool.run cannot start task "add": the pool is shut down');
  await expect(closed.map('square', [1])).rejects.toThrow('WorkerPool.map cannot start task "square": the pool is shut down');
});
