/**
 * The figures: counters that add up once a run ends, live values while it runs, time figures
 * on a fake clock (busy, utilization, starved, blocked, latency), the bottleneck, sampling of
 * cheap calls, and `onProgress`.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { pipeline, type StageStats } from '../../src/pipeline/index.js';
import { CHEAP_CALL_MS, RESERVOIR, SAMPLE_EVERY, StageMeter, bottleneckOf } from '../../src/pipeline/stats.js';
import { flush } from '../helpers.js';
import { fakeClock, held } from './fixtures.js';


afterEach(() => {
  vi.useRealTimers();
});

const sleepFake = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('stats()', () => {
  it('are all zero before the run, and name every stage', () => {
    const p = pipeline([1]).stage('a', (n) => n, { workers: 3 }).batch('b', 2);
    expect(p.stats()).toEqual({
      elapsed: 0,
      bottleneck: undefined,
      stages: [
        expect.objectContaining({ name: 'a', workers: 3, received: 0, emitted: 0, inFlight: 0, utilization: 0, latency: { p50: 0, p95: 0, max: 0 } }),
        expect.objectContaining({ name: 'b', workers: 1, received: 0 }),
      ],
    });
  });

  it('add up once the run ends: received = emitted + failed + dropped per stage, and each stage receives what the one before emitted', async () => {
    const p = pipeline(Array.from({ length: 100 }, (_, i) => i))
      .stage('fail 7s', (n) => {
        if (n % 7 === 0) throw new Error('seven');
        return n;
      }, { workers: 3, continueOnError: true })
      .filter('odd', (n) => n % 2 === 1, { workers: 2 })
      .stage('id', async (n) => n, { workers: 4, buffer: 0 });
    const stats = await p.run();
    for (const stage of stats.stages) {
      expect(stage.received).toBe(stage.emitted + stage.failed + stage.dropped);
      expect(stage.inFlight).toBe(0);
      expect(stage.buffered).toBe(0);
    }
    const [first, odd, id] = stats.stages as [StageStats, StageStats, StageStats];
    expect(first).toMatchObject({ received: 100, failed: 15, emitted: 85 });
    expect(odd.received).toBe(first.emitted);
    expect(id.received).toBe(odd.emitted);
    expect(odd.dropped).toBe(85 - odd.emitted);
    expect(p.stats()).toEqual(stats); // frozen once settled
  });

  it('show live inFlight, buffered and bufferPeak while the run goes', async () => {
    const calls = held();
    const p = pipeline([1, 2, 3, 4, 5, 6]).stage('s', calls.fn, { workers: 2, buffer: 3 });
    const run = p.run();
    await flush();
    expect(p.stats().stages[0]).toMatchObject({ inFlight: 2, buffered: 3, bufferPeak: 3, received: 2 });
    for (let i = 0; i < 6; i++) {
      calls.calls[i]?.resolve(i);
      await flush();
    }
    await run;
    expect(p.stats().stages[0]).toMatchObject({ inFlight: 0, buffered: 0, bufferPeak: 3, emitted: 6 });
  });

  it('measure busy, utilization, starved, blocked and latency on the clock, and name the bottleneck', async () => {
    fakeClock();
    // fast: 10 ms per item on 1 worker; slow: 40 ms per item on 2 workers -> slow is the bottleneck.
    const p = pipeline([1, 2, 3, 4, 5, 6, 7, 8])
      .stage('fast', async (n) => {
        await sleepFake(10);
        return n;
      }, { buffer: 0 })
      .stage('slow', async (n) => {
        await sleepFake(40);
        return n;
      }, { workers: 2, buffer: 0 });
    const run = p.run();
    await vi.advanceTimersByTimeAsync(1000);
    const stats = await run;
    const [fast, slow] = stats.stages as [StageStats, StageStats];
    // Items reach slow at 10 and 20 ms; from then on each of its workers takes one every 40 ms: 20 + 4 x 40.
    expect(stats.elapsed).toBe(180);
    expect(fast.busy).toBe(80);
    expect(slow.busy).toBe(320);
    expect(slow.utilization).toBeCloseTo(320 / (2 * 180));
    expect(fast.utilization).toBeCloseTo(80 / 180);
    expect(stats.bottleneck).toBe('slow');
    expect(fast.latency).toEqual({ p50: 10, p95: 10, max: 10 });
    expect(slow.latency).toEqual({ p50: 40, p95: 40, max: 40 });
    expect(fast.blocked).toBeGreaterThan(0); // it waited for slow's workers
    expect(slow.starved).toBeGreaterThan(0); // its second worker waited for the first item
    expect(fast.starved).toBe(0);
  });

  it('estimate busy from sampled calls once calls are cheap: each timed call stands for SAMPLE_EVERY', async () => {
    fakeClock();
    const cost = CHEAP_CALL_MS / 2;
    // The first call is timed alone (weight 1), then one in SAMPLE_EVERY (weight SAMPLE_EVERY): 4 of them.
    const items = 1 + 4 * SAMPLE_EVERY;
    const stats = await pipeline(Array.from({ length: items }, (_, i) => i))
      .stage('cheap', (n: number) => {
        vi.advanceTimersByTime(cost);
        return n;
      })
      .run();
    const [cheap] = stats.stages as [StageStats];
    expect(cheap.emitted).toBe(items);
    expect(cheap.busy).toBeCloseTo(items * cost, 9);
    for (const figure of Object.values(cheap.latency)) expect(figure).toBeCloseTo(cost, 9);
  });

  it('onProgress gets stats every progressInterval ms and once more at the end; no timer is left', async () => {
    fakeClock();
    const seen: number[] = [];
    const run = pipeline([1, 2, 3], { onProgress: (stats) => seen.push(stats.stages[0]?.emitted ?? -1), progressInterval: 100 })
      .stage('s', async (n) => {
        await sleepFake(100);
        return n;
      })
      .run();
    await vi.advanceTimersByTimeAsync(300);
    await run;
    expect(seen.at(-1)).toBe(3);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a throw from onProgress fails the run with that error', async () => {
    fakeClock();
    const problem = new Error('terminal closed');
    const calls = held();
    const run = pipeline([1], { onProgress: () => {
      throw problem;
    }, progressInterval: 10 }).stage('s', calls.fn).run();
    const outcome = run.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.signals[0]?.aborted).toBe(true);
    calls.calls[0]?.resolve(1);
    expect(await outcome).toBe(problem);
  });
});

describe('StageMeter', () => {
  it('times every call while calls are slow, and one in SAMPLE_EVERY, weighted, once they are cheap', () => {
    const meter = new StageMeter('s', 1);
    expect(meter.weight()).toBe(1);
    meter.call(5, 1);
    expect(meter.weight()).toBe(1);
    meter.call(CHEAP_CALL_MS / 2, 1);
    const weights = Array.from({ length: SAMPLE_EVERY * 4 }, () => meter.weight());
    expect(weights.filter((w) => w !== 0)).toEqual([SAMPLE_EVERY, SAMPLE_EVERY, SAMPLE_EVERY, SAMPLE_EVERY]);
    meter.call(CHEAP_CALL_MS / 2, SAMPLE_EVERY);
    expect(meter.busy).toBeCloseTo(5 + CHEAP_CALL_MS / 2 + (CHEAP_CALL_MS / 2) * SAMPLE_EVERY);
    meter.call(1, SAMPLE_EVERY); // slow again: back to timing every call
    expect(meter.weight()).toBe(1);
  });

  it('keeps the last RESERVOIR latencies in a fixed ring and the max of all', () => {
    const meter = new StageMeter('s', 1);
    meter.call(1000, 1);
    const kept = Array.from({ length: RESERVOIR }, (_, i) => 1 + (i % 100));
    for (const ms of kept) meter.call(ms, 1);
    const { latency } = meter.snapshot(1, 0, 0);
    expect(latency.max).toBe(1000); // pushed out of the ring, still the max
    const sorted = kept.sort((a, b) => a - b);
    expect(latency.p50).toBe(sorted[RESERVOIR / 2 - 1]);
    expect(latency.p95).toBe(sorted[Math.ceil(RESERVOIR * 0.95) - 1]);
  });

  it('bottleneckOf picks the highest utilization, the first of equals, none when idle', () => {
    const stage = (name: string, utilization: number): StageStats => ({ ...new StageMeter(name, 1).snapshot(0, 0, 0), utilization });
    expect(bottleneckOf([stage('a', 0.2), stage('b', 0.9), stage('c', 0.9)])).toBe('b');
    expect(bottleneckOf([stage('a', 0), stage('b', 0)])).toBeUndefined();
    expect(bottleneckOf([])).toBeUndefined();
  });
});
