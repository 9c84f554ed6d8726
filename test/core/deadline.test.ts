import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadline, isForever, timeoutError } from '../../src/core/deadline.js';
import { TimeoutError } from '../../src/core/errors.js';
import { abortListeners, activeTimers } from '../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Deadline', () => {
  it('never aborts without a signal or a timeout, and holds no timer', () => {
    const before = activeTimers();
    const deadline = new Deadline(undefined, 'op');
    expect(deadline.signal.aborted).toBe(false);
    expect(activeTimers()).toBe(before);
    deadline.dispose();
  });

  it('aborts at once with the reason of an already aborted signal', () => {
    const reason = new Error('stop');
    const deadline = new Deadline({ signal: AbortSignal.abort(reason), timeout: 1000 }, 'op');
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(reason);
  });

  it('aborts at once with a TimeoutError when the timeout is 0', () => {
    const deadline = new Deadline({ timeout: 0 }, 'Queue.get');
    expect(deadline.signal.reason).toBeInstanceOf(TimeoutError);
    expect((deadline.signal.reason as Error).message).toBe('Queue.get timed out after 0 milliseconds');
  });

  it('follows the caller signal while armed and detaches on dispose', () => {
    const controller = new AbortController();
    const deadline = new Deadline({ signal: controller.signal }, 'op');
    expect(abortListeners(controller.signal)).toBe(1);
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(deadline.signal.reason).toBe(reason);
    expect(abortListeners(controller.signal)).toBe(0);

    const other = new AbortController();
    const disposed = new Deadline({ signal: other.signal, timeout: 50 }, 'op');
    disposed.dispose();
    disposed.dispose();
    expect(abortListeners(other.signal)).toBe(0);
    other.abort();
    expect(disposed.signal.aborted).toBe(false);
  });

  it('times out with a fresh TimeoutError naming the operation', async () => {
    vi.useFakeTimers();
    const deadline = new Deadline({ timeout: 100 }, 'Mutex.acquire');
    await vi.advanceTimersByTimeAsync(99);
    expect(deadline.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(deadline.signal.reason).toEqual(new TimeoutError('Mutex.acquire timed out after 100 milliseconds'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps waiting past the 24.8-day limit of one setTimeout', async () => {
    vi.useFakeTimers();
    const longest = 2 ** 31 - 1;
    const deadline = new Deadline({ timeout: longest + 10 }, 'op');
    await vi.advanceTimersByTimeAsync(longest);
    expect(deadline.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(deadline.signal.aborted).toBe(true);
  });

  it('clears its timer on dispose and when the caller aborts first', () => {
    vi.useFakeTimers();
    const deadline = new Deadline({ timeout: 100 }, 'op');
    expect(vi.getTimerCount()).toBe(1);
    using _ = deadline;
    deadline.dispose();
    expect(vi.getTimerCount()).toBe(0);

    const controller = new AbortController();
    const raced = new Deadline({ signal: controller.signal, timeout: 100 }, 'op');
    controller.abort();
    expect(raced.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts with an owner-given reason once, keeping the first reason', () => {
    const deadline = new Deadline({ timeout: 1000 }, 'op');
    deadline.abort('first');
    deadline.abort('second');
    expect(deadline.signal.reason).toBe('first');
  });
});

describe('isForever and timeoutError', () => {
  it('tells when no cancellation is asked for', () => {
    expect(isForever(undefined)).toBe(true);
    expect(isForever({})).toBe(true);
    expect(isForever({ timeout: Infinity })).toBe(true);
    expect(isForever({ timeout: 5 })).toBe(false);
    expect(isForever({ signal: new AbortController().signal })).toBe(false);
  });

  it('creates a new error each time', () => {
    expect(timeoutError('x', 1)).not.toBe(timeoutError('x', 1));
    expect(timeoutError('x', 1).name).toBe('TimeoutError');
  });
});
