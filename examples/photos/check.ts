/**
 * The photo pipeline's end check: after a run, the server must hold exactly one upload for
 * each photo, none for a photo that does not exist, and each upload must decode to a picture
 * of the thumbnail size. A pipeline that lost an item, delivered one twice or passed on a
 * corrupt result fails here, whatever its statistics say.
 *
 * `findProblems` is the pure rule (counts and measured sizes in, messages out); `verifyUploads`
 * measures the uploads with the caller's decoder (the worker pool's `measure`) and applies it.
 *
 * @module
 */

import type { Size } from './images.js';
import type { Upload } from './server.js';

/** What was measured of one upload: its decoded size, or why it did not decode. */
export type Measured = Size | { readonly error: string };

/**
 * The problems found with a run's uploads, in photo order (empty when all is well): a photo
 * never uploaded, uploaded more than once, of the wrong size or not decodable, and an upload
 * of a photo index that was never served (`count` photos: 0 to `count - 1`).
 *
 * @example
 * ```ts
 * findProblems(2, new Map([[0, 1]]), new Map([[0, { width: 80, height: 60 }]]), { width: 80, height: 60 });
 * // ['photo 1: never uploaded']
 * ```
 */
export function findProblems(count: number, uploads: ReadonlyMap<number, number>, sizes: ReadonlyMap<number, Measured>, expected: Size): string[] {
  const problems: string[] = [];
  for (let index = 0; index < count; index++) {
    const times = uploads.get(index) ?? 0;
    if (times === 0) {
      problems.push(`photo ${index}: never uploaded`);
      continue;
    }
    if (times > 1) problems.push(`photo ${index}: uploaded ${times} times`);
    const size = sizes.get(index);
    if (size === undefined) problems.push(`photo ${index}: not measured`);
    else if ('error' in size) problems.push(`photo ${index}: the upload does not decode (${size.error})`);
    else if (size.width !== expected.width || size.height !== expected.height) {
      problems.push(`photo ${index}: ${size.width}x${size.height}, expected ${expected.width}x${expected.height}`);
    }
  }
  const strays = [...uploads.keys()].filter((index) => !(Number.isInteger(index) && index >= 0 && index < count)).sort((a, b) => a - b);
  for (const index of strays) problems.push(`photo ${index}: uploaded, but there is no such photo`);
  return problems;
}

/**
 * Measures each upload with `measure` (a rejection counts as "does not decode") and returns
 * {@link findProblems}' verdict.
 *
 * @example
 * ```ts
 * const problems = await verifyUploads(32, server.uploads('pipelined'), { width: 160, height: 120 }, (bytes) => pool.run('measure', [bytes]));
 * ```
 */
export async function verifyUploads(
  count: number,
  uploads: ReadonlyMap<number, Upload>,
  expected: Size,
  measure: (bytes: Uint8Array) => Promise<Size>,
): Promise<string[]> {
  const entries = [...uploads];
  const sizes = await Promise.all(
    entries.map(async ([index, upload]): Promise<readonly [number, Measured]> => {
      try {
        return [index, await measure(upload.bytes)];
      } catch (error) {
        return [index, { error: error instanceof Error ? error.message : String(error) }];
      }
    }),
  );
  return findProblems(count, new Map(entries.map(([index, upload]) => [index, upload.count])), new Map(sizes), expected);
}
