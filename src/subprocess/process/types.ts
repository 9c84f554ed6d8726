/**
 * The shapes `Subprocess` works with: what `spawn` builds it from, and what `communicate`
 * takes and returns.
 *
 * @module
 */

import type { ChildProcess } from 'node:child_process';
import type { WaitOptions } from '../../core/deadline.js';
import type { Settings } from '../arguments/options.js';
import type { SubprocessError } from '../results/errors.js';
import type { Encoding, Output } from '../stdio/collect.js';
import type { Input } from '../stdio/input.js';

/** What `spawn` builds a `Subprocess` from. */
export interface Parts {
  readonly child: ChildProcess;
  readonly argv: readonly string[];
  readonly settings: Settings;
  readonly describeStartError: (cause: NodeJS.ErrnoException) => SubprocessError;
  /** True when the parent copies a stream into the child's stdin itself, so the caller gets no `stdin`. */
  readonly stdinCopied: boolean;
}

/**
 * What `communicate()` returns: both streams' output in the `Subprocess`'s encoding.
 *
 * @example
 * ```ts
 * import { spawn, type Outputs } from 'loom/subprocess';
 * const outputs: Outputs<'buffer'> = await spawn(['cat'], { encoding: 'buffer' }).communicate({ input: 'x' });
 * ```
 */
export interface Outputs<E extends Encoding = 'utf8'> {
  /** Everything the child wrote to stdout; empty when stdout was not piped. */
  readonly stdout: Output<E>;
  /** Everything the child wrote to stderr; empty when stderr was not piped. */
  readonly stderr: Output<E>;
}

/**
 * Options of `communicate()`: the input to send (first call only) and how long to wait.
 *
 * @example
 * ```ts
 * import { spawn } from 'loom/subprocess';
 * const { stdout } = await spawn(['cat']).communicate({ input: 'hi', timeout: 1000 });
 * ```
 */
export interface CommunicateOptions extends WaitOptions {
  /** Written to stdin, which is then closed. See {@link Input}. */
  readonly input?: Input | undefined;
}
