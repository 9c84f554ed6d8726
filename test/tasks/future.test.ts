// Re-expresses CPython's Lib/test/test_concurrent_futures/test_future.py (test names in the
// comments), plus loom's own rules: three abort phases, exact messages, no leaked listeners,
// no unhandled rejections.

import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, InvalidStateError, TimeoutError } from '../../src/core/errors.js';
import { Future, hasFailed, onDone } from '../../src/tasks/future.js';
import { abortListeners, flush, settle } from '../helpers.js';

type Kind = 'pending' | 'running' | 'cancelled' | 'failed' | 'succeeded';

/** Like CPython's `create_future(state=...)`: a future in a given state. */
function make(kind: Kind): Future<number> {
  const future = new Future<number>();
  if (kind === 'running') future.setRunningOrNotifyCancel();
  if (kind === 'cancelled') future.cancel();
  if (kind === 'failed') future.setException(new RangeError('os error'));
  if (kind === 'succeeded') future.setResult(42);
  return future;
}

describe('Future state', () => {
  // test_cancelled, test_done, test_running
  it.each([
    ['pending', false, false, false],
    ['running', false, true, false],
    ['cancelled', true, false, true],
    ['failed', false, false, true],
    ['succeeded', false, false, true],
  ] as const)('%s: cancelled=%s running=%s done=%s', (kind, cancelled, running, done) => {
    const future = make(kind);
    expect(future.cancelled()).toBe(cancelled);
    expect(future.running()).toBe(running);
    expect(future.done()).toBe(done);
    expect(Object.prototype.toString.call(future)).toBe(`[object Future (${kind === 'failed' || kind === 'succeeded' ? 'finished' : kind})]`);
  });

  // test_cancel
  it.each([
    ['pending', true, true],
    ['running', false, false],
    ['cancelled', true, true],
    ['failed', false, false],
    ['succeeded', false, false],
  ] as const)('cancel() on a %s future returns %s', (kind, returned, cancelledAfter) => {
    const future = make(kind);
    expect(future.cancel()).toBe(returned);
    expect(future.cancelled()).toBe(cancelledAfter);
  });

  it('setRunningOrNotifyCancel marks a pending future running, so it can no longer be cancelled', () => {
    const future = new Future<number>();
    expect(future.setRunningOrNotifyCancel()).toBe(true);
    expect(future.running()).toBe(true);
    expect(future.cancel()).toBe(false);
  });

  it('setRunningOrNotifyCancel returns false for a cancelled future, every time', () => {
    const future = make('cancelled');
    expect(future.setRunningOrNotifyCancel()).toBe(false);
    expect(future.setRunningOrNotifyCancel()).toBe(false);
  });

  it('setRunningOrNotifyCancel throws InvalidStateError on a running or finished future', () => {
    expect(() => make('running').setRunningOrNotifyCancel()).toThrow(
      new InvalidStateError('Future.setRunningOrNotifyCancel called on a running future'),
    );
    expect(() => make('succeeded').setRunningOrNotifyCancel()).toThrow(
      new InvalidStateError('Future.setRunningOrNotifyCancel called on a finished future'),
    );
  });

  // test_multiple_set_result, test_multiple_set_exception
  it('a finished future keeps its first outcome; setting another throws InvalidStateError', async () => {
    const future = make('succeeded');
    expect(() => future.setResult(2)).toThrow(new InvalidStateError('Future.setResult called on a finished future'));
    expect(() => future.setException(new Error('x'))).toThrow(
      new InvalidStateError('Future.setException called on a finished future'),
    );
    expect(await future.result()).toBe(42);
    const failed = new Future<number>();
    const error = new Error('first');
    failed.setException(error);
    expect(() => failed.setException(new Error('second'))).toThrow(InvalidStateError);
    expect(await failed.exception()).toBe(error);
  });

  it('a cancelled future cannot be given an outcome', () => {
    const future = make('cancelled');
    expect(() => future.setResult(1)).toThrow(new InvalidStateError('Future.setResult called on a cancelled future'));
    expect(() => future.setException(1)).toThrow(new InvalidStateError('Future.setException called on a cancelled future'));
  });

  it('a pending future can be given an outcome without running first, as in Python', async () => {
    const future = new Future<string>();
    future.setResult('direct');
    expect(await future).toBe('direct');
  });
});

