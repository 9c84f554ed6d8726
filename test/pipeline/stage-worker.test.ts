/**
 * A stage's workers: the `workers` bound, input order under random completion order
 * (`ordered`), completion order otherwise, filters and flatMaps taking their turn, indices,
 * and the bound on what one stage holds.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipeline } from '../../src/pipeline/index.js';
import { flush } from '../helpers.js';
import { held } from './fixtures.js';

describe('a stage', () => {
  it('runs at most `workers` calls at once', async () => {
    let running = 0;
    let peak = 0;
    await pipeline(Array.from({ length: 50 }, (_, i) => i)).stage('s', async (n) => {
      running++;
      peak = Math.max(peak, running);
      await flush();
      running--;
      return n;
    }, { workers: 4 }).run();
    expect(peak).toBe(4);
  });

  it('passes the item, its index among the stage\'s inputs and the run\'s signal', async () => {
    const seen: [string, number, boolean][] = [];
    await pipeline(['a', 'b', 'c'])
      .filter('not b', (s) => s !== 'b')
      .stage('see', (s, index, signal) => {
        seen.push([s, index, signal instanceof AbortSignal && !signal.aborted]);
        return s;
      })
      .run();
    expect(seen).toEqual([
      ['a', 0, true],
      ['c', 1, true],
    ]);
  });

  it('passes results on in completion order when not ordered', async () => {
    const calls = held<number>();
    const out: number[] = [];
    const done = (async () => {
      for await (const n of pipeline([0, 1, 2]).stage('s', calls.fn, { workers: 3 })) out.push(n);
    })();
    await flush();
    calls.calls[2]?.resolve(2);
    await flush();
    calls.calls[0]?.resolve(0);
    await flush();
    calls.calls[1]?.resolve(1);
    await done;
    expect(out).toEqual([2, 0, 1]);
  });

  it('keeps input order when ordered, whatever order the calls finish in (fast-check scheduler), also through filter and flatMap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 15 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), async (s, items, workers, buffer) => {
        const p = pipeline(items)
          .stage('double', (n) => s.schedule(Promise.resolve(n * 2)), { workers, buffer, ordered: true })
          .filter('not 4x', (n) => s.schedule(Promise.resolve(n % 8 !== 0)), { workers, ordered: true })
          .flatMap('pair', (n) => s.schedule(Promise.resolve([n, n + 1])), { workers, ordered: true });
        const out = await s.waitFor(p.toArray());
        expect(out).toEqual(items.map((n) => n * 2).filter((n) => n % 8 !== 0).flatMap((n) => [n, n + 1]));
      }),
    );
  });

  it('an ordered stage holds a finished item back until its turn, counting it in flight', async () => {
    const calls = held<number>();
    const p = pipeline([0, 1, 2, 3, 4]).stage('s', calls.fn, { workers: 2, buffer: 1, ordered: true });
    const out = p.toArray();
    await flush();
    calls.calls[1]?.resolve(1);
    await flush();
    // Item 1 waits for item 0: its worker stays busy, so no third call starts.
    expect(calls.started()).toBe(2);
    expect(p.stats().stages[0]).toMatchObject({ inFlight: 2, buffered: 1, emitted: 0 });
    calls.calls[0]?.resolve(0);
    await flush();
    expect(calls.started()).toBe(4);
    calls.calls[2]?.resolve(2);
    calls.calls[3]?.resolve(3);
    await flush();
    calls.calls[4]?.resolve(4);
    expect(await out).toEqual([0, 1, 2, 3, 4]);
  });

  it('a filter drops what its predicate rejects (and accepts a promise)', async () => {
    const p = pipeline([1, 2, 3, 4]).filter('even', async (n) => n % 2 === 0);
    expect(await p.toArray()).toEqual([2, 4]);
    expect(p.stats().stages[0]).toMatchObject({ received: 4, emitted: 2, dropped: 2, failed: 0 });
  });

  it('flatMap counts each output as emitted and fails an item whose fn does not return an iterable', async () => {
    const p = pipeline([1, 2]).flatMap('expand', (n) => Array.from({ length: n }, () => n));
    expect(await p.toArray()).toEqual([1, 2, 2]);
    expect(p.stats().stages[0]).toMatchObject({ received: 2, emitted: 3, inFlight: 0 });
    await expect(pipeline([1]).flatMap('bad', () => 5 as unknown as number[]).run()).rejects.toThrow(
      'Stage "bad" failed on item 0: Expected the `flatMap` function to return an iterable or async iterable, got `5` (number)',
    );
  });

  it('flatMap drains with backpressure and closes the iterable on a teardown', async () => {
    let produced = 0;
    let closed = false;
    function* many(): Generator<number> {
      try {
        for (;;) yield produced++;
      } finally {
        closed = true;
      }
    }
    const seen: number[] = [];
    for await (const n of pipeline([0]).flatMap('many', () => many(), { buffer: 0 })) {
      seen.push(n);
      if (seen.length === 5) break;
    }
    expect(closed).toBe(true);
    expect(produced).toBeLessThanOrEqual(7);
  });

  it('a failure while draining a flatMap iterable fails the item (no retry), or is counted with continueOnError', async () => {
    let calls = 0;
    function* broken(): Generator<number> {
      yield 1;
      throw new Error('half way');
    }
    const p = pipeline([1, 2]).flatMap('broken', () => {
      calls++;
      return broken();
    }, { retries: 3, continueOnError: true });
    expect(await p.toArray()).toEqual([1, 1]);
    expect(calls).toBe(2);
    expect(p.stats().stages[0]).toMatchObject({ received: 2, emitted: 2, failed: 2 });
  });
});
