/**
 * One input's call: retries (with fixed and computed delays, counted in `retried`), the
 * per-attempt timeout (each attempt its own signal and deadline), and no retry once the run
 * is torn down.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { pipeline, StageError } from '../../src/pipeline/index.js';
import { flush, settle } from '../helpers.js';
import { fakeClock, held } from './fixtures.js';


afterEach(() => {
  vi.useRealTimers();
});

describe('retries', () => {
  it('re-calls a failing item with the same item and index until it succeeds, counting each re-attempt', async () => {
    const attempts = new Map<number, number>();
    const seen: [number, number][] = [];
    const p = pipeline([10, 20, 30]).stage('flaky', (n, index) => {
      seen.push([n, index]);
      const tries = (attempts.get(n) ?? 0) + 1;
      attempts.set(n, tries);
      if (n === 20 && tries < 3) throw new Error(`try ${tries}`);
      return n;
    }, { retries: 2 });
    expect(await p.toArray()).toEqual([10, 20, 30]);
    expect(seen.filter(([n]) => n === 20)).toEqual([
      [20, 1],
      [20, 1],
      [20, 1],
    ]);
    expect(p.stats().stages[0]).toMatchObject({ received: 3, emitted: 3, failed: 0, retried: 2 });
  });

  it('fails the item with the last error once the retries are spent', async () => {
    let tries = 0;
    const error = await pipeline([1]).stage('never', () => {
      tries++;
      throw new Error(`try ${tries}`);
    }, { retries: 3 }).run().catch((e: unknown) => e);
    expect(tries).toBe(4);
    expect((error as StageError).message).toBe('Stage "never" failed on item 0: try 4');
  });

  it('waits retryDelay ms (or what the function says for attempt n) before each re-attempt', async () => {
    fakeClock();
    const times: number[] = [];
    const delays: number[] = [];
    const start = Date.now();
    const run = pipeline([1]).stage('slow', () => {
      times.push(Date.now() - start);
      if (times.length < 4) throw new Error('again');
      return 1;
    }, { retries: 3, retryDelay: (n) => {
      delays.push(n);
      return n * 100;
    } }).run();
    await vi.advanceTimersByTimeAsync(600);
    await run;
    expect(times).toEqual([0, 100, 300, 600]);
    expect(delays).toEqual([1, 2, 3]);
  });

  it('starts no retry once the run is torn down, and a teardown cuts a retry delay short', async () => {
    fakeClock();
    let calls = 0;
    const other = held();
    const outcome = settle(pipeline([1, 2]).stage('s', async (n, i, signal) => {
      calls++;
      if (n === 1) throw new Error('retry me');
      return other.fn(n, i, signal);
    }, { retries: 5, retryDelay: 1000, workers: 2 }).run({ signal: AbortSignal.abort('never mind') }));
    expect(await outcome).toEqual({ ok: false, error: 'never mind' });
    expect(calls).toBe(0);
    const controller = new AbortController();
    const second = settle(pipeline([1]).stage('s', () => {
      calls++;
      throw new Error('retry me');
    }, { retries: 5, retryDelay: 1000 }).run({ signal: controller.signal }));
    await flush();
    expect(calls).toBe(1);
    controller.abort('stop');
    expect(await second).toEqual({ ok: false, error: 'stop' });
    expect(calls).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a bad retryDelay answer fails the item with a TypeError/RangeError', async () => {
    const error = await pipeline([1]).stage('s', () => {
      throw new Error('x');
    }, { retries: 1, retryDelay: () => -1 }).run().catch((e: unknown) => e);
    expect((error as StageError).cause).toEqual(new RangeError('Expected `retryDelay` to be a number of milliseconds >= 0, got `-1` (number)'));
  });
});

describe('the per-attempt timeout', () => {
  it('gives each attempt its own signal, aborted with a TimeoutError when the attempt runs out of time', async () => {
    fakeClock();
    const calls = held();
    const run = settle(pipeline([1]).stage('slow', calls.fn, { timeout: 50, retries: 1 }).run());
    await vi.advanceTimersByTimeAsync(50);
    expect(calls.signals[0]?.reason).toEqual(new TimeoutError('Stage "slow" timed out after 50 milliseconds'));
    expect(calls.started()).toBe(2); // the retry started at once, with a fresh signal
    expect(calls.signals[1]?.aborted).toBe(false);
    calls.calls[1]?.resolve(7);
    expect(await run).toMatchObject({ ok: true });
    calls.calls[0]?.resolve(1); // the abandoned attempt's late outcome goes nowhere
    await flush();
  });

  it('does not time out a call that finishes in time, and leaves no timer', async () => {
    fakeClock();
    const out = await pipeline([1, 2, 3]).stage('quick', async (n) => n * 2, { timeout: 1000, workers: 2 }).toArray();
    expect(out.sort()).toEqual([2, 4, 6]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('timeout 0 fails every attempt at once without calling fn', async () => {
    let calls = 0;
    const error = await pipeline([1]).stage('zero', () => calls++, { timeout: 0 }).run().catch((e: unknown) => e);
    expect(calls).toBe(0);
    expect((error as StageError).cause).toBeInstanceOf(TimeoutError);
  });
});
