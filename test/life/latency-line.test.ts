import { afterEach, describe, expect, it, vi } from 'vitest';
import { LatencyLine } from '../../src/life/strategies/latency-line.js';
import { ALIVE, EMPTY, delayedGameLogic } from '../../src/life/index.js';
import { abortListeners, settle } from '../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('LatencyLine (the timer behind delayedGameLogic)', () => {
  it('settles the waits of one tick together on one timer, each after its full latency', async () => {
    vi.useFakeTimers();
    const line = new LatencyLine<number, number>(100, (n) => n * 2);
    const signal = new AbortController().signal;
    const results: number[] = [];
    for (let i = 0; i < 1000; i++) void line.wait(i, signal).then((r) => results.push(r));
    await Promise.resolve();
    expect(vi.getTimerCount()).toBe(1);
    expect(abortListeners(signal)).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(results).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(results).toHaveLength(1000);
    expect(results[999]).toBe(1998);
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(signal)).toBe(0);
  });

  it('keeps later ticks in their own batches, due in order', async () => {
    vi.useFakeTimers();
    const line = new LatencyLine<string, string>(50, (s) => s);
    const done: string[] = [];
    void line.wait('a', undefined).then((s) => done.push(s));
    await vi.advanceTimersByTimeAsync(20);
    void line.wait('b', undefined).then((s) => done.push(s));
    await vi.advanceTimersByTimeAsync(30);
    expect(done).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(19);
    expect(done).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toEqual(['a', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never settles a wait before its own latency on the real clock', async () => {
    const line = new LatencyLine<number, number>(15, () => performance.now());
    const starts: number[] = [];
    const waits: Promise<number>[] = [];
    for (let i = 0; i < 50; i++) {
      starts.push(performance.now());
      waits.push(line.wait(i, undefined));
    }
    const ends = await Promise.all(waits);
    ends.forEach((end, i) => expect(end - (starts[i] as number)).toBeGreaterThanOrEqual(15));
  });

  it('rejects a throwing finish for that wait alone', async () => {
    vi.useFakeTimers();
    const problem = new Error('rule failed');
    const line = new LatencyLine<number, number>(10, (n) => {
      if (n === 1) throw problem;
      return n;
    });
    const outcomes = [0, 1, 2].map((n) => settle(line.wait(n, undefined)));
    await vi.advanceTimersByTimeAsync(10);
    expect(await Promise.all(outcomes)).toEqual([
      { ok: true, value: 0 },
      { ok: false, error: problem },
      { ok: true, value: 2 },
    ]);
  });

  it('rejects the waits of an aborted signal at once, keeps the others, and leaves no timer or listener', async () => {
    vi.useFakeTimers();
    const line = new LatencyLine<number, number>(100, (n) => n);
    const doomed = new AbortController();
    const kept = new AbortController();
    const reason = new Error('generation abandoned');
    const lost = [settle(line.wait(1, doomed.signal)), settle(line.wait(2, doomed.signal))];
    const survivor = settle(line.wait(3, kept.signal));
    await vi.advanceTimersByTimeAsync(10);
    doomed.abort(reason);
    expect(await Promise.all(lost)).toEqual([
      { ok: false, error: reason },
      { ok: false, error: reason },
    ]);
    expect(abortListeners(doomed.signal)).toBe(0);
    await vi.advanceTimersByTimeAsync(90);
    expect(await survivor).toEqual({ ok: true, value: 3 });
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(kept.signal)).toBe(0);
    const last = settle(line.wait(4, kept.signal));
    kept.abort(reason);
    expect(await last).toEqual({ ok: false, error: reason });
    expect(vi.getTimerCount()).toBe(0);
    await expect(line.wait(5, kept.signal)).rejects.toBe(reason);
  });

  it('waits for the signal alone with an infinite latency', async () => {
    vi.useFakeTimers();
    const line = new LatencyLine<number, number>(Infinity, (n) => n);
    const controller = new AbortController();
    const outcome = settle(line.wait(1, controller.signal));
    await Promise.resolve();
    expect(vi.getTimerCount()).toBe(0);
    controller.abort('stop');
    expect(await outcome).toEqual({ ok: false, error: 'stop' });
  });

  it('drives delayedGameLogic with the rule applied after the wait', async () => {
    vi.useFakeTimers();
    const logic = delayedGameLogic(100);
    const signal = new AbortController().signal;
    const answers = Promise.all([logic(ALIVE, 2, { y: 0, x: 0, signal }), logic(ALIVE, 4, { y: 0, x: 1, signal }), logic(EMPTY, 3, { y: 0, x: 2, signal })]);
    await vi.advanceTimersByTimeAsync(100);
    expect(await answers).toEqual([ALIVE, EMPTY, ALIVE]);
  });
});
