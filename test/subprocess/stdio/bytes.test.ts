import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ByteBuffer } from '../../../src/subprocess/stdio/bytes.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** `count` distinct chunks of `size` random bytes each. */
function chunks(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, () => randomBytes(size));
}

describe('ByteBuffer', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is empty until something arrives', () => {
    const bytes = new ByteBuffer(100);
    expect(bytes.length).toBe(0);
    expect(bytes.bytes()).toEqual(Buffer.alloc(0));
  });

  it('keeps a single chunk as it came, without copying it', () => {
    const chunk = randomBytes(64 * KiB);
    const bytes = new ByteBuffer(Infinity);
    bytes.append(chunk);
    const result = bytes.bytes();
    expect(result.equals(chunk)).toBe(true);
    expect([result.buffer, result.byteOffset]).toEqual([chunk.buffer, chunk.byteOffset]);
  });

  it('grows across thousands of chunks and returns exactly the bytes, in order', () => {
    const parts = [...chunks(1000, 4 * KiB), randomBytes(1), ...chunks(100, 64 * KiB + 3)];
    const bytes = new ByteBuffer(Infinity);
    for (const part of parts) bytes.append(part);
    const expected = Buffer.concat(parts);
    expect(bytes.length).toBe(expected.length);
    expect(bytes.bytes().equals(expected)).toBe(true);
  });

  it('returns the same bytes as joining the chunks, for any chunks, and earlier results never change', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 5000 }), { maxLength: 60 }), fc.nat({ max: 60 }), (arrays, at) => {
        const parts = arrays.map((array) => Buffer.from(array));
        const bytes = new ByteBuffer(Infinity);
        let early: Buffer | undefined;
        for (const [i, part] of parts.entries()) {
          if (i === at) early = bytes.bytes();
          bytes.append(part);
        }
        expect(bytes.bytes().equals(Buffer.concat(parts))).toBe(true);
        expect(early?.equals(Buffer.concat(parts.slice(0, at))) ?? true).toBe(true);
      }),
    );
  });

  it('never allocates past its limit', () => {
    const limit = 5 * MiB + 7;
    const parts = [...chunks(80, 64 * KiB), randomBytes(7)];
    const bytes = new ByteBuffer(limit);
    for (const part of parts) bytes.append(part);
    const result = bytes.bytes();
    expect(result.equals(Buffer.concat(parts))).toBe(true);
    expect(result.buffer.byteLength).toBe(limit);
  });

  it('grows geometrically: 4 MiB in 64 KiB chunks takes a handful of allocations', () => {
    const allocate = vi.spyOn(Buffer, 'allocUnsafeSlow');
    const bytes = new ByteBuffer(Infinity);
    for (const part of chunks(64, 64 * KiB)) bytes.append(part);
    expect(allocate.mock.calls.map(([size]) => size)).toEqual([512 * KiB, 4 * MiB]);
  });

  it('trims a small result that left much spare capacity', () => {
    const parts = [randomBytes(64 * KiB), randomBytes(1)];
    const bytes = new ByteBuffer(Infinity);
    for (const part of parts) bytes.append(part);
    const result = bytes.bytes();
    expect(result.equals(Buffer.concat(parts))).toBe(true);
    expect(result.buffer.byteLength).toBe(64 * KiB + 1);
    bytes.append(Buffer.from('more'));
    expect(bytes.bytes().equals(Buffer.concat([...parts, Buffer.from('more')]))).toBe(true);
    expect(result.equals(Buffer.concat(parts))).toBe(true);
  });

  it('takes only what it needs when the spare capacity cannot be allocated', () => {
    const allocate = vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementationOnce(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    const parts = [randomBytes(10 * KiB), randomBytes(3)];
    const bytes = new ByteBuffer(Infinity);
    for (const part of parts) bytes.append(part);
    expect(allocate.mock.calls.map(([size]) => size)).toEqual([80 * KiB, 10 * KiB + 3]);
    expect(bytes.bytes().equals(Buffer.concat(parts))).toBe(true);
  });

  it('throws when not even the needed bytes can be allocated, keeping what it had', () => {
    const fail = (): never => {
      throw new RangeError('Array buffer allocation failed');
    };
    // Twice: the spare capacity, then the bytes needed (vitest itself allocates too, so no more).
    vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementationOnce(fail).mockImplementationOnce(fail);
    const first = randomBytes(100);
    const bytes = new ByteBuffer(Infinity);
    bytes.append(first);
    expect(() => bytes.append(randomBytes(1))).toThrow(new RangeError('Array buffer allocation failed'));
    expect(bytes.length).toBe(100);
    expect(bytes.bytes().equals(first)).toBe(true);
  });
});
