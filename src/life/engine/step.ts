/**
 * The engine's compact step over bit planes (see `layout.ts`), for one band of rows: 32 cells
 * per 32-bit word, every cell of a word decided by the same few bitwise operations
 * ("bit-sliced": the neighbour count is added up as binary digits, each digit a whole word).
 *
 * For word `i` of a row, each of the three rows around it (wrapping at the top and bottom edges)
 * gives its word `c` and the words `l` and `r` whose bit `x` is the cell at `x - 1` and `x + 1`
 * (shifting one bit, pulling in the edge bit of the previous and next word, which stay in
 * registers as the window slides). A full adder turns the upper row's `l + c + r` into two
 * digit words `u1 u0`, the lower row's into `d1 d0`, and the middle row's `l + r` (not the cell
 * itself) into `m1 m0`. Adding the units gives `s0` and a carry `c0`, so the neighbour count is
 * `s0 + 2 * (u1 + m1 + d1 + c0)`. Conway's rule is "3 neighbours, or 2 and alive": both mean
 * exactly one of the four twos is set, with `s0` set or the cell alive, which is
 * `(u1 ^ m1 ^ d1 ^ c0) & ~((u1 & m1) | (d1 & c0))` (an odd number of them, and not three: three
 * set always fill one of the two pairs) `& (s0 | alive)`.
 *
 * The word pass treats column 0's left neighbour and column `width - 1`'s right neighbour as
 * empty; those two cells are then recomputed by a scalar step with the wrap-around, and the
 * padding bits of the last word are masked back to 0. Keeping the wrap out of the word loop is
 * what keeps it branch-free. On a tiny torus the same neighbour is summed several times (width
 * 1: left, self and right are one column), which is exactly what the seed's `count_neighbors`
 * counts, so `simulate`'s answers hold for every size.
 *
 * Rejected alternatives: one byte per cell stepped four at a time in 32-bit words (the previous
 * stepper: 8x the memory, so a 1000x1000 generation no longer fit a core's 1 MiB L2 cache, and
 * two threads slowed each other down), and a byte-wise sliding window with a rule table (one
 * load, one lookup and one store per cell).
 *
 * @module
 */

import { rowCell, rowWords } from './layout.js';

/**
 * Writes rows `[y0, y1)` of the next generation into `dst` from the whole current generation
 * in `src` (both `height * rowWords(width)` words, padding bits 0).
 */
export function stepRows(src: Int32Array, dst: Int32Array, height: number, width: number, y0: number, y1: number): void {
  const words = rowWords(width);
  // Bits of the last word that are cells (the rest is padding): all 32 when width % 32 == 0.
  const tail = width & 31;
  const lastMask = tail === 0 ? -1 : (1 << tail) - 1;
  for (let y = y0; y < y1; y++) {
    const mid = y * words;
    const up = (y === 0 ? height - 1 : y - 1) * words;
    const down = (y === height - 1 ? 0 : y + 1) * words;
    // Indexes are in bounds: each row is `words` words long. Every value is an int32.
    let upPrev = 0;
    let midPrev = 0;
    let downPrev = 0;
    let upWord = src[up] as number;
    let midWord = src[mid] as number;
    let downWord = src[down] as number;
    for (let i = 0; i < words; i++) {
      const j = i + 1;
      const upNext = j < words ? (src[up + j] as number) : 0;
      const midNext = j < words ? (src[mid + j] as number) : 0;
      const downNext = j < words ? (src[down + j] as number) : 0;
      // Bit x of `...L` is the cell at x - 1, of `...R` the cell at x + 1.
      const upL = (upWord << 1) | (upPrev >>> 31);
      const upR = (upWord >>> 1) | (upNext << 31);
      const downL = (downWord << 1) | (downPrev >>> 31);
      const downR = (downWord >>> 1) | (downNext << 31);
      const midL = (midWord << 1) | (midPrev >>> 31);
      const midR = (midWord >>> 1) | (midNext << 31);
      const upX = upL ^ upWord;
      const u0 = upX ^ upR;
      const u1 = (upL & upWord) | (upR & upX);
      const downX = downL ^ downWord;
      const d0 = downX ^ downR;
      const d1 = (downL & downWord) | (downR & downX);
      const m0 = midL ^ midR;
      const m1 = midL & midR;
      const unitsX = u0 ^ m0;
      const s0 = unitsX ^ d0;
      const c0 = (u0 & m0) | (d0 & unitsX);
      dst[mid + i] = (u1 ^ m1 ^ d1 ^ c0) & ~((u1 & m1) | (d1 & c0)) & (s0 | midWord);
      upPrev = upWord;
      midPrev = midWord;
      downPrev = downWord;
      upWord = upNext;
      midWord = midNext;
      downWord = downNext;
    }
    dst[mid + words - 1] = (dst[mid + words - 1] as number) & lastMask;
    edgeCell(src, dst, width, up, mid, down, 0);
    if (width > 1) edgeCell(src, dst, width, up, mid, down, width - 1);
  }
}

/** Recomputes column `x` of one row with the wrap-around (word offsets of the three rows). */
function edgeCell(src: Int32Array, dst: Int32Array, width: number, up: number, mid: number, down: number, x: number): void {
  const left = x === 0 ? width - 1 : x - 1;
  const right = x === width - 1 ? 0 : x + 1;
  const column = (c: number): number => rowCell(src, up, c) + rowCell(src, mid, c) + rowCell(src, down, c);
  const alive = rowCell(src, mid, x);
  const neighbors = column(left) + column(x) + column(right) - alive;
  const index = mid + (x >>> 5);
  const mask = 1 << (x & 31);
  dst[index] = (neighbors | alive) === 3 ? (dst[index] as number) | mask : (dst[index] as number) & ~mask;
}
