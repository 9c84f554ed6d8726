/**
 * The large-grid engine's memory layout, shared by the main thread and the band workers
 * (STYLE 3: the SharedArrayBuffer layout lives in its own file, with named constants).
 *
 * One `SharedArrayBuffer` holds two planes of `height * stride` bytes, one byte per cell
 * (1 alive, 0 empty), row-major. Generation `g` lives in plane `g % 2`; stepping reads one plane
 * and writes the other, so no cell is ever read and written in the same generation — the seed's
 * "get from the previous grid, set on the next grid", in place.
 *
 * `stride` is the width rounded up to a multiple of 4 and each plane starts at a multiple of 4,
 * so every row begins on a 32-bit word: the stepper decides four cells at a time through a
 * `Uint32Array` view. The padding bytes of each row (`width <= x < stride`) are always 0: the
 * stepper masks them out of the last word of each row it writes.
 *
 * Rejected alternative: one bit per cell (8x less memory and bit-sliced adders, the fastest
 * known software step) — the conversion at every band edge and the sub-word wrap-around for
 * widths that are not multiples of 32 cost more code than the 2x it would add here.
 *
 * @module
 */

/** Bytes of one row: the width rounded up to a whole number of 32-bit words. */
export function rowStride(width: number): number {
  return Math.ceil(width / 4) * 4;
}

/** Bytes of one plane (one generation). */
export function planeBytes(height: number, width: number): number {
  return height * rowStride(width);
}

/** What a band worker needs to rebuild its views of the planes: posted as is (a SharedArrayBuffer is shared, not copied). */
export interface LifeBuffers {
  readonly buffer: SharedArrayBuffer;
  readonly height: number;
  readonly width: number;
}

/** Allocates the two planes for a `height` x `width` grid, all empty. */
export function allocateLifeBuffers(height: number, width: number): LifeBuffers {
  return { buffer: new SharedArrayBuffer(2 * planeBytes(height, width)), height, width };
}

/** The byte view of plane `parity` (0 or 1). */
export function plane(buffers: LifeBuffers, parity: number): Uint8Array {
  const bytes = planeBytes(buffers.height, buffers.width);
  return new Uint8Array(buffers.buffer, (parity & 1) * bytes, bytes);
}

/** `[y0, y1)` row ranges that cover `height` rows in `parts` bands differing by at most one row; no empty band. */
export function bands(height: number, parts: number): [number, number][] {
  const count = Math.max(1, Math.min(parts, height));
  const result: [number, number][] = [];
  for (let i = 0; i < count; i++) result.push([Math.floor((i * height) / count), Math.floor(((i + 1) * height) / count)]);
  return result;
}

/**
 * The band workers' progress words (see `band-worker.ts`): one `Int32Array` slot per band, in
 * its own `SharedArrayBuffer`. Bits `0..29` of band `i`'s word count the generations whose edge
 * rows band `i` has written in the current step, modulo 2^30 (a neighbour is never more than
 * one generation apart, so the count only has to tell `c - 1`, `c` and `c + 1` apart, and a
 * step may run any number of generations). Bit 30 is set by the main thread to stop the step;
 * it is never cleared within a step. Only band `i` increments word `i`; the main thread resets
 * every word to 0 before a step, while no band runs.
 */
export const PROGRESS_COUNT_MASK = 0x3fff_ffff;
/** The stop flag in a progress word: the step was given up or a band failed. */
export const PROGRESS_STOPPED = 0x4000_0000;

/** A zeroed progress word per band. */
export function allocateProgress(bandCount: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(bandCount * Int32Array.BYTES_PER_ELEMENT));
}
