import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { withTimeout } from '../../src/tasks/with-timeout.js';
import { abortListeners, deferred, flush, settle } from '../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

function useFakeTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

describe('withTimeout', () => {
  it('resolves with the value of work that finishes in time, leaving no timer or listener', async () => {
    useFakeTimers();
    const controller = new AbortController();
    const work = deferred<number>();
    let seen: AbortSignal | undefined;
    const result = withTimeout(
      (signal) => {
        seen = signal;
        return work.promise;
      },
      100,
      { signal: controller.signal },
    );
    await vi.advanceTimersByTimeAsync(50);
    work.resolve(42);
    await expect(result).resolves.toBe(42);
    expect(seen?.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('accepts a function that returns a plain value, and turns a synchronous throw into the rejection', async () => {
    await expect(withTimeout(() => 'now', 100)).resolves.toBe('now');
    const error = new Error('sync');
    await expect(
      withTimeout(() => {
        throw error;
      }, 100),
    ).rejects.toBe(error);
  });

  it('times out: aborts the work signal and rejects at the deadline with the exact message', async () => {
    useFakeTimers();
    let seen: AbortSignal | undefined;
    const result = settle(
      withTimeout((signal) => {
        seen = signal;
        return new Promise<never>(() => undefined); // ignores its signal: the timeout must still hold
      }, 100),
    );
    await vi.advanceTimersByTimeAsync(99);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const outcome = await result;
    expect(outcome).toEqual({ ok: false, error: new TimeoutError('withTimeout timed out after 100 milliseconds') });
    expect(outcome.ok ? undefined : outcome.error).toBeInstanceOf(TimeoutError);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(outcome.ok ? undefined : outcome.error);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops a function rejection that comes after the deadline (no unhandled rejection)', async () => {
    useFakeTimers();
    const work = deferred<number>();
    const result = settle(withTimeout(() => work.promise, 10));
    await vi.advanceTimersByTimeAsync(10);
    work.reject(new Error('too late'));
    await flush();
    expect((await result).ok).toBe(false);
  });

  it('races a bare promise: its value in time, a TimeoutError after, and its late rejection stays handled', async () => {
    useFakeTimers();
    await expect(withTimeout(Promise.resolve('fast'), 100)).resolves.toBe('fast');
    const failing = Promise.reject(new Error('own failure'));
    await expect(withTimeout(failing, 100)).rejects.toThrow('own failure');

    const slow = deferred<string>();
    const result = settle(withTimeout(slow.promise, 100));
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toEqual({ ok: false, error: new TimeoutError('withTimeout timed out after 100 milliseconds') });
    slow.reject(new Error('late'));
    await flush();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('accepts any thenable', async () => {
    const thenable: PromiseLike<number> = {
      then: (onfulfilled) => Promise.resolve(7).then(onfulfilled),
    };
    await expect(withTimeout(thenable, 100)).resolves.toBe(7);
  });

  it('never times out with Infinity and holds no timer', async () => {
    useFakeTimers();
    const work = deferred<string>();
    const result = withTimeout(() => work.promise, Infinity);
    expect(vi.getTimerCount()).toBe(0);
    work.resolve('done');
    await expect(result).resolves.toBe('done');
  });

  it('times out at once with 0 ms, never calling the function, and handles a bare promise it will never wait for', async () => {
    const fn = vi.fn(async () => 1);
    await expect(withTimeout(fn, 0)).rejects.toEqual(new TimeoutError('withTimeout timed out after 0 milliseconds'));
    expect(fn).not.toHaveBeenCalled();
    const failing = deferred<number>();
    await expect(withTimeout(failing.promise, 0)).rejects.toBeInstanceOf(TimeoutError);
    failing.reject(new Error('later'));
    await flush();
  });

  it('rejects at once with the reason of an already aborted signal, never calling the function', async () => {
    const reason = new Error('stop');
    const fn = vi.fn(async () => 1);
    await expect(withTimeout(fn, 100, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
    const failing = deferred<number>();
    await expect(withTimeout(failing.promise, 100, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    failing.reject(new Error('later'));
    await flush();
  });

  it('rejects with the reason when the signal aborts while waiting, and the work sees the same reason', async () => {
    useFakeTimers();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const result = settle(
      withTimeout(
        (signal) => {
          seen = signal;
          return new Promise<never>(() => undefined);
        },
        1000,
        { signal: controller.signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort('user cancelled');
    expect(await result).toEqual({ ok: false, error: 'user cancelled' });
    expect(seen?.reason).toBe('user cancelled');
    expect(vi.getTimerCount()).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('throws synchronously for bad arguments', () => {
    expect(() => withTimeout(5 as any, 10)).toThrow(new TypeError('Expected `promiseOrFn` to be a promise or a function, got `5` (number)'));
    expect(() => withTimeout(null as any, 10)).toThrow(new TypeError('Expected `promiseOrFn` to be a promise or a function, got `null`'));
    expect(() => withTimeout(() => 1, -1)).toThrow(new RangeError('Expected `ms` to be a number of milliseconds >= 0, got `-1` (number)'));
    expect(() => withTimeout(() => 1, '1' as any)).toThrow(new TypeError('Expected `ms` to be a number of milliseconds >= 0, got `"1"` (string)'));
    expect(() => withTimeout(() => 1, 1, { signal: 'x' as any })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `"x"` (string)'));
  });
});
