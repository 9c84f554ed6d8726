import { describe, expectTypeOf, it } from 'vitest';
import { LifoQueue, PriorityQueue, Queue, type CloseOptions, type QueueOptions } from '../../src/queue/index.js';

describe('queue types', () => {
  it('carries the item type through put, get and iteration', () => {
    const queue = new Queue<number>({ maxsize: 4 });
    expectTypeOf(queue.put).parameter(0).toEqualTypeOf<number>();
    expectTypeOf(queue.put(1)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(queue.get()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(queue.getNowait()).toEqualTypeOf<number>();
    expectTypeOf(queue).toMatchTypeOf<AsyncIterable<number>>();
    expectTypeOf(queue).toMatchTypeOf<Disposable>();
    // @ts-expect-error a string is not a number
    void queue.put('x');
  });

  it('shares one surface across the three kinds', () => {
    expectTypeOf(new LifoQueue<string>().get()).toEqualTypeOf<Promise<string>>();
    const jobs = new PriorityQueue<{ p: number }>({ comparator: (a, b) => a.p - b.p });
    expectTypeOf(jobs.getNowait()).toEqualTypeOf<{ p: number }>();
    // @ts-expect-error the comparator takes items of the queue's type
    new PriorityQueue<number>({ comparator: (a: string, b: string) => a.length - b.length });
    expectTypeOf<QueueOptions>().toEqualTypeOf<{ readonly maxsize?: number | undefined }>();
    expectTypeOf<CloseOptions>().toEqualTypeOf<{ readonly immediate?: boolean | undefined }>();
  });
});
