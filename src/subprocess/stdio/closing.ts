/**
 * When a child's pipe is really closed. A socket's `closed` flag turns true before its
 * descriptor is released; only the `'close'` event says the descriptor is gone, and it cannot
 * be asked about afterwards. So every piped stream gets one `'close'` watcher as soon as it
 * exists, and everyone who needs to know awaits the same promise.
 *
 * @module
 */

import type { Stream } from 'node:stream';

const closings = new WeakMap<Stream, Promise<void>>();

/** Starts watching `stream` for `'close'`; call once, right after the stream is created. */
export function watchClose(stream: Stream): void {
  closings.set(
    stream,
    new Promise<void>((resolve) => {
      stream.once('close', resolve);
    }),
  );
}

/** Resolves once `stream` emitted `'close'` (at once for a stream nobody watched). */
export function closeOf(stream: Stream): Promise<void> {
  return closings.get(stream) ?? Promise.resolve();
}
