/**
 * `WorkerPool.map`'s chunking: items go to the threads in slices, each slice one task whose
 * result is the array of its items' results, so that a million tiny items cost a few hundred
 * messages. The first failing slice aborts the others (one shared scope) and its error is the
 * result, as in p-map.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';
import { Deadline, type WaitOptions } from '../core/deadline.js';

/** Options of `WorkerPool.map`. */
export interface MapOptions extends WaitOptions {
  /** Items per message (default: about a quarter of `items / size`, from 1 to 4096). */
  readonly chunkSize?: number | undefined;
}

/** The largest automatic chunk: big enough to amortise a message, small enough to keep threads balanced. */
const MAX_AUTO_CHUNK = 4096;

/** Splits `items` (`chunkSize` already checked), runs each chunk with `runChunk`, and joins the results in order. */
export async function mapInChunks<R>(
  iterable: Iterable<unknown>,
  opts: MapOptions | undefined,
  size: number,
  runChunk: (chunk: unknown[], signal: AbortSignal) => Promise<R[]>,
): Promise<R[]> {
  const items = Array.isArray(iterable) ? (iterable as unknown[]) : [...iterable];
  if (opts?.signal?.aborted) throw opts.signal.reason;
  if (items.length === 0) return [];
  const chunkSize = opts?.chunkSize ?? Math.min(MAX_AUTO_CHUNK, Math.max(1, Math.ceil(items.length / (size * 4))));
  const scope = new Deadline(opts, 'WorkerPool.map');
  // One abort listener per chunk in flight, each removed when its chunk settles.
  setMaxListeners(0, scope.signal);
  try {
    const pending: Promise<R[]>[] = [];
    for (let start = 0; start < items.length && !scope.signal.aborted; start += chunkSize) {
      const chunk = runChunk(items.slice(start, start + chunkSize), scope.signal);
      pending.push(
        chunk.catch((error: unknown) => {
          scope.abort(error);
          throw error;
        }),
      );
    }
    if (scope.signal.aborted) throw scope.signal.reason;
    const parts = await Promise.all(pending);
    return parts.length === 1 ? (parts[0] as R[]) : parts.flat<R[][]>();
  } finally {
    scope.dispose();
  }
}
