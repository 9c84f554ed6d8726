/**
 * The photo example's end check fails on every way a pipeline can get its deliveries wrong:
 * a photo missing, uploaded twice, of the wrong size, undecodable, or one that never existed.
 */

import { describe, expect, it } from 'vitest';
import { findProblems, verifyUploads, type Measured } from '../../examples/photos/check.js';
import type { Upload } from '../../examples/photos/server.js';

const THUMB = { width: 80, height: 60 };

/** `count` photos each uploaded once, all of the right size. */
function clean(count: number): { uploads: Map<number, number>; sizes: Map<number, Measured> } {
  return {
    uploads: new Map(Array.from({ length: count }, (_, i) => [i, 1])),
    sizes: new Map(Array.from({ length: count }, (_, i) => [i, THUMB])),
  };
}

describe('findProblems', () => {
  it('finds nothing when every photo arrived once at the right size', () => {
    const { uploads, sizes } = clean(4);
    expect(findProblems(4, uploads, sizes, THUMB)).toEqual([]);
  });

  it('names a photo never uploaded', () => {
    const { uploads, sizes } = clean(4);
    uploads.delete(2);
    expect(findProblems(4, uploads, sizes, THUMB)).toEqual(['photo 2: never uploaded']);
  });

  it('names a photo uploaded twice', () => {
    const { uploads, sizes } = clean(4);
    uploads.set(0, 2);
    expect(findProblems(4, uploads, sizes, THUMB)).toEqual(['photo 0: uploaded 2 times']);
  });

  it('names a wrong size, an undecodable upload and one not measured', () => {
    const { uploads, sizes } = clean(4);
    sizes.set(1, { width: 80, height: 61 });
    sizes.set(2, { error: 'SOI not found' });
    sizes.delete(3);
    expect(findProblems(4, uploads, sizes, THUMB)).toEqual(['photo 1: 80x61, expected 80x60', 'photo 2: the upload does not decode (SOI not found)', 'photo 3: not measured']);
  });

  it('names uploads of photos that do not exist, in order', () => {
    const { uploads, sizes } = clean(2);
    uploads.set(9, 1);
    uploads.set(2, 1);
    expect(findProblems(2, uploads, sizes, THUMB)).toEqual(['photo 2: uploaded, but there is no such photo', 'photo 9: uploaded, but there is no such photo']);
  });

  it('finds every photo missing when nothing arrived', () => {
    expect(findProblems(2, new Map(), new Map(), THUMB)).toEqual(['photo 0: never uploaded', 'photo 1: never uploaded']);
  });
});

describe('verifyUploads', () => {
  const upload = (count: number, byte: number): Upload => ({ count, bytes: new Uint8Array([byte]) });

  it('measures each upload and applies the rule', async () => {
    const uploads = new Map([
      [0, upload(1, 80)],
      [1, upload(3, 80)],
      [2, upload(1, 79)],
    ]);
    const measure = async (bytes: Uint8Array): Promise<{ width: number; height: number }> => ({ width: bytes[0] ?? 0, height: 60 });
    expect(await verifyUploads(4, uploads, THUMB, measure)).toEqual(['photo 1: uploaded 3 times', 'photo 2: 79x60, expected 80x60', 'photo 3: never uploaded']);
  });

  it('counts a measure that rejects as an undecodable upload', async () => {
    const measure = (): Promise<never> => Promise.reject(new Error('corrupt'));
    expect(await verifyUploads(1, new Map([[0, upload(1, 0)]]), THUMB, measure)).toEqual(['photo 0: the upload does not decode (corrupt)']);
  });
});
