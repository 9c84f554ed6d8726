/**
 * Reading arguments from a byte stream (`::::` files, stdin): one argument a line, or one per
 * NUL-terminated record with `null` (`-0`), as GNU parallel reads them. A final record without
 * its terminator still counts; an empty line is an empty argument; with lines, a `\r` before
 * the `\n` is kept (GNU keeps it too).
 *
 * Limit: a record longer than `maxArgLength` characters fails the read with an
 * `InputLimitError` as soon as the pending bytes pass the bound (before they are copied into
 * a string), so an endless line costs at most the bound. Memory held: the bound plus one chunk.
 *
 * @module
 */

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { checkInteger, checkOptions } from '../core/validate.js';
import { DEFAULT_MAX_ARG_LENGTH, InputLimitError } from './limits.js';

/** Options of {@link readArguments}. */
export interface ReadArgumentsOptions {
  /** Records end with NUL instead of newline (GNU's `-0` / `--null`). Default false. */
  readonly null?: boolean | undefined;
  /** Most characters in one record. Default 131,072. */
  readonly maxArgLength?: number | undefined;
  /** Names the source in errors (`'stdin'`, a file name). Default `'input'`. */
  readonly name?: string | undefined;
}

/**
 * The arguments in `stream`, one per line (or NUL-terminated record), as they arrive.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { parallel, readArguments } from 'loom/parallel';
 * declare const path: string;
 * for await (const job of parallel('gzip {}', [readArguments(createReadStream(path))])) console.log(job.seq, job.exitCode);
 * ```
 */
export async function* readArguments(stream: Readable | AsyncIterable<Uint8Array | string>, opts?: ReadArgumentsOptions): AsyncGenerator<string, void, undefined> {
  checkOptions('options', opts);
  const max = opts?.maxArgLength ?? DEFAULT_MAX_ARG_LENGTH;
  checkInteger('maxArgLength', max, 1);
  const separator = opts?.null === true ? '\0' : '\n';
  const name = opts?.name ?? 'input';
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let count = 0;
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = pending.indexOf(separator); end !== -1; end = pending.indexOf(separator, start)) {
      if (end - start > max) throw tooLong(name, count + 1, max);
      count++;
      yield pending.slice(start, end);
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > max) throw tooLong(name, count + 1, max);
  }
  pending += decoder.end();
  if (pending.length > max) throw tooLong(name, count + 1, max);
  if (pending !== '') yield pending;
}

function tooLong(name: string, index: number, max: number): InputLimitError {
  return new InputLimitError(`Argument ${index} of ${name} is longer than maxArgLength (${max} characters)`);
}
