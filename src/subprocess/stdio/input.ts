/**
 * Feeding a child's stdin, then closing it.
 *
 * A child may exit without reading all its input (`head -n 1`, or a command that fails at
 * once). Writing to it then fails with EPIPE (or ECONNRESET: Node's stdio pipes are socket
 * pairs); like CPython's `communicate`, which ignores `BrokenPipeError`, that is not an error of
 * the caller: the input is simply not needed any more. Every other failure is reported. The
 * stream keeps one permanent `error` listener (see `guardStdin`) so that a late EPIPE can never
 * become an unhandled `'error'` event that kills the parent.
 *
 * @module
 */

import { createReadStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeValue } from '../../core/validate.js';

/**
 * What `input` may be: text (written as UTF-8), bytes, a readable stream or any (async)
 * iterable of chunks (streamed with backpressure), or `{ file }` (streamed from that file).
 *
 * @example
 * ```ts
 * import { run } from 'loom/subprocess';
 * await run(['wc', '-c'], { input: { file: '/etc/hostname' } });
 * ```
 */
export type Input =
  | string
  | Uint8Array
  | Readable
  | AsyncIterable<string | Uint8Array>
  | Iterable<Uint8Array>
  | {
      /** The file whose contents are streamed to the child's stdin. */
      readonly file: string | URL;
    };

/** True for the errors a write to a child that stopped reading produces. */
export function isBrokenPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_STREAM_DESTROYED';
}

/** Throws `TypeError` unless `input` is one of the {@link Input} forms. */
export function checkInput(input: unknown): asserts input is Input | undefined {
  if (input === undefined || typeof input === 'string' || input instanceof Uint8Array) return;
  if (typeof input === 'object' && input !== null) {
    if (Symbol.asyncIterator in input || Symbol.iterator in input) return;
    const file = (input as { file?: unknown }).file;
    if (typeof file === 'string' || file instanceof URL) return;
  }
  throw new TypeError(
    `Expected \`input\` to be a string, a Uint8Array, a readable stream, an iterable or { file }, got ${describeValue(input)}`,
  );
}

/**
 * Installs the permanent `error` listener on a child's stdin: a broken pipe is ignored, any
 * other error is handed to `report`.
 */
export function guardStdin(stdin: Writable, report: (error: unknown) => void): void {
  stdin.on('error', (error) => {
    if (!isBrokenPipe(error)) report(error);
  });
}

/** Writes `input` (if any) to `stdin` and closes it; resolves when done or when the child stopped reading. */
export async function feed(stdin: Writable, input: Input | undefined): Promise<void> {
  try {
    if (input === undefined) {
      stdin.end();
    } else if (typeof input === 'string' || input instanceof Uint8Array) {
      // One write of the caller's own buffer: no copy, and Node keeps it until the child took it.
      await new Promise<void>((resolve) => {
        stdin.end(input, () => resolve());
        stdin.once('close', resolve);
      });
    } else if ('file' in input) {
      await pipeline(createReadStream(input.file), stdin);
    } else {
      await pipeline(input, stdin);
    }
  } catch (error) {
    if (!isBrokenPipe(error)) throw error;
  }
}
