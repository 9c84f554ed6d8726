/**
 * The photo pipeline's test pictures: RGBA pixels made from a seed and an index only, so that
 * every run serves the same photos byte for byte, with no file and no network. A picture is a
 * diagonal two-colour gradient, a few soft discs, fine stripes and a little noise: enough
 * detail that a JPEG encoder and decoder do real work (a flat colour would compress to nothing
 * and make the CPU stage trivial), cheap enough to make in a few milliseconds per megapixel.
 *
 * This file has no dependency: the worker task module (`thumbnail.ts`) encodes the pixels.
 *
 * @module
 */

import { checkInteger, expectation } from '../../src/core/validate.js';

/** The largest side of a generated picture: 4096 x 4096 x 4 bytes is 64 MiB of pixels. */
export const MAX_SIDE = 4096;

/** A picture's size in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * mulberry32: a 32-bit PRNG with a full 2^32 period, the usual choice for seeded test data.
 * Returns a function yielding floats in [0, 1).
 */
export function random32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Throws `TypeError`/`RangeError` (STYLE 13) unless `size` is a {@link Size} with sides in 1..{@link MAX_SIDE}. */
export function checkSize(name: string, size: unknown): asserts size is Size {
  if (typeof size !== 'object' || size === null) throw new TypeError(expectation(name, 'a `{ width, height }` object', size));
  const { width, height } = size as Record<string, unknown>;
  for (const [side, value] of [['width', width], ['height', height]] as const) {
    checkInteger(`${name}.${side}`, value, 1);
    if (value > MAX_SIDE) throw new RangeError(expectation(`${name}.${side}`, `an integer from 1 to ${MAX_SIDE}`, value));
  }
}

/** One soft disc of a picture. */
interface Disc {
  readonly x: number;
  readonly y: number;
  readonly r2: number;
  readonly rgb: readonly [number, number, number];
}

/**
 * The RGBA pixels (row-major, 4 bytes a pixel, opaque) of photo `index` of the set made from
 * `seed`: the same arguments give the same bytes on every machine (a seeded PRNG, and only
 * `+ - * /` and rounding on doubles, which IEEE 754 makes exact-same everywhere).
 *
 * @example
 * ```ts
 * const pixels = photoPixels(55, 0, { width: 320, height: 240 });
 * pixels.length; // 320 * 240 * 4
 * ```
 */
export function photoPixels(seed: number, index: number, size: Size): Uint8Array {
  checkInteger('seed', seed, 0);
  checkInteger('index', index, 0);
  checkSize('size', size);
  const { width, height } = size;
  // The pair (seed, index) picks the stream; Math.imul spreads neighbouring indexes apart.
  const next = random32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
  const byte = (): number => Math.floor(next() * 256);
  const from = [byte(), byte(), byte()] as const;
  const to = [byte(), byte(), byte()] as const;
  const discs: Disc[] = Array.from({ length: 3 + Math.floor(next() * 4) }, () => {
    const r = (0.05 + next() * 0.2) * Math.min(width, height);
    return { x: next() * width, y: next() * height, r2: r * r, rgb: [byte(), byte(), byte()] };
  });
  const stripe = 3 + Math.floor(next() * 6);
  const pixels = new Uint8Array(width * height * 4);
  const span = Math.max(1, width + height - 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / span;
      let r = from[0] + (to[0] - from[0]) * t;
      let g = from[1] + (to[1] - from[1]) * t;
      let b = from[2] + (to[2] - from[2]) * t;
      for (const disc of discs) {
        const dx = x - disc.x;
        const dy = y - disc.y;
        const d2 = dx * dx + dy * dy;
        if (d2 < disc.r2) {
          // Opaque at the centre, fading to the background at the rim.
          const w = 1 - d2 / disc.r2;
          r += (disc.rgb[0] - r) * w;
          g += (disc.rgb[1] - g) * w;
          b += (disc.rgb[2] - b) * w;
        }
      }
      const shade = ((x + 2 * y) / stripe) & 1 ? 12 : -12;
      const noise = byte() / 16 - 8;
      const at = (y * width + x) * 4;
      // Uint8Array clamps nothing (it wraps), so clamp here.
      pixels[at] = clamp(r + shade + noise);
      pixels[at + 1] = clamp(g + shade + noise);
      pixels[at + 2] = clamp(b + shade + noise);
      pixels[at + 3] = 255;
    }
  }
  return pixels;
}

function clamp(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}
