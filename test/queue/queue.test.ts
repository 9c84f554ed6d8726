import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidStateError, QueueClosed, QueueEmpty, QueueFull, TimeoutError } from '../../src/core/errors.js';
import { LifoQueue, PriorityQueue, Queue } from '../../src/queue/index.js';
import { abortListeners, deferred, flush, settle } from '../helpers.js';

/** One behavioural suite run against every queue kind (STYLE 15). */
const kinds = [
  { name: 'Queue', make: (maxsize = 0) => new Queue<number>({ maxsize }) },
  { name: 'LifoQueue', make: (maxsize = 0) => new LifoQueue<number>({ maxsize }) },
  { name: 'PriorityQueue', make: (maxsize = 0) => new PriorityQueue<number>({ maxsize }) },
] as const;

afterEach(() => {
  vi.useRealTimers();
});

describe.each(kinds)('$name', ({ name, make }) => {
  it('starts empty, unbounded by default, and reports its state', () => {
    const queue = make();
    expect(queue.size).toBe(0);
    expect(queue.maxsize).toBe(0);
    expect(queue.empty()).toBe(true);
    expect(queue.full()).toBe(false);
    expect(queue.closed).toBe(false);
    for (let i = 0; i < 1000; i++) queue.putNowait(i);
    expect(queue.full()).toBe(false); // never full when unbounded
    expect(queue.size).toBe(1000);
  });

  it('is full at maxsize and rejects putNowait with QueueFull', () => {
    const queue = make(2);
    queue.putNowait(1);
    expect(queue.full()).toBe(false);
    queue.putNowait(2);
    expect(queue.full()).toBe(true);
    expect(() => queue.putNowait(3)).toThrow(new QueueFull(`Cannot put to a full ${name} (maxsize 2)`));
    expect(queue.size).toBe(2);
  });

  it('throws QueueEmpty from getNowait on an empty queue', () => {
    const queue = make();
    expect(() => queue.getNowait()).toThrow(QueueEmpty);
    expect(() => queue.getNowait()).toThrow(`Cannot get from an empty ${name}`);
  });

  it('validates its options with the exact messages', () => {
    expect(() => make(-1)).toThrow(new RangeError('Expected `maxsize` to be an integer >= 0, got `-1` (number)'));
    expect(() => make(1.5)).toThrow(new RangeError('Expected `maxsize` to be an integer >= 0, got `1.5` (number)'));
    expect(() => make(Infinity)).toThrow(RangeError);
    expect(() => make('3' as any)).toThrow(new TypeError('Expected `maxsize` to be an integer >= 0, got `"3"` (string)'));
    const queue = make();
    expect(() => queue.put(1, 5 as any)).toThrow(new TypeError('Expected `options` to be an options object, got `5` (number)'));
    expect(() => queue.get({ timeout: -1 })).toThrow(
      new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'),
    );
    expect(() => queue.join({ signal: 'no' as any })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `"no"` (string)'));
    expect(() => queue.close({ immediate: 1 as any })).toThrow(new TypeError('Expected `immediate` to be a boolean, got `1` (number)'));
    expect(() => queue.close(null as any)).toThrow(new TypeError('Expected `options` to be an options object, got `null`'));
    expect(queue.closed).toBe(false);
  });

  it('hands an item to a waiting getter, serving getters first come, first served', async () => {
    const queue = make();
    const got: string[] = [];
    const getters = ['a', 'b', 'c'].map((who) => queue.get().then((item) => got.push(`${who}:${item}`)));
    await flush();
    queue.putNowait(1);
    await queue.put(2);
    queue.putNowait(3);
    await Promise.all(getters);
    expect(got).toEqual(['a:1', 'b:2', 'c:3']);
    expect(queue.size).toBe(0);
  });

  it('makes put wait while full and admits waiting putters first come, first served', async () => {
    const queue = make(1);
    await queue.put(0);
    const done: number[] = [];
    const putters = [1, 2, 3].map((item) => queue.put(item).then(() => done.push(item)));
    await flush();
    expect(done).toEqual([]);
    expect(queue.getNowait()).toBe(0);
    expect(queue.size).toBe(1); // the oldest putter's item went in with the take
    await flush();
    expect(done).toEqual([1]);
    expect(() => queue.putNowait(9)).toThrow(QueueFull); // no barging past the waiting putters
    expect(queue.getNowait()).toBe(1);
    expect(queue.getNowait()).toBe(2);
    expect(queue.getNowait()).toBe(3);
    await Promise.all(putters);
    expect(done).toEqual([1, 2, 3]);
  });

  it('counts unfinished tasks: join waits for taskDone of every item put', async () => {
    const queue = make();
    await queue.join(); // nothing put: resolves at once
    await queue.put(1);
    await queue.put(2);
    let joined = false;
    const joining = queue.join().then(() => (joined = true));
    await queue.get();
    await queue.get();
    queue.taskDone();
    await flush();
    expect(joined).toBe(false);
    queue.taskDone();
    await joining;
    expect(joined).toBe(true);
  });

  it('throws InvalidStateError from taskDone called more times than items were put', async () => {
    const queue = make();
    expect(() => queue.taskDone()).toThrow(new InvalidStateError(`${name}.taskDone() called more times than items were put`));
    await queue.put(1);
    queue.taskDone(); // allowed before the get, as in Python
    expect(() => queue.taskDone()).toThrow(InvalidStateError);
  });

  it('rejects at once with the reason of an already-aborted signal, even when it could proceed', async () => {
    const queue = make(1);
    const reason = new Error('already gone');
    const signal = AbortSignal.abort(reason);
    expect(await settle(queue.put(1, { signal }))).toEqual({ ok: false, error: reason });
    expect(queue.size).toBe(0);
    queue.putNowait(1);
    expect(await settle(queue.get({ signal }))).toEqual({ ok: false, error: reason });
    expect(queue.size).toBe(1);
    queue.getNowait();
    queue.taskDone();
    expect(await settle(queue.join({ signal }))).toEqual({ ok: false, error: reason });
  });

  it('leaves the line when aborted while waiting, holding nothing and leaving no listener', async () => {
    const queue = make(1);
    const controller = new AbortController();
    const reason = new Error('gave up');
    const getter = settle(queue.get({ signal: controller.signal }));
    const next = queue.get();
    await flush();
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort(reason);
    expect(await getter).toEqual({ ok: false, error: reason });
    expect(abortListeners(controller.signal)).toBe(0);
    queue.putNowait(1);
    expect(await next).toBe(1);

    queue.putNowait(2);
    const putController = new AbortController();
    const putter = settle(queue.put(3, { signal: putController.signal }));
    const other = queue.put(4);
    await flush();
    putController.abort(reason);
    expect(await putter).toEqual({ ok: false, error: reason });
    expect(abortListeners(putController.signal)).toBe(0);
    expect(queue.getNowait()).toBe(2);
    await other;
    expect(queue.getNowait()).toBe(4); // 3 was never inserted
    expect(queue.size).toBe(0);

    await queue.put(5);
    const joinController = new AbortController();
    const joiner = settle(queue.join({ signal: joinController.signal }));
    joinController.abort(reason);
    expect(await joiner).toEqual({ ok: false, error: reason });
    expect(abortListeners(joinController.signal)).toBe(0);
  });

  it('times out get, put and join with a TimeoutError and leaves no timer', async () => {
    vi.useFakeTimers();
    const queue = make(1);
    const getting = settle(queue.get({ timeout: 50 }));
    await vi.advanceTimersByTimeAsync(49);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await getting).toEqual({ ok: false, error: new TimeoutError(`${name}.get timed out after 50 milliseconds`) });
    queue.putNowait(1);
    const putting = settle(queue.put(2, { timeout: 20 }));
    const joining = settle(queue.join({ timeout: 30 }));
    await vi.advanceTimersByTimeAsync(30);
    expect(await putting).toEqual({ ok: false, error: new TimeoutError(`${name}.put timed out after 20 milliseconds`) });
    expect(await joining).toEqual({ ok: false, error: new TimeoutError(`${name}.join timed out after 30 milliseconds`) });
    expect(queue.size).toBe(1);
    expect(queue.getNowait()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('treats timeout 0 as "only if possible now" and clears the timer of a wait that succeeds', async () => {
    vi.useFakeTimers();
    const queue = make(1);
    expect(await settle(queue.get({ timeout: 0 }))).toEqual({
      ok: false,
      error: new TimeoutError(`${name}.get timed out after 0 milliseconds`),
    });
    await queue.put(1, { timeout: 0 });
    expect(await queue.get({ timeout: 0 })).toBe(1);
    const controller = new AbortController();
    const waiting = queue.get({ timeout: 1000, signal: controller.signal });
    expect(vi.getTimerCount()).toBe(1);
    queue.putNowait(2);
    expect(await waiting).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  describe('close', () => {
    it('refuses puts, returns what is left, then rejects gets with QueueClosed', async () => {
      const queue = make();
      queue.putNowait(1);
      queue.close();
      expect(queue.closed).toBe(true);
      expect(() => queue.putNowait(2)).toThrow(new QueueClosed(`Cannot put to a closed ${name}`));
      expect(await settle(queue.put(2))).toEqual({ ok: false, error: new QueueClosed(`Cannot put to a closed ${name}`) });
      expect(await queue.get()).toBe(1);
      expect(await settle(queue.get())).toEqual({ ok: false, error: new QueueClosed(`Cannot get from a closed, empty ${name}`) });
      expect(() => queue.getNowait()).toThrow(new QueueClosed(`Cannot get from a closed, empty ${name}`));
      queue.taskDone(); // items taken before or after close still count
      await queue.join();
    });

    it('rejects waiting getters and putters, each with its own error, and never inserts', async () => {
      const queue = make(1);
      const getters = [settle(queue.get()), settle(queue.get())];
      await flush();
      queue.close();
      const results = await Promise.all(getters);
      for (const result of results) expect(result).toEqual({ ok: false, error: new QueueClosed(`Cannot get from a closed, empty ${name}`) });
      expect((results[0] as { error: unknown }).error).not.toBe((results[1] as { error: unknown }).error);

      const full = make(1);
      full.putNowait(1);
      const putter = settle(full.put(2));
      const cancellable = settle(full.put(3, { signal: new AbortController().signal }));
      await flush();
      full.close();
      expect(await putter).toEqual({ ok: false, error: new QueueClosed(`Cannot put to a closed ${name}`) });
      expect(await cancellable).toEqual({ ok: false, error: new QueueClosed(`Cannot put to a closed ${name}`) });
      expect(full.getNowait()).toBe(1);
      expect(full.size).toBe(0);
    });

    it('clears the timers and listeners of the waits it ends', async () => {
      vi.useFakeTimers();
      const queue = make(1);
      const controller = new AbortController();
      const getter = settle(queue.get({ timeout: 1000, signal: controller.signal }));
      const full = make(1);
      full.putNowait(1);
      const putter = settle(full.put(2, { timeout: 1000, signal: controller.signal }));
      expect(vi.getTimerCount()).toBe(2);
      queue.close();
      full.close();
      expect((await getter).ok).toBe(false);
      expect((await putter).ok).toBe(false);
      expect(vi.getTimerCount()).toBe(0);
      expect(abortListeners(controller.signal)).toBe(0);
    });

    it('is idempotent and works with `using`', () => {
      const queue = make();
      {
        using scoped = queue;
        scoped.putNowait(1);
      }
      expect(queue.closed).toBe(true);
      queue.close();
      queue[Symbol.dispose]();
      expect(queue.getNowait()).toBe(1);
    });

    it('with immediate drops the queued items and counts them done', async () => {
      const queue = make();
      for (const item of [1, 2, 3]) queue.putNowait(item);
      const taken = queue.getNowait();
      let joined = false;
      const joining = queue.join().then(() => (joined = true));
      queue.close({ immediate: true });
      expect(queue.size).toBe(0);
      expect(() => queue.getNowait()).toThrow(QueueClosed);
      await flush();
      expect(joined).toBe(false); // the item already taken is still in progress
      expect(taken).toBeTypeOf('number');
      queue.taskDone();
      await joining;
      expect(() => queue.taskDone()).toThrow(InvalidStateError);
    });

    it('drops what a plain close left when closed again with immediate', async () => {
      const queue = make();
      queue.putNowait(1);
      queue.putNowait(2);
      queue.close();
      queue.close({ immediate: true });
      expect(queue.size).toBe(0);
      await queue.join();
    });
  });

  describe('async iteration', () => {
    it('yields until closed and drained, marking each item done after its body', async () => {
      const queue = make(2);
      const seen: number[] = [];
      let joined = false;
      const consumer = (async () => {
        for await (const item of queue) seen.push(item);
      })();
      for (const item of [1, 2, 3, 4]) await queue.put(item);
      await queue.join().then(() => (joined = true));
      expect(joined).toBe(true);
      queue.close();
      await consumer;
      expect([...seen].sort()).toEqual([1, 2, 3, 4]);
    });

    it('marks the item done when the body breaks or throws', async () => {
      const queue = make();
      queue.putNowait(1);
      queue.putNowait(2);
      for await (const _item of queue) break;
      const boom = new Error('body failed');
      const failing = (async () => {
        for await (const _item of queue) throw boom;
      })();
      expect(await settle(failing)).toEqual({ ok: false, error: boom });
      await queue.join(); // both items were marked done
      expect(queue.size).toBe(0);
    });

    it('ends every consumer on close, including those waiting', async () => {
      const queue = make();
      const consumers = [0, 1, 2].map(async () => {
        let count = 0;
        for await (const _item of queue) count++;
        return count;
      });
      await flush();
      queue.putNowait(1);
      queue.close();
      const counts = await Promise.all(consumers);
      expect(counts.reduce((a, b) => a + b)).toBe(1);
    });
  });
});

describe('order of each kind', () => {
  it('Queue is first in, first out, across ring-buffer growth and shrinking', () => {
    const queue = new Queue<number>();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 100 * (round + 1); i++) queue.putNowait(next++);
      for (let i = 0; i < 90 * (round + 1); i++) expect(queue.getNowait()).toBe(expected++);
    }
    while (!queue.empty()) expect(queue.getNowait()).toBe(expected++);
    expect(expected).toBe(next);
  });

  it('LifoQueue is last in, first out', () => {
    const queue = new LifoQueue<string>();
    for (const item of ['a', 'b', 'c']) queue.putNowait(item);
    expect([queue.getNowait(), queue.getNowait(), queue.getNowait()]).toEqual(['c', 'b', 'a']);
  });

  it('PriorityQueue is smallest first by default and stable among ties', () => {
    const queue = new PriorityQueue<number>();
    for (const item of [5, 1, 4, 1, 3, 9, 2, 6]) queue.putNowait(item);
    const out: number[] = [];
    while (!queue.empty()) out.push(queue.getNowait());
    expect(out).toEqual([1, 1, 2, 3, 4, 5, 6, 9]);

    const words = new PriorityQueue<string>();
    for (const word of ['pear', 'apple', 'fig']) words.putNowait(word);
    expect(words.getNowait()).toBe('apple');

    const jobs = new PriorityQueue<{ p: number; id: string }>({ comparator: (a, b) => a.p - b.p });
    for (const job of [
      { p: 2, id: 'a' },
      { p: 1, id: 'b' },
      { p: 2, id: 'c' },
      { p: 1, id: 'd' },
      { p: 2, id: 'e' },
    ]) {
      jobs.putNowait(job);
    }
    const ids: string[] = [];
    while (!jobs.empty()) ids.push(jobs.getNowait().id);
    expect(ids).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  it('PriorityQueue validates the comparator and survives one that throws', async () => {
    expect(() => new PriorityQueue({ comparator: 'desc' as any })).toThrow(
      new TypeError('Expected `comparator` to be a function, got `"desc"` (string)'),
    );
    const boom = new Error('cannot compare');
    let failing = false;
    const queue = new PriorityQueue<number>({
      comparator: (a, b) => {
        if (failing) throw boom;
        return a - b;
      },
    });
    for (const item of [3, 1, 2]) queue.putNowait(item);
    failing = true;
    expect(() => queue.putNowait(0)).toThrow(boom);
    expect(await settle(queue.get())).toEqual({ ok: false, error: boom });
    expect(() => queue.getNowait()).toThrow(boom);
    expect(queue.size).toBe(3);
    failing = false;
    expect([queue.getNowait(), queue.getNowait(), queue.getNowait()]).toEqual([1, 2, 3]);
  });

  it('keeps undefined and repeated items as items', async () => {
    const queue = new Queue<number | undefined>({ maxsize: 1 });
    queue.putNowait(undefined);
    const putter = queue.put(undefined);
    expect(queue.getNowait()).toBeUndefined();
    await putter;
    expect(queue.size).toBe(1);
    expect(queue.getNowait()).toBeUndefined();
  });
});

describe('seed item 55', () => {
  it('buffer of size 1: put waits for the consumer (Producer put 1, Consumer got 1, ...)', async () => {
    vi.useFakeTimers();
    const queue = new Queue<object>({ maxsize: 1 });
    const log: string[] = [];
    const consumer = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the seed's time.sleep(0.1)
      await queue.get();
      log.push('Consumer got 1');
      await queue.get();
      log.push('Consumer got 2');
      log.push('Consumer done');
    })();
    const producer = (async () => {
      await queue.put({});
      log.push('Producer put 1');
      await queue.put({});
      log.push('Producer put 2');
      log.push('Producer done');
    })();
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all([consumer, producer]);
    expect(log).toEqual(['Producer put 1', 'Consumer got 1', 'Producer put 2', 'Producer done', 'Consumer got 2', 'Consumer done']);
  });

  it('get waits for put (Consumer waiting, Producer putting, ...)', async () => {
    const queue = new Queue<object>();
    const log: string[] = [];
    const consumer = (async () => {
      log.push('Consumer waiting');
      await queue.get();
      log.push('Consumer done');
    })();
    log.push('Producer putting');
    queue.putNowait({}); // Python's put on an unbounded queue never blocks
    log.push('Producer done');
    await consumer;
    expect(log).toEqual(['Consumer waiting', 'Producer putting', 'Producer done', 'Consumer done']);
  });

  it('taskDone/join ordering (Consumer waiting, Producer putting, Producer waiting, ...)', async () => {
    const inQueue = new Queue<object>();
    const log: string[] = [];
    const work = deferred();
    const consumer = (async () => {
      log.push('Consumer waiting');
      await inQueue.get();
      log.push('Consumer working');
      await work.promise; // doing work
      log.push('Consumer done');
      inQueue.taskDone();
    })();
    log.push('Producer putting');
    inQueue.putNowait({}); // Python's put on an unbounded queue never blocks
    log.push('Producer waiting');
    const joining = inQueue.join();
    await flush();
    work.resolve();
    await joining;
    log.push('Producer done');
    await consumer;
    expect(log).toEqual(['Consumer waiting', 'Producer putting', 'Producer waiting', 'Consumer working', 'Consumer done', 'Producer done']);
  });

  it('a three-stage pipeline of closable queues with several workers per stage finishes every item', async () => {
    const [download, resize, upload, done] = [new Queue<number>(), new Queue<number>(), new Queue<number>(), new Queue<number>()];
    const stage = (count: number, input: Queue<number>, output: Queue<number>, fn: (n: number) => number): Promise<void>[] =>
      Array.from({ length: count }, async () => {
        for await (const item of input) await output.put(fn(item));
      });
    const workers = [
      ...stage(3, download, resize, (n) => n + 1),
      ...stage(4, resize, upload, (n) => n * 2),
      ...stage(5, upload, done, (n) => n - 1),
    ];
    for (let i = 0; i < 1000; i++) await download.put(i);
    for (const queue of [download, resize, upload]) {
      queue.close();
      await queue.join();
    }
    await Promise.all(workers);
    expect(done.size).toBe(1000);
    let sum = 0;
    while (!done.empty()) sum += done.getNowait();
    expect(sum).toBe((999 * 1000) / 2 * 2 + 1000);
  });
});
