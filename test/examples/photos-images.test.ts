/**
 * The photo example's pictures: the generator is deterministic and checks its arguments; the
 * task module (called here in-process, as a thread would) encodes, scales and measures real
 * JPEGs and refuses what is not one.
 */

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSize, MAX_SIDE, photoPixels, random32 } from '../../examples/photos/images.js';
import { generate, measure, thumbnail } from '../../examples/photos/thumbnail.js';
import { isTransfer, type Transfer } from '../../src/workers/transfer.js';

const SMALL = { width: 64, height: 48 };

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The value inside a task's `withTransfer` result, checked to own its whole `ArrayBuffer`. */
function unwrap(result: Transfer<Uint8Array>): Uint8Array {
  expect(isTransfer(result)).toBe(true);
  expect(result.transferList).toEqual([result.value.buffer]);
  expect(result.value.byteOffset).toBe(0);
  expect(result.value.byteLength).toBe(result.value.buffer.byteLength);
  return result.value;
}

describe('random32', () => {
  it('is a deterministic stream of floats in [0, 1)', () => {
    const a = random32(7);
    const b = random32(7);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(values);
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(new Set(values).size).toBe(1000);
    expect(random32(8)()).not.toBe(random32(7)());
  });
});

describe('photoPixels', () => {
  it('makes the same opaque pixels from the same seed and index', () => {
    const pixels = photoPixels(55, 3, SMALL);
    expect(pixels.length).toBe(64 * 48 * 4);
    expect(sha(photoPixels(55, 3, SMALL))).toBe(sha(pixels));
    for (let i = 3; i < pixels.length; i += 4) expect(pixels[i]).toBe(255);
  });

  it('makes a different picture for another index or seed', () => {
    const base = sha(photoPixels(55, 3, SMALL));
    expect(sha(photoPixels(55, 4, SMALL))).not.toBe(base);
    expect(sha(photoPixels(56, 3, SMALL))).not.toBe(base);
  });

  it('has detail, not a flat colour', () => {
    const pixels = photoPixels(1, 0, SMALL);
    const reds = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4) reds.add(pixels[i] ?? 0);
    expect(reds.size).toBeGreaterThan(20);
  });

  it('makes a one-pixel picture', () => {
    expect(photoPixels(0, 0, { width: 1, height: 1 })).toHaveLength(4);
  });

  it('refuses bad arguments', () => {
    expect(() => photoPixels(-1, 0, SMALL)).toThrow(new RangeError('Expected `seed` to be an integer >= 0, got `-1` (number)'));
    expect(() => photoPixels(0, 1.5, SMALL)).toThrow(new RangeError('Expected `index` to be an integer >= 0, got `1.5` (number)'));
    expect(() => photoPixels(0, 0, null as never)).toThrow(new TypeError('Expected `size` to be a `{ width, height }` object, got `null`'));
    expect(() => photoPixels(0, 0, { width: 0, height: 1 })).toThrow(new RangeError('Expected `size.width` to be an integer >= 1, got `0` (number)'));
    expect(() => photoPixels(0, 0, { width: 1, height: '2' } as never)).toThrow(new TypeError('Expected `size.height` to be an integer >= 1, got `"2"` (string)'));
    expect(() => checkSize('photo', { width: MAX_SIDE + 1, height: 1 })).toThrow(new RangeError(`Expected \`photo.width\` to be an integer from 1 to ${MAX_SIDE}, got \`${MAX_SIDE + 1}\` (number)`));
  });
});

describe('the task module', () => {
  it('generates the same JPEG from the same arguments, of the size asked', async () => {
    const jpeg = unwrap(await generate(55, 0, 96, 72));
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(sha(unwrap(await generate(55, 0, 96, 72)))).toBe(sha(jpeg));
    expect(sha(unwrap(await generate(55, 1, 96, 72)))).not.toBe(sha(jpeg));
    expect(await measure(jpeg)).toEqual({ width: 96, height: 72 });
  });

  it('makes a thumbnail of exactly the size asked, whatever the aspect ratio', async () => {
    const jpeg = unwrap(await generate(55, 0, 96, 72));
    expect(await measure(unwrap(await thumbnail(jpeg, 24, 18)))).toEqual({ width: 24, height: 18 });
    expect(await measure(unwrap(await thumbnail(jpeg, 20, 20)))).toEqual({ width: 20, height: 20 });
  });

  it('reads a photo that sits inside a larger buffer', async () => {
    const jpeg = unwrap(await generate(55, 0, 32, 24));
    const padded = new Uint8Array(jpeg.length + 20);
    padded.set(jpeg, 10);
    expect(await measure(padded.subarray(10, 10 + jpeg.length))).toEqual({ width: 32, height: 24 });
  });

  it('rejects what is not a JPEG, or a truncated one', async () => {
    const jpeg = unwrap(await generate(55, 0, 32, 24));
    await expect(measure(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
    await expect(thumbnail(jpeg.subarray(0, 40), 8, 8)).rejects.toThrow();
    await expect(measure('a string' as never)).rejects.toThrow(new TypeError('Expected an image as a Uint8Array, got string'));
  });
});
