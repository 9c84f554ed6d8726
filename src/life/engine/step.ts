/**
 * The engine's compact step over byte planes (see `layout.ts`), for one band of rows: four
 * cells per 32-bit word, every cell of a word decided by the same few integer operations
 * (SWAR, "SIMD within a register"), with no table lookup, no modulo and no per-cell branch.
 *
 * For word `i` of a row, `s` is the column sums of the three rows around it (wrapping at the
 * top and bottom edges): a `Uint32Array` add of three words cannot carry from one byte into
 * the next, since each byte sums at most three 1s. Shifting `s` one byte either way (pulling
 * in the edge byte of the previous and next word's sums, which stay in registers as the
 * window slides) and adding gives `t`, each byte the 3x3 population including the cell, at
 * most 9. Then `n = t - alive` is the neighbour count (no byte borrows: `t >= alive`), and
 * Conway's rule is `(n | alive) == 3` (3 neighbours, or 2 and alive), tested in every byte at
 * once with a zero-byte test on `(n | alive) ^ 3` (each byte below 16, so four right shifts
 * fold it into bit 0 without crossing into the next byte).
 *
 * The word pass treats column 0's left neighbour and column `width - 1`'s right neighbour as
 * empty; those two cells are then recomputed by a scalar step with the wrap-around, and the
 * padding bytes of the last word are masked back to 0. Keeping the wrap out of the word loop
 * is what keeps it branch-free. On a tiny torus the same neighbour is summed several times
 * (width 1: left, self and right are one column), which is exactly what the seed's
 * `count_neighbors` counts, so `simulate`'s answers hold for every size.
 *
 * Rejected alternatives: a byte-wise sliding window with a rule table (the previous stepper:
 * one load, one lookup and one store per cell, ~1.5x slower), and one bit per cell (see
 * `layout.ts`).
 *
 * @module
 */

import { rowStride } from './layout.js';

/** `0x01` in every byte of a word. */
const ONES = 0x01010101;
/** `0x03` in every byte: the `(n | alive)` of a cell that lives on or is born. */
const THREES = 0x03030303;

/**
 * Writes rows `[y0, y1)` of the next generation into `dst` from the whole current generation
 * in `src` (both `height * rowStride(width)` bytes, 4-byte aligned, padding bytes 0).
 */
export function stepRows(src: Uint8Array, dst: Uint8Array, height: number, width: number, y0: number, y1: number): void {
  const stride = rowStride(width);
  const words = stride >> 2;
  const src32 = new Uint32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
  const dst32 = new Uint32Array(dst.buffer, dst.byteOffset, dst.byteLength >> 2);
  // Bytes of the last word that are cells (the rest is padding): all four when width % 4 == 0.
  const tail = width & 3;
  const lastMask = tail === 0 ? -1 : (1 << (8 * tail)) - 1;
  for (let y = y0; y < y1; y++) {
    const mid = y * words;
    const up = (y === 0 ? height - 1 : y - 1) * words;
    const down = (y === height - 1 ? 0 : y + 1) * words;
    // Indexes are in bounds: each row is `words` words long. `| 0` keeps every value a small int32.
    let prev = 0;
    let sums = ((src32[up] as number) + (src32[mid] as number) + (src32[down] as number)) | 0;
    for (let i = 0; i < words; i++) {
      const j = i + 1;
      const next = j < words ? ((src32[up + j] as number) + (src32[mid + j] as number) + (src32[down + j] as number)) | 0 : 0;
      const alive = (src32[mid + i] as number) | 0;
      const total = (((sums << 8) | (prev >>> 24)) + sums + ((sums >>> 8) | (next << 24))) | 0;
      const match = ((total - alive) | alive) ^ THREES;
      dst32[mid + i] = ~(match | (match >>> 1) | (match >>> 2) | (match >>> 3)) & ONES;
      prev = sums;
      sums = next;
    }
    dst32[mid + words - 1] = (dst32[mid + words - 1] as number) & lastMask;
    edgeCell(src, dst, width, up << 2, mid << 2, down << 2, 0);
    if (width > 1) edgeCell(src, dst, width, up << 2, mid << 2, down << 2, width - 1);
  }
}

/** Recomputes column `x` of one row with the wrap-around (byte offsets of the three rows). */
function edgeCell(src: Uint8Array, dst: Uint8Array, width: number, up: number, mid: number, down: number, x: number): void {
  const left = x === 0 ? width - 1 : x - 1;
  const right = x === width - 1 ? 0 : x + 1;
  const column = (c: number): number => (src[up + c] as number) + (src[mid + c] as number) + (src[down + c] as number);
  const alive = src[mid + x] as number;
  const neighbors = column(left) + column(x) + column(right) - alive;
  dst[mid + x] = (neighbors | alive) === 3 ? 1 : 0;
}
