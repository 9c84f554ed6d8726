import { afterEach, describe, expect, it, vi } from 'vitest';
import { DelayLine, type DelayedJob } from '../../../src/life/net/delay-line.js';

interface Named extends DelayedJob {
  readonly name: string;
}

const job = (name: string): Named => ({ due: 0, done: false, name });

afterEach(() => {
  vi.useRealTimers();
});

describe('DelayLine', () => {
  it('runs jobs in order once each is due, on one timer, then calls afterBatch once per batch', async () => {
    vi.useFakeTimers();
    const ran: string[] = [];
    const line = new DelayLine<Named>(100, (j) => ran.push(j.name), () => ran.push('batch'));
    line.add(job('a'));
    line.add(job('b'));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    line.add(job('c'));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(49);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ran).toEqual(['a', 'b', 'batch']);
    await vi.advanceTimersByTimeAsync(50);
    expect(ran).toEqual(['a', 'b', 'batch', 'c', 'batch']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('skips a cancelled job and drops everything on clear()', async () => {
    vi.useFakeTimers();
    const ran: string[] = [];
    const line = new DelayLine<Named>(10, (j) => ran.push(j.name), () => ran.push('batch'));
    const cancelled = line.add(job('cancelled'));
    line.add(job('kept'));
    cancelled.done = true;
    await vi.advanceTimersByTimeAsync(10);
    expect(ran).toEqual(['kept', 'batch']);
    const dropped = line.add(job('dropped'));
    line.clear();
    expect(dropped.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['kept', 'batch']);
  });

  it('does not call afterBatch when every due job was cancelled', async () => {
    vi.useFakeTimers();
    const afterBatch = vi.fn();
    const line = new DelayLine<Named>(5, () => undefined, afterBatch);
    line.add(job('x')).done = true;
    await vi.advanceTimersByTimeAsync(5);
    expect(afterBatch).not.toHaveBeenCalled();
  });
});
