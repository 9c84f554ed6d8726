import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeOf, watchClose } from '../../../src/subprocess/stdio/closing.js';
import { Collector, type Encoding } from '../../../src/subprocess/stdio/collect.js';
import { flush } from '../../helpers.js';

/** A stream standing in for a child's stdout, watched for 'close' as `spawn` watches it. */
function pipe(): PassThrough {
  const stream = new PassThrough();
  watchClose(stream);
  return stream;
}

/** Starts collecting `stream`; `overflows` counts the calls of the overflow callback. */
function collect(stream: PassThrough, encoding: Encoding, maxBuffer = Infinity): { collector: Collector; overflows: () => number } {
  let count = 0;
  const collector = new Collector(stream, encoding, maxBuffer, () => count++);
  return { collector, overflows: () => count };
}

describe('Collector', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns every byte, in order, across many chunks (encoding: buffer)', async () => {
    const stream = pipe();
    const { collector } = collect(stream, 'buffer');
    const parts = Array.from({ length: 300 }, (_, i) => randomBytes(1 + ((i * 7919) % 70_000)));
    for (const part of parts) stream.write(part);
    stream.end();
    await collector.done;
    const output = collector.finish() as Buffer;
    expect(Buffer.isBuffer(output)).toBe(true);
    expect(output.equals(Buffer.concat(parts))).toBe(true);
  });

  it('snapshot() holds what arrived so far and later output adds to it (encoding: buffer)', async () => {
    const stream = pipe();
    const { collector } = collect(stream, 'buffer');
    expect(collector.snapshot()).toEqual(Buffer.alloc(0));
    const [a, b] = [randomBytes(100_000), randomBytes(300_000)];
    stream.write(a);
    await flush();
    const early = collector.snapshot() as Buffer;
    expect(early.equals(a)).toBe(true);
    stream.end(b);
    await collector.done;
    expect((collector.finish() as Buffer).equals(Buffer.concat([a, b]))).toBe(true);
    expect(early.equals(a)).toBe(true);
  });

  it('keeps characters split across chunks whole (encoding: utf8)', async () => {
    const stream = pipe();
    const { collector } = collect(stream, 'utf8');
    const euro = Buffer.from('€');
    stream.write(Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]));
    await flush();
    expect(collector.snapshot()).toBe('a');
    stream.write(euro.subarray(1, 2));
    stream.end(Buffer.concat([euro.subarray(2), Buffer.from('b'), euro.subarray(0, 2)]));
    await collector.done;
    expect(collector.finish()).toBe('a€b\uFFFD');
  });

  it('stops at maxBuffer in the middle of a chunk, keeping exactly maxBuffer bytes', async () => {
    const stream = pipe();
    const { collector, overflows } = collect(stream, 'buffer', 2500);
    const parts = [randomBytes(1000), randomBytes(1000), randomBytes(1000), randomBytes(1000)];
    for (const part of parts) stream.write(part);
    await collector.done;
    expect(stream.destroyed).toBe(true);
    expect(overflows()).toBe(1);
    expect((collector.finish() as Buffer).equals(Buffer.concat(parts).subarray(0, 2500))).toBe(true);
  });

  it('stops at maxBuffer within the first chunk, and at maxBuffer 0 (encoding: utf8 too)', async () => {
    for (const [encoding, maxBuffer, expected] of [['buffer', 3, Buffer.from('abc')], ['utf8', 0, '']] as const) {
      const stream = pipe();
      const { collector, overflows } = collect(stream, encoding, maxBuffer);
      stream.write('abcdef');
      await collector.done;
      expect(overflows()).toBe(1);
      expect(collector.finish()).toEqual(expected);
    }
  });

  it('an output of exactly maxBuffer bytes is no overflow', async () => {
    const stream = pipe();
    const { collector, overflows } = collect(stream, 'buffer', 2000);
    const parts = [randomBytes(1500), randomBytes(500)];
    for (const part of parts) stream.write(part);
    stream.end();
    await collector.done;
    expect(overflows()).toBe(0);
    expect((collector.finish() as Buffer).equals(Buffer.concat(parts))).toBe(true);
  });

  it('destroys the stream with the error when no memory can be had, instead of throwing from a listener', async () => {
    const real = Buffer.allocUnsafeSlow.bind(Buffer);
    // Only the sizes growth asks for ('first' then 'second': 40 spare, 11 needed); vitest allocates too.
    vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementation((size) => {
      if (size === 40 || size === 11) throw new RangeError('Array buffer allocation failed');
      return real(size);
    });
    const stream = pipe();
    const { collector, overflows } = collect(stream, 'buffer');
    const failed = once(stream, 'error');
    stream.write(Buffer.from('first'));
    stream.write(Buffer.from('second'));
    expect(await failed).toEqual([new RangeError('Array buffer allocation failed')]);
    await closeOf(stream);
    await collector.done;
    expect(overflows()).toBe(0);
    expect(collector.finish()).toEqual(Buffer.from('first'));
  });
});
