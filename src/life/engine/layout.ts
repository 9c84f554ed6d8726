/**
 * The large-grid engine's memory layout, shared by the main thread and the band workers
 * (STYLE 3: the SharedArrayBuffer layout lives in its own file, with named constants).
 *
 * One `SharedArrayBuffer` holds two planes of `height * rowWords(width)` 32-bit words, one bit
 * per cell (1 alive, 0 empty), row-major: cell `x` of a row is bit `x % 32` of the row's word
 * `x / 32`. Generation `g` lives in plane `g % 2`; stepping reads one plane and writes the
 * other, so no cell is ever read and written in the same generation — the seed's "get from the
 * previous grid, set on the next grid", in place.
 *
 * Every row begins on a word of its own, so two threads stepping different rows never write
 * the same word. The padding bits of each row's last word (`x >= width`) are always 0: the
 * stepper masks them out of every row it writes.
 *
 * A 1000x1000 generation is 125 KiB (4096x4096: 2 MiB), so the two planes of a mid-sized grid
 * stay in a core's L2 cache. With one byte per cell (the previous layout, 8x the memory) they
 * did not fit a 1 MiB L2, and two processes each stepping their own 1000x1000 byte grid, one
 * per vCPU of this machine, ran one of them 1.6x slower than alone.
 *
 * @module
 */

/** Words of one row: the width rounded up to a whole number of 32-bit words. */
export function rowWords(width: number): number {
  return Math.ceil(width / 32);
}

/** Words of one plane (one generation). */
export function planeWords(height: number, width: number): number {
  return height * rowWords(width);
}

/** What a band worker needs to rebuild its views of the planes: posted as is (a SharedArrayBuffer is shared, not copied). */
export interface LifeBuffers {
  readonly buffer: SharedArrayBuffer;
  readonly height: number;
  readonly width: number;
}

/** Allocates the two planes for a `height` x `width` grid, all empty. */
export function allocateLifeBuffers(height: number, width: number): LifeBuffers {
  return { buffer: new SharedArrayBuffer(2 * planeWords(height, width) * Int32Array.BYTES_PER_ELEMENT), height, width };
}

/** The word view of plane `parity` (0 or 1). */
export function plane(buffers: LifeBuffers, parity: number): Int32Array {
  const words = planeWords(buffers.height, buffers.width);
  return new Int32Array(buffers.buffer, (parity & 1) * words * Int32Array.BYTES_PER_ELEMENT, words);
}

/** Cell `x` of the row that starts at word `row` of `cells` (a plane): 1 alive, 0 empty. */
export function rowCell(cells: Int32Array, row: number, x: number): number {
  return ((cells[row + (x >>> 5)] as number) >>> (x & 31)) & 1;
}

/** Cell `x` of row `y` in `cells` (a plane of a grid `width` wide): 1 alive, 0 empty. */
export function cellAt(cells: Int32Array, width: number, y: number, x: number): number {
  return rowCell(cells, y * rowWords(width), x);
}

/** Living cells in `cells` (a plane): the bits set, padding bits being 0. */
export function countAlive(cells: Int32Array): number {
  let count = 0;
  for (const word of cells) {
    // Population count of one word, by summing bits in ever wider fields (Hacker's Delight 5-1).
    let v = word - ((word >>> 1) & 0x5555_5555);
    v = (v & 0x3333_3333) + ((v >>> 2) & 0x3333_3333);
    v = (v + (v >>> 4)) & 0x0f0f_0f0f;
    count += Math.imul(v, 0x0101_0101) >>> 24;
  }
  return count;
}

/** Rows `[y0, y1)` of band `band` when `height` rows are cut into `count` bands differing by at most one row. */
export function bandRows(height: number, count: number, band: number): [number, number] {
  return [Math.floor((band * height) / count), Math.floor(((band + 1) * height) / count)];
}

/**
 * Bands per thread. Enough that a faster thread can take more of them than a slower one (the
 * point of the tickets, see `band-worker.ts`), few enough that each stays a long run of rows.
 * Measured at 1000x1000 on 2 threads: with 2 or with 8 bands per thread the engine stayed within
 * a few percent of two threads stepping fixed halves without ever waiting (the bench's
 * "fixed halves, no waits" row); 8 evens out unequal cores in finer steps.
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
