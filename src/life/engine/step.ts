/**
 * The engine's compact step over byte planes (see `layout.ts`), for one band of rows.
 *
 * For each row, the three rows around it (wrapping at the top and bottom edges) are summed
 * column by column four cells at a time: a `Uint32Array` add of three words cannot carry from
 * one byte into the next, since each byte sums at most three 1s. A sliding window over those
 * column sums then gives `t`, the 3x3 block's population *including* the cell, and the next
 * state is a table lookup: alive iff `t == 3`, or `t == 4` and the cell is alive — Conway's rule
 * restated for `t = neighbours + self`. The left and right wrap-around are the window's two
 * ends, copied from the row's far columns.
 *
 * On a tiny torus the same neighbour is summed several times (width 1: left, self and right
 * are one column), which is exactly what the seed's `count_neighbors` counts, so `simulate`'s
 * answers hold for every size.
 *
 * @module
 */

import { rowStride } from './layout.js';

/** Next state by `(t << 1) | alive`, `t` the 3x3 population including the cell (0..9). */
const RULE = new Uint8Array(20);
RULE[(3 << 1) | 0] = 1; // empty with 3 neighbours: regenerate
RULE[(3 << 1) | 1] = 1; // alive with 2 neighbours: keep living
RULE[(4 << 1) | 1] = 1; // alive with 3 neighbours: keep living

/** Per-thread scratch for one row's column sums; reused across rows and generations. */
export interface StepScratch {
  /** Column sums of the current row: byte `4 + x` is column `x`; bytes 3 and `4 + width` hold the wrapped-around ends. */
  readonly bytes: Uint8Array;
  /** The same memory as 32-bit words, starting at byte 4 (column 0). */
  readonly words: Uint32Array;
}

/** Scratch space for rows `width` cells wide. */
export function stepScratch(width: number): StepScratch {
  const stride = rowStride(width);
  const buffer = new ArrayBuffer(stride + 8);
  return { bytes: new Uint8Array(buffer), words: new Uint32Array(buffer, 4, stride >> 2) };
}

/**
 * Writes rows `[y0, y1)` of the next generation into `dst` from the whole current generation
 * in `src` (both `height * rowStride(width)` bytes, 4-byte aligned).
 */
export function stepRows(src: Uint8Array, dst: Uint8Array, height: number, width: number, y0: number, y1: number, scratch: StepScratch): void {
  const stride = rowStride(width);
  const words = stride >> 2;
  const src32 = new Uint32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
  const { bytes: sums, words: sums32 } = scratch;
  for (let y = y0; y < y1; y++) {
    const mid = y * stride;
    const up = (y === 0 ? height - 1 : y - 1) * stride;
    const down = (y === height - 1 ? 0 : y + 1) * stride;
    const midWord = mid >> 2;
    const upWord = up >> 2;
    const downWord = down >> 2;
    for (let i = 0; i < words; i++) {
      // Indexes are in bounds: each row is `words` words long; `| 0` keeps the sum a small integer.
      sums32[i] = ((src32[upWord + i] as number) + (src32[midWord + i] as number) + (src32[downWord + i] as number)) | 0;
    }
    sums[3] = sums[3 + width] as number;
    sums[4 + width] = sums[4] as number;
    let t = sums[3] + (sums[4] as number) + (sums[5] as number);
    for (let x = 0; x < width; x++) {
      dst[mid + x] = RULE[(t << 1) | (src[mid + x] as number)] ?? 0;
      // Past the last column this reads a padding or scratch byte; the sum is never used then.
      t += (sums[x + 6] ?? 0) - (sums[x + 3] as number);
    }
  }
}
