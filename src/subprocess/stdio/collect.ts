/**
 * Capturing a child's output: chunks are kept as the OS delivered them and joined once at the
 * end (one copy for `'buffer'`), or decoded as they arrive (no copy of raw bytes for `'utf8'`;
 * a `StringDecoder` keeps characters split across chunks whole). `snapshot()` returns what has
 * arrived so far without disturbing the capture, which is what makes a retried
 * `communicate()` lose nothing (CPython keeps its reader threads running the same way).
 *
 * Rejected: `stream.toArray()` / `text()` helpers, which cannot enforce `maxBuffer` while
 * reading nor report partial output on a timeout.
 *
 * @module
 */

import type { Readable } from 'node:stream';
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
  readonly #encoding: Encoding;
  /** Raw chunks, for `'buffer'`; empty for `'utf8'`. */
  readonly #chunks: Buffer[] = [];
  /** Decoded text so far, for `'utf8'`. */
  #text = '';
  readonly #decoder: StringDecoder | undefined;
  /** Bytes received; compared with `maxBuffer`. */
  #bytes = 0;
  /** Resolves once the stream closed (end of file, or destroyed). */
  readonly done: Promise<void>;

  /** @param overflow is called once, when more than `maxBuffer` bytes arrived; collection stops then. */
  constructor(stream: Readable, encoding: Encoding, maxBuffer: number, overflow: () => void) {
    this.#encoding = encoding;
    this.#decoder = encoding === 'utf8' ? new StringDecoder('utf8') : undefined;
    // 'close' (not 'end'): once it fired the descriptor is closed, so a finished conversation
    // holds nothing. It is watched from the stream's creation, so a stream that closed before
    // this collector came is done at once; a premature close (destroyed after a timeout or on
    // `maxBuffer`) also ends collection.
    this.done = closeOf(stream);
    const onData = (chunk: Buffer): void => {
      this.#bytes += chunk.length;
      if (this.#bytes > maxBuffer) {
        stream.off('data', onData);
        const keep = chunk.subarray(0, chunk.length - (this.#bytes - maxBuffer));
        this.#add(keep);
        stream.destroy();
        overflow();
        return;
      }
      this.#add(chunk);
    };
    stream.off('readable', hold);
    stream.on('data', onData);
    // A 'readable' listener (holdOutput's, or `lines()`'s) left the stream paused; 'data' alone would not restart it.
    stream.resume();
  }

  #add(chunk: Buffer): void {
    if (this.#decoder === undefined) this.#chunks.push(chunk);
    else this.#text += this.#decoder.write(chunk);
  }

  /** Everything received so far; after `done`, everything. Repeatable. */
  snapshot(): string | Buffer {
    if (this.#encoding === 'utf8') return this.#text;
    if (this.#chunks.length > 1) this.#chunks.splice(0, this.#chunks.length, Buffer.concat(this.#chunks));
    return this.#chunks[0] ?? Buffer.alloc(0);
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
