/**
 * The stage buffer: FIFO within its capacity, a rendezvous at capacity 0, putters admitted in
 * call order, room for the pump, drain-then-close, and an abort that releases everyone.
 */

import { describe, expect, it } from 'vitest';
import { Channel, DONE, EMPTY } from '../../src/pipeline/channel.js';
import { Turns } from '../../src/pipeline/turns.js';

describe('Channel', () => {
  it('buffers up to capacity in FIFO order, then parks putters in call order', async () => {
    const channel = new Channel<number>(2);
    expect(channel.put(1)).toBe(true);
    expect(channel.put(2)).toBe(true);
    const third = channel.put(3);
    const fourth = channel.put(4);
    expect(third).toBeInstanceOf(Promise);
    expect(channel.hasRoom()).toBe(false);
    expect(channel.tryTake()).toBe(1);
    expect(await third).toBe(true);
    expect([channel.tryTake(), channel.tryTake(), channel.tryTake(), channel.tryTake()]).toEqual([2, 3, 4, EMPTY]);
    expect(await fourth).toBe(true);
    expect(channel.peak).toBe(2);
  });

  it('at capacity 0 hands each item straight to a taker, and a putter waits for one', async () => {
    const channel = new Channel<string>(0);
    expect(channel.room()).toBeInstanceOf(Promise);
    const put = channel.put('a');
    expect(channel.size).toBe(0);
    expect(channel.tryTake()).toBe('a');
    expect(await put).toBe(true);
    const taken = channel.take();
    expect(channel.room()).toBeUndefined();
    expect(channel.put('b')).toBe(true);
    expect(await taken).toBe('b');
    expect(channel.peak).toBe(0);
  });

  it('room() waits until a take frees a slot or a taker parks', async () => {
    const channel = new Channel<number>(1);
    void channel.put(1);
    let roomy = false;
    void channel.room()?.then(() => (roomy = true));
    await Promise.resolve();
    expect(roomy).toBe(false);
    channel.tryTake();
    await Promise.resolve();
    expect(roomy).toBe(true);
  });

  it('close() lets takers drain, then gives DONE', async () => {
    const channel = new Channel<number>(2);
    const parked = channel.take();
    void channel.put(1);
    expect(await parked).toBe(1);
    void channel.put(2);
    channel.close();
    expect(channel.tryTake()).toBe(2);
    expect(channel.tryTake()).toBe(DONE);
    const idle = new Channel<number>(1);
    const waiting = idle.take();
    idle.close();
    expect(await waiting).toBe(DONE);
  });

  it('abort() drops the buffer and releases takers, putters and the room waiter at once', async () => {
    const full = new Channel<number>(1);
    void full.put(1);
    const putter = full.put(2);
    const room = full.room();
    full.abort();
    expect(await putter).toBe(false);
    await room;
    expect(full.tryTake()).toBe(DONE);
    expect(full.put(3)).toBe(false);
    expect(full.size).toBe(0);
    const empty = new Channel<number>(1);
    const taker = empty.take();
    empty.abort();
    expect(await taker).toBe(DONE);
  });
});

describe('Turns', () => {
  it('lets index i go only after every index before it, and releases all on abort', async () => {
    const turns = new Turns(3);
    const order: number[] = [];
    const wait2 = turns.wait(2)?.then(() => order.push(2));
    const wait1 = turns.wait(1)?.then(() => order.push(1));
    expect(turns.wait(0)).toBeUndefined();
    turns.advance();
    await wait1;
    turns.advance();
    await wait2;
    expect(order).toEqual([1, 2]);
    const late = turns.wait(5);
    turns.abort();
    await late;
    expect(turns.wait(9)).toBeUndefined();
  });
});
