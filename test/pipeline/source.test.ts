/**
 * The source pump: sync sources pulled without a tick per item, async sources one pull at a
 * time, and a `Queue` as the source (closing it ends the run after draining; a teardown ends a
 * wait on it; each item marked done).
 */

import { describe, expect, it } from 'vitest';
import { Queue } from '../../src/queue/index.js';
import { pipeline } from '../../src/pipeline/index.js';
import { flush, settle } from '../helpers.js';
import { held } from './fixtures.js';

describe('a Queue source', () => {
  it('feeds the pipeline as items are put; closing the queue ends the run after draining', async () => {
    const queue = new Queue<number>({ maxsize: 2 });
    const out: number[] = [];
    const done = (async () => {
      for await (const n of pipeline(queue).stage('double', async (n) => n * 2, { ordered: true })) out.push(n);
    })();
    for (let i = 0; i < 5; i++) await queue.put(i);
    queue.close();
    await done;
    expect(out).toEqual([0, 2, 4, 6, 8]);
    await queue.join(); // every item was marked done
  });

  it('a teardown ends the wait on an open, empty queue and leaves the queue open', async () => {
    const queue = new Queue<number>();
    const controller = new AbortController();
    const outcome = settle(pipeline(queue).stage('s', (n) => n).run({ signal: controller.signal }));
    await flush();
    controller.abort('stop');
    expect(await outcome).toEqual({ ok: false, error: 'stop' });
    expect(queue.closed).toBe(false);
    queue.putNowait(1);
    expect(queue.size).toBe(1); // nobody is reading it any more
  });
});

describe('iterable sources', () => {
  it('an async source is pulled one item at a time, never concurrently', async () => {
    let pending = 0;
    let peak = 0;
    let i = 0;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pending++;
          peak = Math.max(peak, pending);
          await flush();
          pending--;
          return i < 20 ? { done: false, value: i++ } : { done: true, value: undefined };
        },
      }),
    };
    expect(await pipeline(source).stage('s', async (n) => n, { workers: 8 }).toArray()).toHaveLength(20);
    expect(peak).toBe(1);
  });

  it('a source that ends normally is not closed with return()', async () => {
    let returned = false;
    const source: Iterable<number> = {
      [Symbol.iterator]: () => {
        let n = 0;
        return {
          next: () => (n < 3 ? { done: false, value: n++ } : { done: true, value: undefined }),
          return: () => {
            returned = true;
            return { done: true, value: undefined };
          },
        };
      },
    };
    await pipeline(source).stage('s', (n) => n).run();
    expect(returned).toBe(false);
  });

  it('a teardown while an async pull is pending waits for the pull, then closes the source', async () => {
    const calls = held<number, number>();
    const pull = held<void, IteratorResult<number>>();
    let closed = false;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => pull.fn(undefined, 0, AbortSignal.abort()),
        return: async () => {
          closed = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const controller = new AbortController();
    const outcome = settle(pipeline(source).stage('s', calls.fn).run({ signal: controller.signal }));
    await flush();
    expect(pull.started()).toBe(1);
    controller.abort('stop');
    await flush();
    expect(closed).toBe(false);
    let settled = false;
    void outcome.then(() => (settled = true));
    pull.calls[0]?.resolve({ done: false, value: 1 });
    await flush();
    expect(closed).toBe(true);
    expect(await outcome).toEqual({ ok: false, error: 'stop' });
    expect(settled).toBe(true);
    expect(calls.started()).toBe(0); // the item pulled after the teardown was dropped, never called
  });
});