describe('Future.result and Future.exception', () => {
  // test_result_with_timeout, test_exception_with_timeout
  it('with timeout 0 report a done future and time out on a pending or running one', async () => {
    await expect(make('pending').result({ timeout: 0 })).rejects.toThrow(new TimeoutError('Future.result timed out after 0 milliseconds'));
    await expect(make('running').exception({ timeout: 0 })).rejects.toThrow(
      new TimeoutError('Future.exception timed out after 0 milliseconds'),
    );
    await expect(make('cancelled').result({ timeout: 0 })).rejects.toThrow(new CancelledError('Future was cancelled'));
    await expect(make('cancelled').exception({ timeout: 0 })).rejects.toThrow(new CancelledError('Future was cancelled'));
    await expect(make('failed').result({ timeout: 0 })).rejects.toThrow(new RangeError('os error'));
    expect(await make('failed').exception({ timeout: 0 })).toEqual(new RangeError('os error'));
    expect(await make('succeeded').result({ timeout: 0 })).toBe(42);
    expect(await make('succeeded').exception({ timeout: 0 })).toBeUndefined();
  });

  // test_result_with_success, test_exception_with_success, test_result_with_cancel
  it('wake every waiter when the outcome arrives', async () => {
    const ok = new Future<number>();
    const results = [ok.result(), ok.result({ timeout: 1000 }), ok.exception()];
    await flush();
    ok.setResult(7);
    expect(await Promise.all(results)).toEqual([7, 7, undefined]);

    const failing = new Future<number>();
    const error = new Error('boom');
    const failures = [settle(failing.result()), failing.exception()];
    await flush();
    failing.setException(error);
    expect(await Promise.all(failures)).toEqual([{ ok: false, error }, error]);

    const cancelled = new Future<number>();
    const cancels = [settle(cancelled.result()), settle(cancelled.exception())];
    await flush();
    cancelled.cancel();
    for (const outcome of await Promise.all(cancels)) {
      expect(outcome).toEqual({ ok: false, error: new CancelledError('Future was cancelled') });
    }
  });

  it('reject with the very error the work failed with, and a fresh CancelledError each time', async () => {
    const error = new Error('boom');
    const future = new Future<number>();
    future.setException(error);
    const failure = await settle(future.result());
    expect(failure.ok === false && failure.error).toBe(error);
    const cancelled = make('cancelled');
    const first = await settle(cancelled.result());
    const second = await settle(cancelled.result());
    expect(first.ok === false && first.error).toBeInstanceOf(CancelledError);
    expect(second.ok === false && second.error).toBeInstanceOf(CancelledError);
    expect(first.ok === false && first.error).not.toBe(second.ok === false && second.error);
  });

  it('report a thrown non-Error value as is', async () => {
    const future = new Future<number>();
    future.setException('plain string');
    expect(await settle(future.result())).toEqual({ ok: false, error: 'plain string' });
    expect(await future.exception()).toBe('plain string');
  });

  describe('with fake timers', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('time out after exactly `timeout` milliseconds and leave no timer', async () => {
      const future = new Future<number>();
      const outcome = settle(future.result({ timeout: 50 }));
      await vi.advanceTimersByTimeAsync(49);
      expect(future.done()).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await outcome).toEqual({ ok: false, error: new TimeoutError('Future.result timed out after 50 milliseconds') });
      expect(vi.getTimerCount()).toBe(0);
      expect(future.cancel()).toBe(true); // giving up the wait left the future pending
    });

    it('clear the timer when the outcome arrives first', async () => {
      const future = new Future<number>();
      const result = future.result({ timeout: 1000 });
      expect(vi.getTimerCount()).toBe(1);
      future.setResult(3);
      expect(await result).toBe(3);
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('abort phases', () => {
    it('already aborted: rejects with the reason at once, even when the future is done', async () => {
      const reason = new Error('stop');
      const signal = AbortSignal.abort(reason);
      expect(await settle(make('succeeded').result({ signal }))).toEqual({ ok: false, error: reason });
      expect(await settle(make('pending').exception({ signal }))).toEqual({ ok: false, error: reason });
    });

    it('aborted while waiting: rejects with the reason, leaves no listener, keeps the future pending', async () => {
      const controller = new AbortController();
      const future = new Future<number>();
      const outcome = settle(future.result({ signal: controller.signal }));
      const other = future.result();
      await flush();
      expect(abortListeners(controller.signal)).toBe(1);
      controller.abort('reason');
      expect(await outcome).toEqual({ ok: false, error: 'reason' });
      expect(abortListeners(controller.signal)).toBe(0);
      future.setResult(1);
      expect(await other).toBe(1); // the other waiter was not disturbed
    });

    it('aborted after the outcome arrived: the outcome wins and the listener is gone', async () => {
      const controller = new AbortController();
      const future = new Future<number>();
      const result = future.exception({ signal: controller.signal });
      await flush();
      future.setException('late');
      controller.abort();
      expect(await result).toBe('late');
      expect(abortListeners(controller.signal)).toBe(0);
    });
  });

  it('validate options synchronously', () => {
    const future = new Future<number>();
    expect(() => future.result(5 as never)).toThrow(new TypeError('Expected `options` to be an options object, got `5` (number)'));
    expect(() => future.exception({ timeout: -1 })).toThrow(
      new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'),
    );
    expect(() => future.result({ signal: 'no' as never })).toThrow(
      new TypeError('Expected `signal` to be an AbortSignal, got `"no"` (string)'),
    );
  });
});

describe('Future is awaitable', () => {
  it('await gives the result or throws the error', async () => {
    expect(await make('succeeded')).toBe(42);
    await expect(make('failed')).rejects.toThrow(new RangeError('os error'));
    await expect(make('cancelled')).rejects.toBeInstanceOf(CancelledError);
  });

  it('then takes both handlers', async () => {
    expect(await make('failed').then(() => 'ok', (error: unknown) => (error as Error).message)).toBe('os error');
    expect(await make('succeeded').then((value) => value + 1)).toBe(43);
  });

  it('a failed or cancelled future that nobody observes raises no unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      make('failed');
      make('cancelled');
      const future = new Future<number>();
      future.addDoneCallback(() => {});
      future.setException(new Error('ignored'));
      await flush(3);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('Future.addDoneCallback', () => {
  // test_done_callback_with_result, _with_exception, _with_cancel
  it('calls callbacks in order with the future, on result, exception and cancel', () => {
    for (const finish of [(f: Future<number>) => f.setResult(5), (f: Future<number>) => f.setException(1), (f: Future<number>) => f.cancel()]) {
      const future = new Future<number>();
      const calls: string[] = [];
      future.addDoneCallback((f) => calls.push(`a:${f === future}:${f.done()}`));
      future.addDoneCallback((f) => calls.push(`b:${f === future}`));
      expect(calls).toEqual([]);
      finish(future);
      expect(calls).toEqual(['a:true:true', 'b:true']);
    }
  });

  // test_done_callback_already_successful, _already_failed, _already_cancelled
  it.each(['succeeded', 'failed', 'cancelled'] as const)('calls the callback at once on a %s future', (kind) => {
    const future = make(kind);
    const callback = vi.fn();
    future.addDoneCallback(callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith(future);
  });

  it('calls a function added twice twice, and each callback only once', () => {
    const future = new Future<number>();
    const callback = vi.fn();
    future.addDoneCallback(callback);
    future.addDoneCallback(callback);
    future.setResult(1);
    expect(() => future.setResult(2)).toThrow(InvalidStateError);
    expect(callback).toHaveBeenCalledTimes(2);
  });

  // test_done_callback_raises, test_done_callback_raises_already_succeeded
  it('a throwing callback does not stop the others and becomes a FutureCallbackWarning', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const future = new Future<number>();
      const error = new Error('doh!');
      const after = vi.fn();
      future.addDoneCallback(() => {
        throw error;
      });
      future.addDoneCallback(after);
      future.setResult(5);
      expect(after).toHaveBeenCalledOnce();
      expect(emitWarning).toHaveBeenCalledOnce();
      const warning = emitWarning.mock.calls[0]?.[0] as Error;
      expect(warning.name).toBe('FutureCallbackWarning');
      expect(warning.message).toBe('A Future done callback threw Error: doh!');
      expect(warning.cause).toBe(error);

      future.addDoneCallback(() => {
        throw 7; // eslint-disable-line @typescript-eslint/only-throw-error -- a non-Error throw is the point
      });
      expect((emitWarning.mock.calls[1]?.[0] as Error).message).toBe('A Future done callback threw `7` (number)');
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('rejects a non-function synchronously', () => {
    expect(() => new Future().addDoneCallback(1 as never)).toThrow(new TypeError('Expected `callback` to be a function, got `1` (number)'));
  });
});

describe('inspection', () => {
  // test_repr
  it('shows the state, the callbacks and the waiters', async () => {
    const future = new Future<number>();
    expect(inspect(future)).toBe('Future <pending, callbacks: 0, waiters: 0>');
    future.addDoneCallback(() => {});
    const result = future.result();
    expect(inspect(future)).toBe('Future <pending, callbacks: 1, waiters: 1>');
    future.setRunningOrNotifyCancel();
    expect(inspect(future)).toBe('Future <running, callbacks: 1, waiters: 1>');
    future.setResult(1);
    expect(inspect(future)).toBe('Future <finished, callbacks: 0, waiters: 0>');
    await result;
    expect(inspect(make('failed'))).toBe('Future <finished, failed, callbacks: 0, waiters: 0>');
    expect(inspect(make('cancelled'))).toBe('Future <cancelled, callbacks: 0, waiters: 0>');
  });
});

describe('internal hooks', () => {
  it('onDone returns a remover, and removing twice is harmless', () => {
    const future = new Future<number>();
    const kept = vi.fn();
    const removed = vi.fn();
    onDone(future, kept);
    const remove = onDone(future, removed);
    remove();
    remove();
    future.setResult(1);
    expect(kept).toHaveBeenCalledExactlyOnceWith(future);
    expect(removed).not.toHaveBeenCalled();
  });

  it('onDone calls at once on a done future; hasFailed is true only for a failure', () => {
    const callback = vi.fn();
    onDone(make('cancelled'), callback)();
    expect(callback).toHaveBeenCalledOnce();
    expect(hasFailed(make('failed'))).toBe(true);
    for (const kind of ['pending', 'running', 'cancelled', 'succeeded'] as const) expect(hasFailed(make(kind))).toBe(false);
  });
});
