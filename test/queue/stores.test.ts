import { describe, expect, it } from 'vitest';
import { Heap } from '../../src/queue/heap.js';
import { RingBuffer } from '../../src/queue/ring-buffer.js';
import { Stack } from '../../src/queue/stack.js';

describe('RingBuffer', () => {
  it('keeps FIFO order across growth, wrap-around and shrinking', () => {
    const buffer = new RingBuffer<number>();
    const model: number[] = [];
    let next = 0;
    for (const [adds, takes] of [[10, 5], [40, 10], [100, 120], [3, 2], [200, 190], [0, 26]] as const) {
      for (let i = 0; i < adds; i++) {
        buffer.add(next);
        model.push(next++);
      }
      for (let i = 0; i < takes; i++) expect(buffer.take()).toBe(model.shift());
      expect(buffer.size).toBe(model.length);
    }
    expect(buffer.size).toBe(0);
  });

  it('puts returned items at the front, each behind those returned before it', () => {
    const buffer = new RingBuffer<string>();
    buffer.add('later');
    buffer.putBack('first');
    buffer.putBack('second');
    buffer.add('last');
    expect(buffer.take()).toBe('first');
    buffer.putBack('third'); // 'second' is still a returned item at the front
    expect([buffer.take(), buffer.take(), buffer.take(), buffer.take()]).toEqual(['second', 'third', 'later', 'last']);
    buffer.putBack('again'); // nothing returned is left: plain front
    buffer.add('z');
    expect([buffer.take(), buffer.take()]).toEqual(['again', 'z']);
  });

  it('grows when returned items fill it, and clears', () => {
    const buffer = new RingBuffer<number>();
    for (let i = 0; i < 16; i++) buffer.add(100 + i);
    for (let i = 0; i < 20; i++) buffer.putBack(i);
    const out: number[] = [];
    while (buffer.size > 0) out.push(buffer.take());
    expect(out).toEqual([...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 16 }, (_, i) => 100 + i)]);
    buffer.add(1);
    buffer.clear();
    expect(buffer.size).toBe(0);
    buffer.add(2);
    expect(buffer.take()).toBe(2);
  });
});

describe('Stack', () => {
  it('takes the newest first and puts returned items on top', () => {
    const stack = new Stack<number>();
    stack.add(1);
    stack.add(2);
    expect(stack.take()).toBe(2);
    stack.putBack(3);
    expect([stack.take(), stack.take()]).toEqual([3, 1]);
    stack.add(4);
    stack.clear();
    expect(stack.size).toBe(0);
  });
});

describe('Heap', () => {
  it('takes the smallest first, ties in insertion order, returned items ahead of their equals', () => {
    const heap = new Heap<{ p: number; id: number }>((a, b) => a.p - b.p);
    const items = Array.from({ length: 200 }, (_, id) => ({ p: (id * 7919) % 13, id }));
    for (const item of items) heap.add(item);
    heap.putBack({ p: 3, id: -1 });
    heap.putBack({ p: 3, id: -2 });
    // Array.prototype.sort is stable: by priority, returned items first (in return order), then insertion order.
    const expected = [{ p: 3, id: -1 }, { p: 3, id: -2 }, ...items].sort((a, b) => a.p - b.p);
    const out: { p: number; id: number }[] = [];
    while (heap.size > 0) out.push(heap.take());
    expect(out).toEqual(expected);
  });

  it('is left unchanged when the comparator throws during add or take', () => {
    let fail = false;
    const heap = new Heap<number>((a, b) => {
      if (fail) throw new Error('no');
      return a - b;
    });
    for (const n of [5, 3, 8, 1, 9, 2]) heap.add(n);
    fail = true;
    expect(() => heap.add(0)).toThrow('no');
    expect(() => heap.take()).toThrow('no');
    fail = false;
    expect(heap.size).toBe(6);
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.take());
    expect(out).toEqual([1, 2, 3, 5, 8, 9]);
    heap.add(1);
    heap.clear();
    expect(heap.size).toBe(0);
  });
});
