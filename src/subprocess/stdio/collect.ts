/**
 * Capturing a child's output: copied as it arrives into one growing buffer for `'buffer'` (see
 * `bytes.ts`: nothing is joined at the end, and each chunk read from the pipe dies young), or
 * decoded as it arrives for `'utf8'` (a `StringDecoder` keeps characters split across chunks
 * whole). `snapshot()` returns what has
 * arrived so far without disturbing the capture, which is what makes a retried
 * `communicate()` lose nothing (CPython keeps its reader threads running the same way).
 *
 * Rejected: `stream.toArray()` / `text()` helpers, which cannot enforce `maxBuffer` while
 * reading nor report partial output on a timeout.
 *
 * @module
 */

import type { Readable } from 'node:stream';
import { ByteBuffer } from './bytes.js';
import { closeOf } from './closing.js';
import { StringDecoder } from 'node:string_decoder';

/**
 * How output is returned: decoded as UTF-8 (the default) or raw.
 *
 * @example
 * ```ts
 * import { run } from 'loom/subprocess';
 * const { stdout } = await run(['head', '-c', '4', '/dev/urandom'], { encoding: 'buffer' }); // a Buffer
 * ```
 */
export type Encoding = 'utf8' | 'buffer';

/**
 * The output type for an encoding: `string` for `'utf8'`, `Buffer` for `'buffer'`.
 *
 * @example
 * ```ts
 * import type { Output } from 'loom/subprocess';
 * const bytes: Output<'buffer'> = Buffer.alloc(0);
 * ```
 */
export type Output<E extends Encoding> = E extends 'buffer' ? Buffer : string;

/** A `'readable'` listener that only marks a stream as claimed; see {@link holdOutput}. */
const hold = (): void => {};

/**
 * Keeps the unread output of a child that exited. On `'exit'` Node resumes every stdio stream
 * nobody reads (`flushStdio`), discarding what the child wrote, so `communicate()` after the
 * child ended would find nothing (Python keeps it in the pipe). A stream with a `'readable'`
 * listener is not set flowing by that `resume()`, so this adds one, on streams that nobody
 * reads yet; a {@link Collector} removes it. Call it from the `'exit'` listener.
 */
export function holdOutput(stream: Readable): void {
  if (stream.readableFlowing !== true && !stream.destroyed) stream.on('readable', hold);
}

/** Collects one stream's output until it closes. */
export class Collector {
  /** The raw bytes, for `'buffer'`; `undefined` for `'utf8'`. */
  readonly #bytes: ByteBuffer | undefined;
  /** Decoded text so far, for `'utf8'`. */
  #text = '';
  readonly #decoder: StringDecoder | undefined;
  /** Bytes received; compared with `maxBuffer`. */
  #received = 0;
  /** Resolves once the stream closed (end of file, or destroyed). */
  readonly done: Promise<void>;

  /** @param overflow is called once, when more than `maxBuffer` bytes arrived; collection stops then. */
  constructor(stream: Readable, encoding: Encoding, maxBuffer: number, overflow: () => void) {
    this.#decoder = encoding === 'utf8' ? new StringDecoder('utf8') : undefined;
    this.#bytes = encoding === 'buffer' ? new ByteBuffer(maxBuffer) : undefined;
    // 'close' (not 'end'): once it fired the descriptor is closed, so a finished conversation
    // holds nothing. It is watched from the stream's creation, so a stream that closed before
    // this collector came is done at once; a premature close (destroyed after a timeout or on
    // `maxBuffer`) also ends collection.
    this.done = closeOf(stream);
    const onData = (chunk: Buffer): void => {
      this.#received += chunk.length;
      if (this.#received > maxBuffer) {
        stream.off('data', onData);
        const keep = chunk.subarray(0, chunk.length - (this.#received - maxBuffer));
        if (this.#add(keep, stream)) {
          stream.destroy();
          overflow();
        }
        return;
      }
      this.#add(chunk, stream);
    };
    stream.off('readable', hold);
    stream.on('data', onData);
    // A 'readable' listener (holdOutput's, or `lines()`'s) left the stream paused; 'data' alone would not restart it.
    stream.resume();
  }

  /**
   * Keeps `chunk`; returns false when there was no memory for it, after destroying `stream` with
   * that error (so that `communicate` reports it rather than a `'data'` listener throwing).
   */
  #add(chunk: Buffer, stream: Readable): boolean {
    if (this.#decoder !== undefined) {
      this.#text += this.#decoder.write(chunk);
      return true;
    }
    try {
      this.#bytes?.append(chunk);
      return true;
    } catch (error) {
      // `as`: `Buffer.allocUnsafeSlow` throws only Errors (a RangeError when out of memory).
      stream.destroy(error as Error);
      return false;
    }
  }

  /**
   * Everything received so far; after `done`, everything. Repeatable. A `Buffer` shares memory
   * with later snapshots and the final output (see `ByteBuffer.bytes`).
   */
  snapshot(): string | Buffer {
    return this.#bytes?.bytes() ?? this.#text;
  }

  /** Everything, with a character cut at the end of the stream decoded as U+FFFD. Call once, after `done`. */
  finish(): string | Buffer {
    if (this.#decoder !== undefined) this.#text += this.#decoder.end();
    return this.snapshot();
  }
}

/** The empty output for an encoding, for a stream that was not captured. */
export function emptyOutput(encoding: Encoding): string | Buffer {
  return encoding === 'utf8' ? '' : Buffer.alloc(0);
}
