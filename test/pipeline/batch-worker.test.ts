/**
 * `.batch(name, size, { maxWait })`: full batches, the partial last one, the `maxWait` timer
 * (armed by a batch's first item, cleared when it goes out), and the stats.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Queue } from '../../src/queue/index.js';
import { pipeline } from '../../src/pipeline/index.js';
import { flush } from '../helpers.js';
import { fakeClock } from './fixtures.js';


afterEach(() => {
  vi.useRealTimers();
});

describe('batch', () => {
  it('groups items in arrival order into arrays of size, the last one partial', async () => {
    const p = pipeline([1, 2, 3, 4, 5, 6, 7]).batch('threes', 3);
    expect(await p.toArray()).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(p.stats().stages[0]).toMatchObject({ received: 7, emitted: 3, inFlight: 0, workers: 1 });
  });

  it('sends a partial batch maxWait ms after its first item, and leaves no timer', async () => {
    fakeClock();
    const queue = new Queue<number>();
    const batches: number[][] = [];
    const done = (async () => {
      for await (const batch of pipeline(queue).batch('b', 3, { maxWait: 100 })) batches.push(batch);
    })();
    queue.putNowait(1);
    await vi.advanceTimersByTimeAsync(50);
    queue.putNowait(2);
    await vi.advanceTimersByTimeAsync(49);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2]]);
    queue.putNowait(3);
    queue.putNowait(4);
    queue.putNowait(5);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1, 2], [3, 4, 5]]);
    queue.putNowait(6);
    await flush();
    queue.close();
    await done;
    expect(batches).toEqual([[1, 2], [3, 4, 5], [6]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops the batch in progress on a teardown, counting its items', async () => {
    const p = pipeline([1, 2, 3, 4, 5]).batch('b', 2).stage('fail', () => {
      throw new Error('no');
    });
    await expect(p.run()).rejects.toThrow('Stage "fail" failed on item 0: no');
    const [batch] = p.stats().stages;
    expect(batch?.inFlight).toBe(0);
    expect((batch?.received ?? 0) - (batch?.dropped ?? 0)).toBe((batch?.emitted ?? 0) * 2);
  });
});
