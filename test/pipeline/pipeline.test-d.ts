import { describe, expectTypeOf, it } from 'vitest';
import { Queue } from '../../src/queue/index.js';
import { pipeline, type Pipeline, type PipelineStats, type StageStats } from '../../src/pipeline/index.js';

describe('pipeline types', () => {
  it('carries the item type through every kind of stage', () => {
    const p = pipeline([1, 2, 3]);
    expectTypeOf(p).toEqualTypeOf<Pipeline<number>>();
    expectTypeOf(p.stage('s', async (n) => String(n))).toEqualTypeOf<Pipeline<string>>();
    expectTypeOf(p.stage('s', (n) => n > 1)).toEqualTypeOf<Pipeline<boolean>>();
    expectTypeOf(p.filter('f', (n) => n > 1)).toEqualTypeOf<Pipeline<number>>();
    expectTypeOf(pipeline([1, 'a']).filter('nums', (x): x is number => typeof x === 'number')).toEqualTypeOf<Pipeline<number>>();
    expectTypeOf(p.flatMap('fm', (n) => [String(n)])).toEqualTypeOf<Pipeline<string>>();
    expectTypeOf(p.batch('b', 2)).toEqualTypeOf<Pipeline<number[]>>();
    expectTypeOf(pipeline(new Queue<Date>())).toEqualTypeOf<Pipeline<Date>>();
    expectTypeOf(p.toArray()).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(p.run()).toEqualTypeOf<Promise<PipelineStats>>();
    expectTypeOf(p).toMatchTypeOf<AsyncIterable<number>>();
    expectTypeOf(p.stats().stages).toEqualTypeOf<readonly StageStats[]>();
  });

  it('gives stage functions the item, its index and a signal', () => {
    pipeline(['x']).stage('s', (item, index, signal) => {
      expectTypeOf(item).toEqualTypeOf<string>();
      expectTypeOf(index).toEqualTypeOf<number>();
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      return item;
    });
    // @ts-expect-error a number is not a stage's item here
    pipeline(['x']).stage('s', (item: number) => item);
  });
});
