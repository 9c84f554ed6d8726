/**
 * The photo pipeline's task module: the functions a `WorkerPool` runs on its threads. They are
 * the CPU-bound part of the example, all in JavaScript (jimp, with jpeg-js underneath), which
 * is why threads make them faster: decoding a 1024x768 JPEG, scaling it down and encoding the
 * thumbnail takes about 0.37 s of CPU time.
 *
 * Bytes cross threads as `Uint8Array`s (a structured clone makes a `Buffer` one); results are
 * copied into an `ArrayBuffer` of their own and transferred back, never a slice of Node's
 * shared `Buffer` pool, which must not be transferred.
 *
 * A decoded picture is bounded before its pixels are allocated: jpeg-js refuses a picture over
 * {@link MAX_MEGAPIXELS} or one that would need over {@link MAX_DECODE_MB} of memory, so a
 * hostile upload or download costs one rejected task, not the thread.
 *
 * @module
 */

import { Jimp, JimpMime } from 'jimp';
import { withTransfer, type Transfer } from '../../src/workers/transfer.js';
import { MAX_SIDE, photoPixels, type Size } from './images.js';

/** The most pixels a decoded picture may have, in millions: a {@link MAX_SIDE}-pixel square. */
export const MAX_MEGAPIXELS = (MAX_SIDE * MAX_SIDE) / 1e6;
/** The most memory jpeg-js may allocate for one decode. */
export const MAX_DECODE_MB = 128;

/** JPEG quality of the generated photos and of the thumbnails (jpeg-js' scale, 1–100). */
const PHOTO_QUALITY = 85;
const THUMBNAIL_QUALITY = 80;

/** `bytes` as a `Buffer` over the same memory (jimp reads `Buffer`s). */
function asBuffer(bytes: Uint8Array): Buffer {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`Expected an image as a Uint8Array, got ${typeof bytes}`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes a JPEG within the bounds above (jimp's own, inferred type: spelling it out does not compile). */
function decode(bytes: Uint8Array) {
  return Jimp.fromBuffer(asBuffer(bytes), { 'image/jpeg': { maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: MAX_DECODE_MB } });
}

/** `buffer`'s bytes in an `ArrayBuffer` of their own, ready to transfer. */
function owned(buffer: Buffer): Transfer<Uint8Array> {
  const copy = new Uint8Array(buffer);
  return withTransfer(copy, [copy.buffer]);
}

/**
 * Photo `index` of the set made from `seed`, as a JPEG of `width` x `height`: the pixels of
 * `photoPixels`, encoded. Deterministic: the same arguments give the same bytes.
 *
 * @example
 * ```ts
 * const jpeg = await pool.run<Uint8Array>('generate', [55, 0, 1024, 768]);
 * ```
 */
export async function generate(seed: number, index: number, width: number, height: number): Promise<Transfer<Uint8Array>> {
  const size: Size = { width, height };
  const image = new Jimp({ width, height, data: Buffer.from(photoPixels(seed, index, size).buffer) });
  return owned(await image.getBuffer(JimpMime.jpeg, { quality: PHOTO_QUALITY }));
}

/**
 * The thumbnail of the JPEG `photo`: decoded, scaled to cover `width` x `height` (the middle is
 * kept when the aspect ratios differ, so the result is always exactly that size) and encoded
 * as a JPEG. Rejects when `photo` is not a JPEG or is over the decode bounds.
 *
 * @example
 * ```ts
 * const thumb = await pool.run<Uint8Array>('thumbnail', [jpeg, 160, 120]);
 * ```
 */
export async function thumbnail(photo: Uint8Array, width: number, height: number): Promise<Transfer<Uint8Array>> {
  const image = await decode(photo);
  image.cover({ w: width, h: height });
  return owned(await image.getBuffer(JimpMime.jpeg, { quality: THUMBNAIL_QUALITY }));
}

/**
 * The size of the JPEG `image`, found by decoding it whole (so a truncated or corrupt file
 * rejects rather than passing on its header alone).
 *
 * @example
 * ```ts
 * const { width, height } = await pool.run<Size>('measure', [thumb]);
 * ```
 */
export async function measure(image: Uint8Array): Promise<Size> {
  const decoded = await decode(image);
  return { width: decoded.bitmap.width, height: decoded.bitmap.height };
}
