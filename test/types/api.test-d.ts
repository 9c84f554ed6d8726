/**
 * Type tests of the public API as a user imports it: what each call returns, what it accepts,
 * and what it must refuse at compile time. Run by `vitest --typecheck`.
 */

import { describe, expectTypeOf, it } from 'vitest';
import {
  Barrier,
  CompletedProcess,
  Condition,
  Event,
  Executor,
  Future,
  Mutex,
  Semaphore,
  Task,
  TaskGroup,
  WorkerPool,
  asCompleted,
  map,
  mapIter,
  run,
  sleep,
  spawn,
  taskGroup,
  wait,
  withTimeout,
  type ExecutorLike,
  type Lock,
  type WaitOptions,
} from '../../src/index.js';

describe('public API types', () => {
  it('takes { signal, timeout } on every wait', () => {
    expectTypeOf<WaitOptions>().toEqualTypeOf<{ readonly signal?: AbortSignal | undefined; readonly timeout?: number | undefined }>();
    expectTypeOf(new Mutex().acquire).parameter(0).toEqualTypeOf<WaitOptions | undefined>();
    expectTypeOf(sleep).parameter(1).toEqualTypeOf<WaitOptions | undefined>();
    expectTypeOf(new Event().wait).parameter(0).toEqualTypeOf<WaitOptions | undefined>();
    // @ts-expect-error a timeout is a number of milliseconds
    void sleep(1, { timeout: '5' });
  });

  it('hands out disposable locks', () => {
    expectTypeOf(new Mutex().acquire()).toEqualTypeOf<Promise<Lock>>();
    expectTypeOf(new Semaphore(2).tryAcquire()).toEqualTypeOf<Lock | undefined>();
    expectTypeOf<Lock>().toMatchTypeOf<Disposable>();
    expectTypeOf(new Mutex().runExclusive(async () => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(new Condition().waitFor(() => true)).toMatchTypeOf<Promise<unknown>>();
    expectTypeOf(new Barrier(2).wait()).toEqualTypeOf<Promise<number>>();
  });

  it('keeps result types through tasks', () => {
    expectTypeOf(map([1, 2], async (n) => String(n))).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(mapIter([1, 2], async (n) => n > 1)).toMatchTypeOf<AsyncIterable<boolean>>();
    expectTypeOf(withTimeout(async () => 1, 10)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(taskGroup(async () => 'done')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(new TaskGroup().spawn(async () => 1)).toEqualTypeOf<Task<number>>();
    expectTypeOf<TaskGroup>().toMatchTypeOf<AsyncDisposable>();
    // @ts-expect-error map's concurrency is a number
    void map([1], async (n) => n, { concurrency: 'many' });
  });

  it('types futures and executors like concurrent.futures', () => {
    const executor = new Executor({ maxWorkers: 2 });
    const future = executor.submit(async (a: number, b: number) => a + b, 1, 2);
    expectTypeOf(future).toEqualTypeOf<Future<number>>();
    expectTypeOf(future.result()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(future).toMatchTypeOf<PromiseLike<number>>();
    expectTypeOf(executor).toMatchTypeOf<ExecutorLike<(...args: never[]) => unknown>>();
    expectTypeOf(wait([future])).toMatchTypeOf<Promise<{ done: Set<Future<number>>; notDone: Set<Future<number>> }>>();
    expectTypeOf(asCompleted([future])).toMatchTypeOf<AsyncIterable<{ future: Future<number> }>>();
    // @ts-expect-error the arguments must match the function's parameters
    executor.submit(async (a: number) => a, 'one');
  });

  it('types subprocess output by encoding', () => {
    expectTypeOf(run(['true'])).toEqualTypeOf<Promise<CompletedProcess<'utf8'>>>();
    expectTypeOf(run(['true'], { encoding: 'buffer' })).toEqualTypeOf<Promise<CompletedProcess<'buffer'>>>();
    expectTypeOf<CompletedProcess<'utf8'>['stdout']>().toEqualTypeOf<string>();
    expectTypeOf<CompletedProcess<'buffer'>['stdout']>().toEqualTypeOf<Buffer>();
    expectTypeOf(spawn(['cat']).wait()).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error argv is an array: nothing goes through a shell unless asked
    void run('echo hi');
  });

  it('types the worker pool as an executor of named tasks', () => {
    const pool = new WorkerPool({ module: new URL('file:///tasks.js') });
    expectTypeOf(pool.run<number>('add', [1, 2])).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.submit<number>('add', [1, 2])).toEqualTypeOf<Future<number>>();
    expectTypeOf(pool.map<number>('square', [1, 2])).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(pool).toMatchTypeOf<ExecutorLike<string>>();
  });
});
