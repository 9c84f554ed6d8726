import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, TimeoutError } from '../../src/core/errors.js';
import { map } from '../../src/tasks/map.js';
import { abortListeners, deferred, flush, settle, type Deferred } from '../helpers.js';
import { counted, countedAsync, held } from './fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('map', () => {
  it('resolves with the results in input order whatever order the calls finish in', async () => {
    const { fn, calls } = held<string>();
    const run = map(['a', 'b', 'c'], fn, { concurrency: 3 });
    calls[2]?.resolve('C');
    calls[0]?.resolve('A');
    calls[1]?.resolve('B');
    await expect(run).resolves.toEqual(['A', 'B', 'C']);
  });

  it('keeps input order and the concurrency bound whatever order the calls finish in (fast-check scheduler)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.integer(), { maxLength: 12 }), fc.integer({ min: 1, max: 4 }), async (s, items, concurrency) => {
        let running = 0;
        let peak = 0;
        const run = map(
          items,
          async (item) => {
            running++;
            peak = Math.max(peak, running);
            try {
              return await s.schedule(Promise.resolve(item * 2));
            } finally {
              running--;
            }
          },
          { concurrency },
        );
        expect(await s.waitFor(run)).toEqual(items.map((item) => item * 2));
        expect(peak).toBeLessThanOrEqual(concurrency);
      }),
    );
  });

  it('passes the item, its index and the shared signal, and accepts plain values', async () => {
    const seen: [string, number, boolean][] = [];
    const results = await map(new Set(['x', 'y']), (item, index, signal) => {
      seen.push([item, index, signal instanceof AbortSignal]);
      return item.toUpperCase();
    });
    expect(results).toEqual(['X', 'Y']);
    expect(seen).toEqual([
      ['x', 0, true],
      ['y', 1, true],
    ]);
  });

  it('leaves no listener on the signal once it resolves', async () => {
    const controller = new AbortController();
    await expect(map([1, 2, 3], async (x) => x + 1, { concurrency: 2, signal: controller.signal })).resolves.toEqual([2, 3, 4]);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('resolves with [] for an empty source without calling fn', async () => {
    const fn = vi.fn();
    await expect(map([], fn)).resolves.toEqual([]);
    await expect(map(countedAsync(0).source, fn)).resolves.toEqual([]);
    expect(fn).not.toHaveBeenCalled();
  });

  it('never runs more than `concurrency` calls and starts the next as soon as one finishes', async () => {
    const { fn, calls } = held<number>();
    const run = map([0, 1, 2, 3, 4], fn, { concurrency: 2 });
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(1);
    await flush();
    expect(calls).toHaveLength(3);
    calls[0]?.resolve(0);
    calls[2]?.resolve(2);
    await flush();
    expect(calls).toHaveLength(5);
    calls[3]?.resolve(3);
    calls[4]?.resolve(4);
    await expect(run).resolves.toEqual([0, 1, 2, 3, 4]);
  });

  it('starts everything at once by default (concurrency Infinity)', async () => {
    const { fn, calls } = held<number>();
    const run = map([0, 1, 2, 3], fn);
    expect(calls).toHaveLength(4);
    for (const [i, call] of calls.entries()) call.resolve(i);
    await expect(run).resolves.toEqual([0, 1, 2, 3]);
  });

  it('pulls a sync iterable lazily: never more than `concurrency` items ahead', async () => {
    const { source, pulled } = counted(10);
    const { fn, calls } = held<number>();
    const run = map(source, fn, { concurrency: 3 });
    expect(pulled()).toBe(3);
    calls[0]?.resolve(0);
    await flush();
    expect(pulled()).toBe(4);
    for (let i = 1; i < 10; i++) {
      calls[i]?.resolve(i);
      await flush();
      expect(pulled()).toBe(Math.min(10, i + 4)); // finished calls + 3 running
    }
    await expect(run).resolves.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('pulls an async iterable lazily, one pull at a time, in source order', async () => {
    const { source, pulled } = countedAsync(6);
    const { fn, calls, items } = held<number>();
    const run = map(source, fn, { concurrency: 2 });
    await flush(10);
    expect(pulled()).toBe(2);
    expect(items).toEqual([0, 1]);
    calls[1]?.resolve(10);
    await flush(10);
    expect(pulled()).toBe(3);
    expect(items).toEqual([0, 1, 2]);
    calls[0]?.resolve(0);
    calls[2]?.resolve(20);
    await flush(10);
    calls[3]?.resolve(30);
    calls[4]?.resolve(40);
    await flush(10);
    calls[5]?.resolve(50);
    await expect(run).resolves.toEqual([0, 10, 20, 30, 40, 50]);
    expect(pulled()).toBe(6);
  });

  it('on the first failure stops starting calls, aborts the running ones, waits for them and rejects with that error', async () => {
    const { source, pulled, closed } = counted(100);
    const { fn, calls, signals } = held<number>();
    const first = new Error('first');
    let settled = false;
    const run = map(source, fn, { concurrency: 3 });
    void run.then(
      () => (settled = true),
      () => (settled = true),
    );
    calls[1]?.reject(first);
    await flush();
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(CancelledError);
    expect((signals[0]?.reason as CancelledError).cause).toBe(first);
    expect(calls).toHaveLength(3); // nothing new started
    expect(pulled()).toBe(3);
    expect(settled).toBe(false); // calls 0 and 2 are still running
    calls[0]?.reject(new Error('second: dropped'));
    calls[2]?.resolve(2);
    const outcome = await settle(run);
    expect(outcome).toEqual({ ok: false, error: first });
    expect(outcome.ok ? undefined : outcome.error).toBe(first);
    expect(closed()).toBe(true); // the source was closed, like for...of on break
  });

  it('has the same first-failure rules on the array fast path', async () => {
    const { fn, calls, signals } = held<number>();
    const first = new Error('first');
    let settled = false;
    const run = settle(map([0, 1, 2, 3, 4, 5], fn, { concurrency: 3 })).then((outcome) => {
      settled = true;
      return outcome;
    });
    calls[2]?.reject(first);
    await flush();
    expect((signals[0]?.reason as CancelledError).cause).toBe(first);
    expect(calls).toHaveLength(3);
    expect(settled).toBe(false);
    calls[0]?.reject(new Error('second: dropped'));
    await flush();
    expect(settled).toBe(false);
    calls[1]?.resolve(1);
    expect(await run).toEqual({ ok: false, error: first });
    expect(calls).toHaveLength(3);
  });

  it('treats a synchronous throw in fn as a failure', async () => {
    const error = new Error('sync');
    await expect(
      map([1, 2, 3], () => {
        throw error;
      }, { concurrency: 1 }),
    ).rejects.toBe(error);
  });

  it('rejects with the error of a source that throws, without closing it', async () => {
    const boom = new Error('source');
    const returned = vi.fn();
    const source: Iterable<number> = {
      [Symbol.iterator]: () => {
        let i = 0;
        return {
          next: () => {
            if (i === 2) throw boom;
            return { done: false, value: i++ };
          },
          return: () => {
            returned();
            return { done: true, value: undefined };
          },
        };
      },
    };
    await expect(map(source, async (x) => x, { concurrency: 1 })).rejects.toBe(boom);
    expect(returned).not.toHaveBeenCalled();
  });

  it('rejects with the error of an async source whose next() rejects', async () => {
    const boom = new Error('async source');
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw boom;
    }
    await expect(map(failing(), async (x) => x, { concurrency: 2 })).rejects.toBe(boom);
  });

  it('keeps the first error when closing the source fails too', async () => {
    const first = new Error('first');
    const source: Iterable<number> = {
      [Symbol.iterator]: () => ({
        next: () => ({ done: false, value: 1 }),
        return: () => {
          throw new Error('return failed');
        },
      }),
    };
    await expect(map(source, async () => Promise.reject(first), { concurrency: 2 })).rejects.toBe(first);
  });

  it('rejects at once with the reason of an already aborted signal, pulling nothing', async () => {
    const { source, pulled } = counted(5);
    const fn = vi.fn();
    const reason = new Error('early');
    await expect(map(source, fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(pulled()).toBe(0);
    expect(fn).not.toHaveBeenCalled();
  });

  it('aborted while running: the calls see the reason, and map rejects with it once they have finished', async () => {
    const controller = new AbortController();
    const { source, closed } = counted(10);
    const { fn, calls, signals } = held<number>();
    const run = settle(map(source, fn, { concurrency: 2, signal: controller.signal }));
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort('user stop');
    expect(signals.map((signal): unknown => signal.reason)).toEqual(['user stop', 'user stop']);
    calls[0]?.resolve(0);
    calls[1]?.reject(new Error('after abort: dropped'));
    expect(await run).toEqual({ ok: false, error: 'user stop' });
    expect(calls).toHaveLength(2);
    expect(closed()).toBe(true);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('waits for a pull in progress when aborted, drops its item, and closes the source', async () => {
    const controller = new AbortController();
    const pulls: Deferred<IteratorResult<number>>[] = [];
    const returned = vi.fn(async () => ({ done: true as const, value: undefined }));
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const pull = deferred<IteratorResult<number>>();
          pulls.push(pull);
          return pull.promise;
        },
        return: returned,
      }),
    };
    const fn = vi.fn(async (x: number) => x);
    let settled = false;
    const run = settle(map(source, fn, { concurrency: 1, signal: controller.signal })).then((outcome) => {
      settled = true;
      return outcome;
    });
    await flush();
    expect(pulls).toHaveLength(1);
    controller.abort('stop');
    await flush();
    expect(settled).toBe(false); // the pull is still in progress
    pulls[0]?.resolve({ done: false, value: 1 });
    expect(await run).toEqual({ ok: false, error: 'stop' });
    expect(fn).not.toHaveBeenCalled();
    expect(pulls).toHaveLength(1);
    expect(returned).toHaveBeenCalledTimes(1);
  });

  it('times out with a TimeoutError and clears its timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { fn, calls, signals } = held<number>();
    const run = settle(map([1, 2], fn, { timeout: 100 }));
    await vi.advanceTimersByTimeAsync(100);
    expect(signals[0]?.reason).toEqual(new TimeoutError('map timed out after 100 milliseconds'));
    for (const call of calls) call.resolve(0);
    const outcome = await run;
    expect(outcome.ok ? undefined : outcome.error).toBeInstanceOf(TimeoutError);
    expect(vi.getTimerCount()).toBe(0);

    const fn0 = vi.fn();
    await expect(map([1], fn0, { timeout: 0 })).rejects.toEqual(new TimeoutError('map timed out after 0 milliseconds'));
    expect(fn0).not.toHaveBeenCalled();
  });

  it('throws synchronously for bad arguments', () => {
    const fn = async (x: number): Promise<number> => x;
    expect(() => map([1], fn, { concurrency: 0 })).toThrow(new RangeError('Expected `concurrency` to be an integer >= 1 or Infinity, got `0` (number)'));
    expect(() => map([1], fn, { concurrency: 1.5 })).toThrow(new RangeError('Expected `concurrency` to be an integer >= 1 or Infinity, got `1.5` (number)'));
    expect(() => map([1], fn, { concurrency: '2' as any })).toThrow(new TypeError('Expected `concurrency` to be an integer >= 1 or Infinity, got `"2"` (string)'));
    expect(() => map(null as any, fn)).toThrow(new TypeError('Expected `items` to be an iterable or async iterable, got `null`'));
    expect(() => map(5 as any, fn)).toThrow(new TypeError('Expected `items` to be an iterable or async iterable, got `5` (number)'));
    expect(() => map([1], 'f' as any)).toThrow(new TypeError('Expected `fn` to be a function, got `"f"` (string)'));
    expect(() => map([1], fn, { signal: 1 as any })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `1` (number)'));
  });
});
