/**
 * The woken-then-aborted races (STYLE 5): a waiter handed its item or its admission, and
 * aborted before it resumes, in the same tick.
 */
import { describe, expect, it } from 'vitest';
import { QueueClosed } from '../../src/core/errors.js';
import { LifoQueue, PriorityQueue, Queue } from '../../src/queue/index.js';
import { abortListeners, flush, settle } from '../helpers.js';

describe('get hand-off race', () => {
  it('puts an item handed to a getter that aborted in the same tick back in the queue', async () => {
    const queue = new Queue<string>();
    const controller = new AbortController();
    const reason = new Error('too late');
    const getter = settle(queue.get({ signal: controller.signal }));
    queue.putNowait('x'); // handed to the getter...
    controller.abort(reason); // ...which gives up before it resumes
    expect(await getter).toEqual({ ok: false, error: reason });
    expect(queue.size).toBe(1);
    expect(queue.getNowait()).toBe('x');
    expect(queue.size).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('passes the item on to the next waiting getter', async () => {
    const queue = new Queue<string>();
    const controller = new AbortController();
    const first = settle(queue.get({ signal: controller.signal }));
    const second = queue.get();
    queue.putNowait('x');
    controller.abort(new Error('gone'));
    expect((await first).ok).toBe(false);
    expect(await second).toBe('x');
    expect(queue.size).toBe(0);
  });

  it('keeps FIFO order when several woken getters abort together', async () => {
    const queue = new Queue<number>();
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const getters = controllers.map((controller) => settle(queue.get({ signal: controller.signal })));
    for (const item of [1, 2, 3, 4, 5]) queue.putNowait(item); // 1-3 handed out, 4 and 5 queued
    for (const controller of controllers) controller.abort(new Error('gone'));
    for (const result of await Promise.all(getters)) expect(result.ok).toBe(false);
    expect([1, 2, 3, 4, 5].map(() => queue.getNowait())).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns the item on top for LifoQueue and by priority for PriorityQueue', async () => {
    const lifo = new LifoQueue<number>();
    const lifoAbort = new AbortController();
    const lifoGetter = settle(lifo.get({ signal: lifoAbort.signal }));
    lifo.putNowait(1);
    lifo.putNowait(2);
    lifoAbort.abort(new Error('gone'));
    await lifoGetter;
    expect([lifo.getNowait(), lifo.getNowait()]).toEqual([1, 2]);

    const priority = new PriorityQueue<{ p: number; id: string }>({ comparator: (x, y) => x.p - y.p });
    const priorityAbort = new AbortController();
    const priorityGetter = settle(priority.get({ signal: priorityAbort.signal }));
    priority.putNowait({ p: 5, id: 'handed' });
    priority.putNowait({ p: 5, id: 'queued' });
    priority.putNowait({ p: 1, id: 'urgent' });
    priorityAbort.abort(new Error('gone'));
    await priorityGetter;
    expect([1, 2, 3].map(() => priority.getNowait().id)).toEqual(['urgent', 'handed', 'queued']);
  });

  it('keeps a returned item even when the queue filled up meanwhile; putters wait until size < maxsize', async () => {
    const queue = new Queue<string>({ maxsize: 1 });
    const controller = new AbortController();
    const getter = settle(queue.get({ signal: controller.signal }));
    queue.putNowait('x'); // handed to the getter: the queue stays empty...
    queue.putNowait('y'); // ...so this one fits
    controller.abort(new Error('gone'));
    await getter;
    expect(queue.size).toBe(2); // 'x' was accepted once and is never refused
    expect(queue.full()).toBe(true);
    const putter = queue.put('z');
    expect(queue.getNowait()).toBe('x');
    expect(queue.size).toBe(1); // still at maxsize: 'z' keeps waiting
    expect(queue.getNowait()).toBe('y');
    await putter;
    expect(queue.getNowait()).toBe('z');
  });

  it('drops a returned item after an immediate close and counts it done', async () => {
    const queue = new Queue<string>();
    const controller = new AbortController();
    const getter = settle(queue.get({ signal: controller.signal }));
    queue.putNowait('x');
    queue.close({ immediate: true });
    controller.abort(new Error('gone'));
    expect((await getter).ok).toBe(false);
    expect(queue.size).toBe(0);
    await queue.join(); // the dropped item counts as done
  });

  it('keeps a returned item after a plain close, for the next get', async () => {
    const queue = new Queue<string>();
    const controller = new AbortController();
    const getter = settle(queue.get({ signal: controller.signal }));
    queue.putNowait('x');
    queue.close();
    controller.abort(new Error('gone'));
    expect((await getter).ok).toBe(false);
    expect(await queue.get()).toBe('x');
    expect(await settle(queue.get())).toEqual({ ok: false, error: new QueueClosed('Cannot get from a closed, empty Queue') });
  });

  it('keeps an item already handed to a getter when the queue then closes immediately', async () => {
    const queue = new Queue<string>();
    const getter = queue.get();
    queue.putNowait('x');
    queue.close({ immediate: true });
    expect(await getter).toBe('x');
  });
});

describe('put admission race', () => {
  it('completes a put admitted in the same tick as its abort: the item is in, exactly once', async () => {
    const queue = new Queue<string>({ maxsize: 1 });
    queue.putNowait('a');
    const controller = new AbortController();
    const putter = settle(queue.put('b', { signal: controller.signal }));
    await flush();
    expect(queue.getNowait()).toBe('a'); // admits 'b' into the freed slot...
    controller.abort(new Error('too late')); // ...before the putter resumes
    expect(await putter).toEqual({ ok: true, value: undefined });
    expect(queue.size).toBe(1);
    expect(queue.getNowait()).toBe('b');
    expect(queue.size).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('gives the slot to the next putter when the first aborts before a take in the same tick', async () => {
    const queue = new Queue<string>({ maxsize: 1 });
    queue.putNowait('a');
    const controller = new AbortController();
    const reason = new Error('gone');
    const first = settle(queue.put('b', { signal: controller.signal }));
    const second = queue.put('c');
    await flush();
    controller.abort(reason);
    expect(queue.getNowait()).toBe('a');
    await second;
    expect(await first).toEqual({ ok: false, error: reason });
    expect(queue.getNowait()).toBe('c');
    expect(queue.size).toBe(0);
  });

  it('admits putters in call order whether or not they wait with a signal', async () => {
    const queue = new Queue<number>({ maxsize: 1 });
    queue.putNowait(0);
    const putters = [
      queue.put(1, { signal: new AbortController().signal, timeout: 1000 }),
      queue.put(2),
      queue.put(3, { timeout: 1000 }),
      queue.put(4),
    ];
    await flush();
    const out: number[] = [];
    while (out.length < 5) {
      out.push(queue.getNowait()); // each take admits the next putter at once
    }
    await Promise.all(putters);
    expect(out).toEqual([0, 1, 2, 3, 4]);
  });
});
