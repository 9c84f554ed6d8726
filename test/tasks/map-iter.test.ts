import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, TimeoutError } from '../../src/core/errors.js';
import { mapIter } from '../../src/tasks/map-iter.js';
import { abortListeners, flush, settle } from '../helpers.js';
import { collect, counted, held } from './fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('mapIter', () => {
  it('yields in input order by default, whatever order the calls finish in', async () => {
    const { fn, calls } = held();
    const all = collect(mapIter([0, 1, 2], fn, { concurrency: 3 }));
    await flush();
    calls[2]?.resolve(20);
    calls[1]?.resolve(10);
    await flush();
    calls[0]?.resolve(0);
    await expect(all).resolves.toEqual([0, 10, 20]);
  });

  it('yields in completion order with ordered: false', async () => {
    const { fn, calls } = held();
    const all = collect(mapIter([0, 1, 2], fn, { concurrency: 3, ordered: false }));
    await flush();
    calls[2]?.resolve(20);
    await flush();
    calls[0]?.resolve(0);
    await flush();
    calls[1]?.resolve(10);
    await expect(all).resolves.toEqual([20, 0, 10]);
  });

  it('yields every result in the chosen order and never reads more than `concurrency` items ahead (fast-check scheduler)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.integer(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (s, items, concurrency, ordered) => {
          let pulled = 0;
          let yielded = 0;
          let peak = 0;
          function* source(): Generator<number> {
            for (const item of items) {
              pulled++;
              peak = Math.max(peak, pulled - yielded);
              yield item;
            }
          }
          const consume = (async () => {
            const out: number[] = [];
            for await (const value of mapIter(source(), (item) => s.schedule(Promise.resolve(item * 2)), { concurrency, ordered })) {
              yielded++;
              out.push(value);
            }
            return out;
          })();
          const out = await s.waitFor(consume);
          const expected = items.map((item) => item * 2);
          if (ordered) expect(out).toEqual(expected);
          else expect([...out].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
          // Handing a value out frees its slot, and the refill is pulled before the consumer's
          // loop body counts the value: so at most `concurrency` held, plus the one in hand.
          expect(peak).toBeLessThanOrEqual(concurrency + 1);
        },
      ),
    );
  });

  it('works over async iterables and plain values', async () => {
    async function* source(): AsyncGenerator<string> {
      yield 'a';
      await flush();
      yield 'b';
    }
    expect(await collect(mapIter(source(), (item, index) => `${item}${index}`, { concurrency: 2 }))).toEqual(['a0', 'b1']);
    expect(await collect(mapIter([], () => 1))).toEqual([]);
  });

  it('leaves no listener on the signal once the iteration ends', async () => {
    const controller = new AbortController();
    expect(await collect(mapIter([1, 2, 3], async (x: number) => x * 2, { concurrency: 2, signal: controller.signal }))).toEqual([2, 4, 6]);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('starts nothing before the first next()', async () => {
    const { source, pulled } = counted(3);
    const fn = vi.fn(async (x: number) => x);
    const iterator = mapIter(source, fn);
    await flush();
    expect(pulled()).toBe(0);
    expect(fn).not.toHaveBeenCalled();
    await iterator.return();
  });

  it('holds at most `concurrency` items: a slow head item or a slow consumer stops the pulls', async () => {
    const { source, pulled } = counted(10);
    const { fn, calls } = held();
    const iterator = mapIter(source, fn, { concurrency: 3 });
    const first = iterator.next();
    await flush();
    expect(pulled()).toBe(3);
    calls[1]?.resolve(1);
    calls[2]?.resolve(2);
    await flush();
    expect(pulled()).toBe(3); // items 1 and 2 wait for item 0: still held
    calls[0]?.resolve(0);
    expect(await first).toEqual({ done: false, value: 0 });
    await flush();
    expect(pulled()).toBe(4); // one handed out, one pulled
    calls[3]?.resolve(3);
    await flush();
    expect(pulled()).toBe(4); // the consumer has not asked for more
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    await flush();
    expect(pulled()).toBe(5);
    const stop = iterator.return();
    for (const call of calls) call.resolve(-1);
    await stop;
  });

  it('on break: stops pulling, aborts the calls in flight, waits for them and closes the source', async () => {
    const { source, pulled, closed } = counted(100);
    const { fn, calls, signals } = held();
    const iterator = mapIter(source, fn, { concurrency: 3, ordered: false });
    const first = iterator.next();
    await flush();
    calls[0]?.resolve(0);
    expect(await first).toEqual({ done: false, value: 0 });
    let returned = false;
    const stop = iterator.return().then(() => (returned = true));
    await flush();
    expect(signals[1]?.reason).toEqual(new CancelledError('mapIter stopped because its consumer stopped iterating'));
    expect(returned).toBe(false); // calls 1 to 3 still run (3 refilled the slot 0 freed)
    expect(signals[3]?.aborted).toBe(true);
    calls[1]?.resolve(1);
    calls[2]?.reject(new Error('after the stop: dropped'));
    await flush();
    expect(returned).toBe(false);
    calls[3]?.resolve(3);
    await stop;
    expect(closed()).toBe(true);
    expect(pulled()).toBe(4);
    expect(calls).toHaveLength(4);
  });

  it('when the loop body throws, cleans up the same way and the body error reaches the caller', async () => {
    const { source, closed } = counted(10);
    const oops = new Error('consumer');
    const run = (async () => {
      for await (const value of mapIter(source, async (x: number) => x, { concurrency: 2 })) {
        if (value === 1) throw oops;
      }
    })();
    await expect(run).rejects.toBe(oops);
    expect(closed()).toBe(true);
  });

  it('reports a failing return() of the source after a break, as for...of does', async () => {
    const closeError = new Error('close failed');
    const source: Iterable<number> = {
      [Symbol.iterator]: () => ({
        next: () => ({ done: false, value: 1 }),
        return: () => {
          throw closeError;
        },
      }),
    };
    const run = (async () => {
      for await (const _ of mapIter(source, async (x: number) => x, { concurrency: 1 })) break;
    })();
    await expect(run).rejects.toBe(closeError);
  });

  it('throws the first failure after aborting and waiting for the calls in flight, and closes the source', async () => {
    const { source, closed } = counted(100);
    const { fn, calls, signals } = held();
    const first = new Error('first');
    const iterator = mapIter(source, fn, { concurrency: 3 });
    const next = settle(iterator.next());
    await flush();
    calls[1]?.reject(first);
    await flush();
    expect((signals[0]?.reason as CancelledError).cause).toBe(first);
    let settled = false;
    void next.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    calls[0]?.resolve(0);
    calls[2]?.reject(new Error('second: dropped'));
    expect(await next).toEqual({ ok: false, error: first });
    expect(closed()).toBe(true);
    expect(calls).toHaveLength(3);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('throws the reason of an already aborted signal from the first next(), pulling nothing', async () => {
    const { source, pulled } = counted(3);
    const iterator = mapIter(source, async (x: number) => x, { signal: AbortSignal.abort('early') });
    await expect(iterator.next()).rejects.toBe('early');
    expect(pulled()).toBe(0);
  });

  it('aborted while iterating: calls see the reason, and the iteration throws it once they have finished', async () => {
    const controller = new AbortController();
    const { source, closed } = counted(10);
    const { fn, calls, signals } = held();
    const iterator = mapIter(source, fn, { concurrency: 2, signal: controller.signal });
    const next = settle(iterator.next());
    await flush();
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort('user stop');
    expect(signals.map((signal): unknown => signal.reason)).toEqual(['user stop', 'user stop']);
    calls[0]?.resolve(0);
    calls[1]?.resolve(1);
    expect(await next).toEqual({ ok: false, error: 'user stop' });
    expect(closed()).toBe(true);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('times out with a TimeoutError naming mapIter', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { fn, calls } = held();
    const iterator = mapIter([1, 2], fn, { timeout: 100 });
    const next = settle(iterator.next());
    await vi.advanceTimersByTimeAsync(100);
    for (const call of calls) call.resolve(0);
    expect(await next).toEqual({ ok: false, error: new TimeoutError('mapIter timed out after 100 milliseconds') });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws synchronously for bad arguments', () => {
    const fn = async (x: number): Promise<number> => x;
    expect(() => mapIter([1], fn, { concurrency: 0 })).toThrow(new RangeError('Expected `concurrency` to be an integer >= 1 or Infinity, got `0` (number)'));
    expect(() => mapIter([1], fn, { ordered: 'yes' as any })).toThrow(new TypeError('Expected `ordered` to be a boolean, got `"yes"` (string)'));
    expect(() => mapIter({} as any, fn)).toThrow(new TypeError('Expected `items` to be an iterable or async iterable, got `[object Object]` (Object)'));
    expect(() => mapIter([1], undefined as any)).toThrow(new TypeError('Expected `fn` to be a function, got `undefined`'));
  });
});
