/**
 * The builder (`pipeline()`, `Pipeline`): laziness and immutability, the three ways to run,
 * running once, and every bad argument with its exact message (STYLE 13).
 */

import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../src/core/errors.js';
import { Queue } from '../../src/queue/index.js';
import { pipeline, Pipeline } from '../../src/pipeline/index.js';
import { countedSource } from './fixtures.js';

describe('pipeline()', () => {
  it('is lazy: nothing is pulled or called before a run', async () => {
    const { source, pulled } = countedSource(3);
    let calls = 0;
    const p = pipeline(source).stage('count', (n) => {
      calls++;
      return n;
    });
    expect(p).toBeInstanceOf(Pipeline);
    expect(pulled()).toBe(0);
    expect(calls).toBe(0);
    expect(await p.toArray()).toEqual([0, 1, 2]);
    expect(calls).toBe(3);
  });

  it('is immutable: each builder call returns a new pipeline and leaves its receiver as it was', async () => {
    const base = pipeline([1, 2, 3]);
    const doubled = base.stage('double', (n) => n * 2);
    const tripled = base.stage('triple', (n) => n * 3);
    expect(doubled).not.toBe(base);
    expect(doubled.stats().stages.map((s) => s.name)).toEqual(['double']);
    expect(tripled.stats().stages.map((s) => s.name)).toEqual(['triple']);
    expect(base.stats().stages).toEqual([]);
    expect(await doubled.toArray()).toEqual([2, 4, 6]);
  });

  it('accepts any iterable, async iterable, string or Queue as its source', async () => {
    const id = <T>(x: T): T => x;
    expect(await pipeline(new Set([1, 2])).stage('id', id).toArray()).toEqual([1, 2]);
    expect(await pipeline('ab').stage('id', id).toArray()).toEqual(['a', 'b']);
    async function* gen(): AsyncGenerator<number> {
      yield 1;
      yield 2;
    }
    expect(await pipeline(gen()).stage('id', id).toArray()).toEqual([1, 2]);
    const queue = new Queue<number>();
    queue.putNowait(5);
    queue.close();
    expect(await pipeline(queue).stage('id', id).toArray()).toEqual([5]);
  });

  it('runs by for await, run() and toArray()', async () => {
    const seen: number[] = [];
    for await (const n of pipeline([1, 2, 3]).stage('inc', async (n) => n + 1, { ordered: true })) seen.push(n);
    expect(seen).toEqual([2, 3, 4]);
    const stats = await pipeline([1, 2, 3]).stage('inc', async (n) => n + 1).run();
    expect(stats.stages[0]).toMatchObject({ name: 'inc', received: 3, emitted: 3 });
    expect(await pipeline([1, 2, 3]).stage('inc', async (n) => n + 1, { workers: 2, ordered: true }).toArray()).toEqual([2, 3, 4]);
  });

  it('gives map, filter, flatMap and batch their shapes', async () => {
    const out = await pipeline([1, 2, 3, 4, 5])
      .stage('square', (n) => n * n)
      .filter('odd', (n) => n % 2 === 1)
      .flatMap('twice', (n) => [n, n])
      .batch('pairs', 4)
      .toArray();
    expect(out).toEqual([
      [1, 1, 9, 9],
      [25, 25],
    ]);
  });

  it('flatMap drains async iterables and promises of iterables', async () => {
    async function* upTo(n: number): AsyncGenerator<number> {
      for (let i = 0; i < n; i++) yield i;
    }
    expect(await pipeline([2, 3]).flatMap('up', (n) => upTo(n), { ordered: true }).toArray()).toEqual([0, 1, 0, 1, 2]);
    expect(await pipeline([2]).flatMap('later', async (n) => [n, n]).toArray()).toEqual([2, 2]);
  });

  it('runs once: a second run, or a run of a sibling built from the same call, throws InvalidStateError at once', async () => {
    const base = pipeline([1]);
    const p = base.stage('id', (n) => n);
    await p.run();
    expect(() => p.run()).toThrow(new InvalidStateError('A Pipeline runs once: this one, or one built from the same pipeline() call, has run'));
    expect(() => p.toArray()).toThrow(InvalidStateError);
    expect(() => p[Symbol.asyncIterator]()).toThrow(InvalidStateError);
    expect(() => base.stage('other', (n) => n).run()).toThrow(InvalidStateError);
  });

  it('cannot run without a stage', () => {
    expect(() => pipeline([1]).run()).toThrow(new InvalidStateError('Cannot run a Pipeline without stages: add one with .stage()'));
  });
});

