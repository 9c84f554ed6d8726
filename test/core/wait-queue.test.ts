import { describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { WaitQueue } from '../../src/core/wait-queue.js';
import { abortListeners, flush, settle } from '../helpers.js';

describe('WaitQueue', () => {
  it('wakes waiters first-in, first-out, each with its value', async () => {
    const queue = new WaitQueue<string>();
    const order: string[] = [];
    const waits = ['a', 'b', 'c'].map((name) => queue.park(undefined, 'op').then((value) => order.push(`${name}:${value}`)));
    expect(queue.size).toBe(3);
    expect(queue.wakeOne('1')).toBe(true);
    expect(queue.wakeOne('2')).toBe(true);
    expect(queue.wakeOne('3')).toBe(true);
    expect(queue.wakeOne('4')).toBe(false);
    await Promise.all(waits);
    expect(order).toEqual(['a:1', 'b:2', 'c:3']);
    expect(queue.size).toBe(0);
  });

  it('rejects at once without parking when the signal is already aborted', async () => {
    const queue = new WaitQueue<number>();
    const reason = new Error('gone');
    const result = await settle(queue.park({ signal: AbortSignal.abort(reason) }, 'op'));
    expect(result).toEqual({ ok: false, error: reason });
    expect(queue.size).toBe(0);
  });

  it('removes an aborted waiter from the middle and keeps the others in order', async () => {
    const queue = new WaitQueue<number>();
    const controller = new AbortController();
    const first = queue.park(undefined, 'op');
    const second = settle(queue.park({ signal: controller.signal }, 'op'));
    const third = queue.park(undefined, 'op');
    controller.abort(new Error('second gave up'));
    expect(queue.size).toBe(2);
    queue.wakeAll(7);
    expect(await first).toBe(7);
    expect(await third).toBe(7);
    expect(await second).toMatchObject({ ok: false, error: new Error('second gave up') });
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('times out with a TimeoutError naming the operation and leaves the queue', async () => {
    vi.useFakeTimers();
    try {
      const queue = new WaitQueue<number>();
      const waiting = settle(queue.park({ timeout: 20 }, 'Semaphore.acquire'));
      await vi.advanceTimersByTimeAsync(20);
      const result = await waiting;
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : result.error).toEqual(new TimeoutError('Semaphore.acquire timed out after 20 milliseconds'));
      expect(queue.size).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes on a value handed to a waiter that aborted in the same tick', async () => {
    const queue = new WaitQueue<string>();
    const controller = new AbortController();
    const passedOn: string[] = [];
    const aborted = settle(queue.park({ signal: controller.signal }, 'op', (value) => passedOn.push(value)));
    queue.wakeOne('lock');
    controller.abort(new Error('late'));
    const result = await aborted;
    expect(result).toMatchObject({ ok: false, error: new Error('late') });
    expect(passedOn).toEqual(['lock']);
  });

  it('lets the wake-up win over a late abort when there is nothing to pass on', async () => {
    const queue = new WaitQueue<string>();
    const controller = new AbortController();
    const waiting = queue.park({ signal: controller.signal }, 'op');
    queue.wakeOne('set');
    controller.abort();
    expect(await waiting).toBe('set');
  });

  it('rejects every waiter with its own error', async () => {
    const queue = new WaitQueue<number>();
    const waits = [settle(queue.park(undefined, 'op')), settle(queue.park({ timeout: 1000 }, 'op'))];
    expect(queue.rejectAll(() => new Error('closed'))).toBe(2);
    const [a, b] = await Promise.all(waits);
    expect(a?.ok || b?.ok).toBe(false);
    expect(a?.ok === false && b?.ok === false && a.error !== b.error).toBe(true);
    await flush();
    expect(queue.size).toBe(0);
  });
});
