/**
 * The applicable semantics of CPython's `Lib/test/test_queue.py` and
 * `Lib/test/test_asyncio/test_queues.py`, re-expressed; each case names the test it borrows.
 * Python's `ValueError` from `task_done` is our `InvalidStateError`, `ShutDown` is
 * `QueueClosed`, `Full`/`Empty` are `QueueFull`/`QueueEmpty`, and cancellation is an abort.
 *
 * Not carried over: `test_shrinking_queue` (our `maxsize` is read-only), float or negative
 * maxsize (rejected here, unbounded there), `repr` formatting, and asyncio's
 * `test_put_cancel_drop`, where a putter cancelled after being woken does not insert: here a
 * putter's item goes in when it is admitted, so a later abort is too late (see handoff.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { InvalidStateError, QueueClosed, QueueEmpty, QueueFull } from '../../src/core/errors.js';
import { LifoQueue, PriorityQueue, Queue } from '../../src/queue/index.js';
import { deferred, flush, settle } from '../helpers.js';

const QUEUE_SIZE = 5;

describe('test_queue.py', () => {
  // BaseQueueTestMixin.simple_queue_test, with the expected orders of QueueTest, LifoQueueTest, PriorityQueueTest.
  it.each([
    ['Queue', () => new Queue<number>({ maxsize: QUEUE_SIZE }), [111, 333, 222]],
    ['LifoQueue', () => new LifoQueue<number>({ maxsize: QUEUE_SIZE }), [222, 333, 111]],
    ['PriorityQueue', () => new PriorityQueue<number>({ maxsize: QUEUE_SIZE }), [111, 222, 333]],
  ] as const)('simple_queue_test: %s', async (_name, make, order) => {
    const q = make();
    expect(q.empty()).toBe(true);
    expect(q.size).toBe(0);
    for (const item of [111, 333, 222]) await q.put(item);
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual(order);
    for (let i = 0; i < QUEUE_SIZE - 1; i++) {
      await q.put(i);
      expect(q.empty()).toBe(false);
    }
    expect(q.full()).toBe(false);
    await q.put(999);
    expect(q.full()).toBe(true);
    expect(() => q.putNowait(888)).toThrow(QueueFull);
    expect(await settle(q.put(888, { timeout: 0 }))).toMatchObject({ ok: false });
    while (!q.empty()) q.getNowait();
    expect(() => q.getNowait()).toThrow(QueueEmpty);
  });

  // BaseQueueTestMixin.queue_join_test / test_queue_task_done / test_queue_join: workers, join, twice.
  it('queue_join_test and test_queue_task_done', async () => {
    const q = new Queue<number>();
    expect(() => q.taskDone()).toThrow(InvalidStateError);
    let cum = 0;
    const worker = async (): Promise<void> => {
      for await (const x of q) cum += x;
    };
    const workers = [worker(), worker()];
    for (let round = 0; round < 2; round++) {
      cum = 0;
      for (let i = 0; i < 100; i++) await q.put(i);
      await q.join();
      expect(cum).toBe(4950);
    }
    q.close();
    await Promise.all(workers);
    expect(() => q.taskDone()).toThrow(InvalidStateError);
  });

  // test_negative_timeout_raises_exception
  it('test_negative_timeout_raises_exception', () => {
    const q = new Queue<number>({ maxsize: 1 });
    expect(() => q.put(1, { timeout: -1 })).toThrow(RangeError);
    expect(() => q.get({ timeout: -1 })).toThrow(RangeError);
  });

  // test_shutdown_empty
  it('test_shutdown_empty', async () => {
    const q = new Queue<string>();
    q.close();
    expect(await settle(q.put('data'))).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
    expect(await settle(q.get())).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
  });

  // test_shutdown_nonempty
  it('test_shutdown_nonempty', async () => {
    const q = new Queue<string>();
    await q.put('data');
    q.close();
    expect(await q.get()).toBe('data');
    expect(await settle(q.get())).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
  });

  // test_shutdown_immediate
  it('test_shutdown_immediate', async () => {
    const q = new Queue<string>();
    await q.put('data');
    q.close({ immediate: true });
    expect(await settle(q.get())).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
  });

  // test_shutdown_allowed_transitions
  it('test_shutdown_allowed_transitions', () => {
    const q = new Queue<number>();
    expect(q.closed).toBe(false);
    q.close();
    expect(q.closed).toBe(true);
    q.close({ immediate: true });
    expect(q.closed).toBe(true);
    q.close();
    expect(q.closed).toBe(true);
  });

  // test_shutdown_all_methods_in_one_thread
  it('test_shutdown_all_methods_in_one_thread', async () => {
    const q = new Queue<string>({ maxsize: 2 });
    await q.put('L');
    q.putNowait('O');
    q.close();
    expect(await settle(q.put('E'))).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
    expect(() => q.putNowait('W')).toThrow(QueueClosed);
    expect(await q.get()).toBe('L');
    q.taskDone();
    expect(q.getNowait()).toBe('O');
    q.taskDone();
    await q.join(); // no unfinished task
    expect(await settle(q.get())).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
    expect(() => q.getNowait()).toThrow(QueueClosed);
  });

  // test_shutdown_immediate_all_methods_in_one_thread
  it('test_shutdown_immediate_all_methods_in_one_thread', async () => {
    const q = new Queue<string>();
    await q.put('L');
    await q.put('O');
    expect(await q.get()).toBe('L');
    q.close({ immediate: true });
    expect(await settle(q.put('E'))).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
    expect(() => q.putNowait('W')).toThrow(QueueClosed);
    expect(await settle(q.get())).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
    expect(() => q.getNowait()).toThrow(QueueClosed);
    q.taskDone(); // for 'L'; 'O' was dropped and counted done
    expect(() => q.taskDone()).toThrow(InvalidStateError);
    await q.join();
  });

  // _shutdown_put_join via test_shutdown_put_join / test_shutdown_immediate_put_join
  it.each([false, true])('test_shutdown%s_put_join', async (immediate) => {
    const q = new Queue<string>({ maxsize: 2 });
    await q.put('Y');
    await q.put('Z');
    const blockedPut = settle(q.put('W'));
    let joined = false;
    const joining = q.join().then(() => (joined = true));
    await flush();
    q.close({ immediate });
    expect(await blockedPut).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
    if (!immediate) {
      q.getNowait();
      q.getNowait();
      q.taskDone();
      await flush();
      expect(joined).toBe(false);
      q.taskDone();
    }
    await joining;
    expect(joined).toBe(true);
  });
});

describe('test_asyncio/test_queues.py', () => {
  // QueueBasicTests.test_empty / test_full
  it('test_empty and test_full', () => {
    const q = new Queue<number>({ maxsize: 1 });
    expect(q.empty()).toBe(true);
    q.putNowait(1);
    expect(q.empty()).toBe(false);
    expect(q.full()).toBe(true);
    expect(new Queue<number>().full()).toBe(false);
  });

  // QueueBasicTests.test_maxsize: putters block at maxsize and go on as getters take.
  it('test_maxsize', async () => {
    const q = new Queue<number>({ maxsize: 2 });
    expect(q.maxsize).toBe(2);
    const haveBeenPut: number[] = [];
    const putter = (async () => {
      for (let i = 0; i < 3; i++) {
        await q.put(i);
        haveBeenPut.push(i);
      }
    })();
    await flush();
    expect(haveBeenPut).toEqual([0, 1]);
    expect(q.getNowait()).toBe(0);
    await putter;
    expect(haveBeenPut).toEqual([0, 1, 2]);
    expect(q.full()).toBe(true);
  });

  // QueueGetTests.test_blocking_get_wait / test_nonblocking_get_exception
  it('test_blocking_get_wait and test_nonblocking_get_exception', async () => {
    const q = new Queue<number>();
    expect(() => q.getNowait()).toThrow(QueueEmpty);
    const getting = q.get();
    await flush();
    q.putNowait(1);
    expect(await getting).toBe(1);
  });

  // QueueGetTests.test_get_cancelled_race: an aborted getter does not take the next item.
  it('test_get_cancelled_race', async () => {
    const q = new Queue<string>();
    const controller = new AbortController();
    const t1 = settle(q.get({ signal: controller.signal }));
    const t2 = q.get();
    await flush();
    controller.abort(new Error('cancelled'));
    q.putNowait('a');
    expect((await t1).ok).toBe(false);
    expect(await t2).toBe('a');
  });

  // QueueGetTests.test_get_with_waiting_putters
  it('test_get_with_waiting_putters', async () => {
    const q = new Queue<string>({ maxsize: 1 });
    await q.put('a');
    const putting = q.put('b');
    await flush();
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    await putting;
  });

  // QueueGetTests.test_why_are_getters_waiting: a getter cancelled after its wake-up passes it on.
  it('test_why_are_getters_waiting', async () => {
    const q = new Queue<number>({ maxsize: 1 });
    const controller = new AbortController();
    const first = settle(q.get({ signal: controller.signal }));
    const second = q.get();
    q.putNowait(1);
    controller.abort(new Error('cancelled'));
    expect((await first).ok).toBe(false);
    expect(await second).toBe(1);
  });

  // QueueGetTests.test_get_cancel_drop_one_pending_reader / _many_pending_readers (bpo-31331).
  it('test_get_cancel_drop_many_pending_readers', async () => {
    const q = new Queue<number>();
    const controller = new AbortController();
    const reader1 = settle(q.get({ signal: controller.signal }));
    const reader2 = q.get();
    const reader3 = q.get();
    q.putNowait(1);
    q.putNowait(2);
    controller.abort(new Error('cancelled'));
    expect((await reader1).ok).toBe(false);
    // The item handed to the cancelled reader is not lost: it goes on to the next reader.
    expect(await reader2).toBe(2);
    expect(await reader3).toBe(1);
    expect(q.size).toBe(0);
  });

  // QueuePutTests.test_cancelled_puts_not_being_held_in_self_putters
  it('test_cancelled_puts_not_being_held_in_self_putters', async () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    const controller = new AbortController();
    const putting = settle(q.put(2, { signal: controller.signal }));
    await flush();
    controller.abort(new Error('cancelled'));
    expect((await putting).ok).toBe(false);
    expect(q.getNowait()).toBe(1);
    q.putNowait(3); // the aborted putter holds no slot
    expect(q.size).toBe(1);
  });

  // QueuePutTests.test_put_with_waiting_getters / test_nonblocking_put_exception
  it('test_put_with_waiting_getters and test_nonblocking_put_exception', async () => {
    const q = new Queue<string>({ maxsize: 1 });
    const getting = q.get();
    await flush();
    await q.put('a');
    expect(await getting).toBe('a');
    q.putNowait('b');
    expect(() => q.putNowait('c')).toThrow(QueueFull);
  });

  // QueuePutTests.test_blocking_put_wait / test_unfinished / test_task_done_underflow
  it('test_unfinished and test_task_done_underflow', async () => {
    const q = new Queue<number>();
    expect(() => q.taskDone()).toThrow(InvalidStateError);
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    expect(() => q.taskDone()).toThrow(InvalidStateError);
  });

  // _QueueJoinTestMixin.test_task_done / test_join_empty_queue
  it('test_task_done and test_join_empty_queue', async () => {
    const q = new Queue<number>();
    await q.join();
    await q.join();
    let accumulator = 0;
    const running = deferred();
    const worker = async (): Promise<void> => {
      await running.promise;
      for await (const item of q) accumulator += item;
    };
    const workers = [worker(), worker()];
    for (let i = 0; i < 100; i++) q.putNowait(i);
    running.resolve();
    await q.join();
    expect(accumulator).toBe(4950);
    q.close();
    await Promise.all(workers);
  });

  // _QueueShutdownTestMixin.test_shutdown_immediate_with_unfinished
  it('test_shutdown_immediate_with_unfinished', async () => {
    const q = new Queue<string>();
    await q.put('data');
    await q.put('data');
    await q.get();
    let joined = false;
    const joining = q.join().then(() => (joined = true));
    q.close({ immediate: true });
    await flush();
    expect(joined).toBe(false);
    q.taskDone();
    await joining;
  });

  // _QueueShutdownTestMixin.test_shutdown_empty: waiting getters and putters are released.
  it('test_shutdown releases waiting getters and putters', async () => {
    const empty = new Queue<number>();
    const getter = settle(empty.get());
    const full = new Queue<number>({ maxsize: 1 });
    full.putNowait(1);
    const putter = settle(full.put(2));
    await flush();
    empty.close();
    full.close();
    expect(await getter).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
    expect(await putter).toMatchObject({ ok: false, error: expect.any(QueueClosed) });
  });
});
