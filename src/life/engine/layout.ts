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

/** Rows `[y0, y1)` of band `band` when `height` rows are cut into `count` bands differing by at most one row. */
export function bandRows(height: number, count: number, band: number): [number, number] {
  return [Math.floor((band * height) / count), Math.floor(((band + 1) * height) / count)];
}

/**
 * Bands per thread. Enough that a faster thread can take more of them than a slower one (the
 * point of the tickets, see `band-worker.ts`), few enough that each stays a long run of rows:
 * measured at 1000x1000 on 2 threads, 4, 8 and 16 bands per thread step alike.
 */
export const BANDS_PER_THREAD = 8;

/**
 * A step's control words (see `band-worker.ts`): one `Int32Array` in its own
 * `SharedArrayBuffer`. Word `TICKET` hands out the segment's tasks in order; word
 * `bandWord(b)` counts the generations band `b` has reached in the segment. The main thread
 * sets them all to 0 before a segment, while no thread runs, and sets `STOPPED` in every word
 * to stop the step; it is never cleared within a step.
 */
export const TICKET = 0;
/** The stop flag in a control word: the step was given up or a task failed. */
export const STOPPED = 0x4000_0000;
/**
 * Most tasks (bands x generations) in one segment; a longer step runs in several. The ticket
 * word then never reaches `STOPPED` by counting (each thread takes one ticket past the end),
 * so a ticket at or above the task count means "no more work" whether or not the step stopped.
 */
export const SEGMENT_TASKS = 2 ** 29;

/** The generations of each segment of a `generations`-generation step over `bands` bands, in order. */
export function* segments(generations: number, bands: number): Generator<number, void, undefined> {
  const most = Math.floor(SEGMENT_TASKS / bands);
  for (let left = generations; left > 0; left -= most) yield Math.min(left, most);
}

/** The index of band `band`'s count in the control words. */
export function bandWord(band: number): number {
  return 1 + band;
}

/** Zeroed control words for `bandCount` bands. */
export function allocateControl(bandCount: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(bandWord(bandCount) * Int32Array.BYTES_PER_ELEMENT));
}