describe('bad arguments throw at once, in the STYLE 13 template', () => {
  const p = pipeline([1]);

  it.each([
    [() => pipeline(5 as any), new TypeError('Expected `source` to be an iterable or async iterable, got `5` (number)')],
    [() => pipeline(null as any), new TypeError('Expected `source` to be an iterable or async iterable, got `null`')],
    [() => pipeline({} as any), new TypeError('Expected `source` to be an iterable or async iterable, got `[object Object]` (Object)')],
    [() => pipeline([], 3 as any), new TypeError('Expected `options` to be an options object, got `3` (number)')],
    [() => pipeline([], { signal: 'x' as any }), new TypeError('Expected `signal` to be an AbortSignal, got `"x"` (string)')],
    [() => pipeline([], { timeout: -1 }), new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)')],
    [() => pipeline([], { onProgress: 1 as any }), new TypeError('Expected `onProgress` to be a function, got `1` (number)')],
    [() => pipeline([], { progressInterval: 0 }), new RangeError('Expected `progressInterval` to be an integer >= 1, got `0` (number)')],
  ])('pipeline() %#', (call, error) => {
    expect(call).toThrow(error);
  });

  it.each([
    [() => p.stage('a', 'nope' as any), new TypeError('Expected `fn` to be a function, got `"nope"` (string)')],
    [() => p.stage('', (n) => n), new TypeError('Expected `name` to be a non-empty string, got `""` (string)')],
    [() => p.stage(7 as any, (n) => n), new TypeError('Expected `name` to be a non-empty string, got `7` (number)')],
    [() => p.stage('a', (n) => n, { workers: 0 }), new RangeError('Expected `workers` to be an integer >= 1, got `0` (number)')],
    [() => p.stage('a', (n) => n, { workers: 1.5 }), new RangeError('Expected `workers` to be an integer >= 1, got `1.5` (number)')],
    [() => p.stage('a', (n) => n, { workers: '2' as any }), new TypeError('Expected `workers` to be an integer >= 1, got `"2"` (string)')],
    [() => p.stage('a', (n) => n, { buffer: -1 }), new RangeError('Expected `buffer` to be an integer >= 0, got `-1` (number)')],
    [() => p.stage('a', (n) => n, { ordered: 1 as any }), new TypeError('Expected `ordered` to be a boolean, got `1` (number)')],
    [() => p.stage('a', (n) => n, { retries: -1 }), new RangeError('Expected `retries` to be an integer >= 0, got `-1` (number)')],
    [() => p.stage('a', (n) => n, { retryDelay: -5 }), new RangeError('Expected `retryDelay` to be a number of milliseconds >= 0, got `-5` (number)')],
    [() => p.stage('a', (n) => n, { timeout: 'x' as any }), new TypeError('Expected `timeout` to be a number of milliseconds >= 0, got `"x"` (string)')],
    [() => p.stage('a', (n) => n, { continueOnError: 'yes' as any }), new TypeError('Expected `continueOnError` to be a boolean, got `"yes"` (string)')],
    [() => p.stage('a', (n) => n, 4 as any), new TypeError('Expected `stageOpts` to be an options object, got `4` (number)')],
    [() => p.filter('a', null as any), new TypeError('Expected `fn` to be a function, got `null`')],
    [() => p.flatMap('a', {} as any), new TypeError('Expected `fn` to be a function, got `[object Object]` (Object)')],
    [() => p.batch('a', 0), new RangeError('Expected `size` to be an integer >= 1, got `0` (number)')],
    [() => p.batch('a', 2, { maxWait: -1 }), new RangeError('Expected `maxWait` to be a number of milliseconds >= 0, got `-1` (number)')],
    [() => p.batch('a', 2, { buffer: -2 }), new RangeError('Expected `buffer` to be an integer >= 0, got `-2` (number)')],
  ])('builder %#', (call, error) => {
    expect(call).toThrow(error);
  });

  it('a duplicate stage name throws a TypeError at once, whatever the kind of stage', () => {
    const named = p.stage('resize', (n) => n);
    const message = 'Expected `name` to be a stage name not used before in this pipeline, got `"resize"` (string)';
    expect(() => named.stage('resize', (n) => n)).toThrow(new TypeError(message));
    expect(() => named.filter('resize', () => true)).toThrow(new TypeError(message));
    expect(() => named.flatMap('resize', (n) => [n])).toThrow(new TypeError(message));
    expect(() => named.batch('resize', 2)).toThrow(new TypeError(message));
  });

  it('bad run options throw at once', () => {
    expect(() => p.stage('a', (n) => n).run({ timeout: -3 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-3` (number)'));
    expect(() => p.stage('b', (n) => n).toArray(1 as any)).toThrow(new TypeError('Expected `options` to be an options object, got `1` (number)'));
  });
});
