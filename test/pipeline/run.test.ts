/**
 * A run's teardown on every path (first failure, abort, timeout, leaving `for await`, a
 * failing source), with counters proving that no call starts after the run rejected, that
 * nothing is in flight once it settles, and that no timer or listener is left (STYLE 15).
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, TimeoutError } from '../../src/core/errors.js';
import { pipeline, StageError } from '../../src/pipeline/index.js';
import { abortListeners, activeTimers, flush, settle } from '../helpers.js';
import { fakeClock, countedSource, held } from './fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('the first failure', () => {
  it('aborts every call in flight with a CancelledError, closes the source, and rejects only after every call settled', async () => {
    const { source, pulled, closed } = countedSource(1000);
    const slow = held();
    const p = pipeline(source).stage('resize', slow.fn, { workers: 3 });
    const outcome = settle(p.run());
    await flush();
    expect(slow.started()).toBe(3);
    const problem = new Error('corrupt image');
    slow.calls[1]?.reject(problem);
    await flush();
    // Both siblings see the abort, with a CancelledError whose cause is the StageError.
    for (const signal of slow.signals) expect(signal.aborted).toBe(true);
    const reason: unknown = slow.signals[0]?.reason;
    expect(reason).toBeInstanceOf(CancelledError);
    expect((reason as CancelledError).cause).toBeInstanceOf(StageError);
    expect(closed()).toBe(true);
    let settled = false;
    void outcome.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false); // two calls still running
    slow.calls[0]?.resolve(0);
    await flush();
    expect(settled).toBe(false);
    slow.calls[2]?.reject(reason);
    const result = await outcome;
    expect(result.ok).toBe(false);
    const error = (result as { error: StageError }).error;
    expect(error).toBeInstanceOf(StageError);
    expect(error.message).toBe('Stage "resize" failed on item 1: corrupt image');
    expect(error).toMatchObject({ name: 'StageError', stage: 'resize', index: 1, item: 1, cause: problem });
    // No call started after the failure, nothing is in flight, and the source was pulled only as far as the bound.
    expect(slow.started()).toBe(3);
    expect(slow.running()).toBe(0);
    expect(pulled()).toBeLessThanOrEqual(3 + 3 + 1);
    const [stage] = p.stats().stages;
    expect(stage).toMatchObject({ received: 3, emitted: 0, failed: 1, dropped: 2, inFlight: 0 });
  });

  it('a fn that throws synchronously fails its item the same way', async () => {
    const p = pipeline([1, 2, 3]).stage('parse', (n) => {
      if (n === 2) throw new SyntaxError('bad json');
      return n;
    });
    const error = await p.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageError);
    expect((error as StageError).message).toBe('Stage "parse" failed on item 1: bad json');
    expect((error as StageError).cause).toBeInstanceOf(SyntaxError);
  });

  it('a later stage failing tears down the earlier ones too, and calls starting afterwards never happen', async () => {
    const first = held();
    let startedAfter = 0;
    let failedAt: number | undefined;
    const p = pipeline(countedSource(100).source)
      .stage('first', async (n, i, signal) => {
        if (failedAt !== undefined) startedAfter++;
        return first.fn(n, i, signal);
      }, { workers: 2 })
      .stage('second', (n) => {
        if (n === 0) {
          failedAt = n;
          throw new Error('no zero');
        }
        return n;
      });
    const outcome = settle(p.run());
    await flush();
    first.calls[0]?.resolve(0);
    await flush();
    expect(first.signals[1]?.aborted).toBe(true);
    for (const call of first.calls.slice(1)) call.resolve(1);
    const result = await outcome;
    expect(result.ok).toBe(false);
    expect((result as { error: StageError }).error.stage).toBe('second');
    expect(startedAfter).toBe(0);
    expect(first.running()).toBe(0);
  });

  it('a fn that ignores its signal is waited for', async () => {
    const stubborn = held();
    const outcome = settle(pipeline([1, 2]).stage('x', stubborn.fn, { workers: 2 }).run());
    await flush();
    stubborn.calls[0]?.reject(new Error('boom'));
    await flush(3);
    expect(stubborn.signals[1]?.aborted).toBe(true);
    let settled = false;
    void outcome.then(() => (settled = true));
    await flush(3);
    expect(settled).toBe(false);
    stubborn.calls[1]?.resolve(2); // finishes normally, as if it never saw the abort
    expect((await outcome).ok).toBe(false);
  });

  it('continueOnError drops and counts failed items, and the run goes on', async () => {
    const p = pipeline([1, 2, 3, 4, 5, 6]).stage('odd only', (n) => {
      if (n % 2 === 0) throw new Error('even');
      return n;
    }, { continueOnError: true, workers: 2 });
    expect(await p.toArray()).toEqual([1, 3, 5]);
    expect(p.stats().stages[0]).toMatchObject({ received: 6, emitted: 3, failed: 3, dropped: 0, inFlight: 0 });
  });
});

describe('cancellation from outside', () => {
  it('an abort of the signal tears down and rejects with its reason once every call settled', async () => {
    const controller = new AbortController();
    const { source, closed } = countedSource(50);
    const calls = held();
    const outcome = settle(pipeline(source, { signal: controller.signal }).stage('s', calls.fn, { workers: 2 }).run());
    await flush();
    const reason = new Error('user pressed Ctrl-C');
    controller.abort(reason);
    expect(calls.signals[0]?.reason).toBe(reason);
    await flush();
    expect(closed()).toBe(true);
    calls.calls[0]?.resolve(0);
    calls.calls[1]?.reject(reason);
    expect(await outcome).toEqual({ ok: false, error: reason });
    expect(calls.started()).toBe(2);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('the signal of run() works too, and an already aborted one rejects without pulling', async () => {
    const controller = new AbortController();
    controller.abort(new Error('early'));
    const { source, pulled } = countedSource(5);
    await expect(pipeline(source).stage('s', (n) => n).run({ signal: controller.signal })).rejects.toThrow('early');
    expect(pulled()).toBe(0);
    const later = new AbortController();
    const calls = held();
    const outcome = settle(pipeline([1]).stage('s', calls.fn).run({ signal: later.signal }));
    await flush();
    later.abort('stop');
    calls.calls[0]?.resolve(1);
    expect(await outcome).toEqual({ ok: false, error: 'stop' });
    expect(abortListeners(later.signal)).toBe(0);
  });

  it('timeout rejects with a TimeoutError after every call settled, leaving no timer', async () => {
    fakeClock();
    const timers = activeTimers();
    const calls = held();
    const outcome = settle(pipeline([1, 2, 3], { timeout: 50 }).stage('s', calls.fn).run());
    await vi.advanceTimersByTimeAsync(50);
    expect(calls.signals[0]?.aborted).toBe(true);
    calls.calls[0]?.reject(calls.signals[0]?.reason);
    const result = await outcome;
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error).toEqual(new TimeoutError('Pipeline timed out after 50 milliseconds'));
    expect(activeTimers()).toBe(timers);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a never-settling call is bounded by its stage timeout', async () => {
    fakeClock();
    const timers = activeTimers();
    const outcome = settle(pipeline([1]).stage('hang', () => new Promise<never>(() => {}), { timeout: 30 }).run());
    await vi.advanceTimersByTimeAsync(30);
    const result = await outcome;
    expect(result.ok).toBe(false);
    const error = (result as { error: StageError }).error;
    expect(error.message).toBe('Stage "hang" failed on item 0: Stage "hang" timed out after 30 milliseconds');
    expect(error.cause).toBeInstanceOf(TimeoutError);
    expect(activeTimers()).toBe(timers);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('leaving for await', () => {
  it('break tears the run down, closes the source and waits for every call', async () => {
    const { source, closed } = countedSource(1000);
    let running = 0;
    let started = 0;
    const signals: AbortSignal[] = [];
    const p = pipeline(source).stage('s', async (n, _i, signal) => {
      started++;
      running++;
      signals.push(signal);
      try {
        await flush();
        return n;
      } finally {
        running--;
      }
    }, { workers: 4 });
    const seen: number[] = [];
    for await (const n of p) {
      seen.push(n);
      if (seen.length === 3) break;
    }
    expect(running).toBe(0);
    expect(closed()).toBe(true);
    expect(started).toBeLessThan(20);
    expect(signals.at(-1)?.reason).toBeInstanceOf(CancelledError);
    expect(p.stats().stages[0]?.inFlight).toBe(0);
  });

  it('a throw in the loop body tears down the same way and the body\'s error comes out', async () => {
    const { source, closed } = countedSource(10);
    const p = pipeline(source).stage('s', async (n) => n);
    const body = new Error('consumer failed');
    await expect((async () => {
      for await (const _ of p) throw body;
    })()).rejects.toBe(body);
    expect(closed()).toBe(true);
  });
});

describe('a failing source', () => {
  it('an iterator that throws: the error reaches the caller and the stages are torn down', async () => {
    const problem = new Error('disk gone');
    let calls = 0;
    function* source(): Generator<number> {
      yield 1;
      throw problem;
    }
    const stuck = held();
    const outcome = settle(pipeline(source()).stage('s', (n, i, signal) => {
      calls++;
      return stuck.fn(n, i, signal);
    }, { workers: 2 }).run());
    await flush();
    expect(stuck.signals[0]?.aborted).toBe(true);
    stuck.calls[0]?.resolve(1);
    expect(await outcome).toEqual({ ok: false, error: problem });
    expect(calls).toBe(1);
  });

  it('an async iterator that rejects: same', async () => {
    const problem = new Error('socket reset');
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(problem) }),
    };
    await expect(pipeline(source).stage('s', (n) => n).run()).rejects.toBe(problem);
  });

  it('a return() that throws during a teardown: the error reaches the caller', async () => {
    const problem = new Error('cannot close');
    let n = 0;
    const source: Iterable<number> = {
      [Symbol.iterator]: () => ({
        next: () => ({ done: false, value: n++ }),
        return: () => {
          throw problem;
        },
      }),
    };
    await expect((async () => {
      for await (const _ of pipeline(source).stage('s', (x) => x)) break;
    })()).rejects.toBe(problem);
    // With a stage failure first, the StageError wins and return()'s error is dropped.
    n = 0;
    await expect(pipeline(source).stage('s', () => {
      throw new Error('first');
    }).run()).rejects.toBeInstanceOf(StageError);
  });
});

describe('what a settled run leaves', () => {
  it('no listener on the caller\'s signal, no timer, nothing in flight, on success and on failure', async () => {
    const timers = activeTimers();
    const controller = new AbortController();
    const ok = pipeline([1, 2, 3], { signal: controller.signal, timeout: 10_000 }).stage('a', async (n) => n, { timeout: 5000, retries: 2, retryDelay: 1 });
    await ok.run();
    const failing = pipeline([1, 2, 3], { signal: controller.signal, timeout: 10_000 }).stage('a', async () => {
      throw new Error('x');
    }, { timeout: 5000 });
    await expect(failing.run({ signal: controller.signal })).rejects.toBeInstanceOf(StageError);
    expect(abortListeners(controller.signal)).toBe(0);
    expect(activeTimers()).toBe(timers);
    for (const p of [ok, failing]) for (const stage of p.stats().stages) expect(stage.inFlight).toBe(0);
  });
});
