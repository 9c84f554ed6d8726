/**
 * One `Subprocess`'s stdout as another's stdin, like a shell pipe (the seed's encrypt-then-hash
 * chain).
 *
 * The parent must not keep a reading copy of the pipe: it would steal input from the next child
 * and, holding the read end open, would keep SIGPIPE from ever reaching the writer (the seed's
 * `encrypt_proc.stdout.close()`). So handing a stdout over passes its descriptor to the new
 * child and closes the parent's copy at once; the first `Subprocess` then has no `stdout`.
 *
 * If the parent already buffered part of that output (Node starts reading a child's stdout as
 * soon as it exists), passing the descriptor would lose those bytes, so the hand-off falls back
 * to copying through the parent, buffered bytes first. Any other readable stream given as stdin
 * is copied the same way; a stream with a descriptor of its own (a file, a socket) is passed.
 *
 * @module
 */

import type { StdioNull, StdioPipe } from 'node:child_process';
import { Readable, Stream } from 'node:stream';
import { describeValue } from '../../core/validate.js';

/**
 * How one of the child's standard streams is connected: `'pipe'`, `'inherit'`, `'ignore'`, a
 * file descriptor, or a stream (for stdin: another `Subprocess`'s stdout, handed over).
 *
 * @example
 * ```ts
 * import { spawn } from 'loom/subprocess';
 * const first = spawn(['echo', 'hi']);
 * const second = spawn(['cat'], { stdin: first.stdout!, stderr: 'inherit' });
 * ```
 */
export type StdioOption = StdioPipe | StdioNull | number | Stream;

/** Piped stdouts of running `Subprocess`es, each with the callback that gives it up. */
const owners = new WeakMap<Readable, (close: boolean) => void>();

/**
 * Registers a `Subprocess`'s stdout so that another `spawn` can take it over; `release(close)`
 * detaches it from its `Subprocess` and, when `close`, destroys the parent's copy.
 */
export function offerStdout(stream: Readable, release: (close: boolean) => void): void {
  owners.set(stream, release);
}

/** Withdraws the offer (the stream is being read by its own `Subprocess`). */
export function withdrawStdout(stream: Readable): void {
  owners.delete(stream);
}

/** Throws `TypeError` unless `value` is a valid stdio option. */
export function checkStdio(name: string, value: unknown): asserts value is StdioOption | undefined {
  if (value === undefined || value === 'pipe' || value === 'inherit' || value === 'ignore') return;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return;
  if (value instanceof Stream) return;
  throw new TypeError(expectation(name, value));
}

function expectation(name: string, value: unknown): string {
  return `Expected \`${name}\` to be 'pipe', 'inherit', 'ignore', a file descriptor or a stream, got ${describeValue(value)}`;
}

/** True when Node can hand `stream`'s own descriptor to a child (it wraps a libuv handle or an fd). */
function hasDescriptor(stream: Stream): boolean {
  // `_handle` is Node's documented-by-behaviour way `spawn` recognises a socket or pipe stream.
  const probe = stream as Stream & { _handle?: unknown; fd?: unknown };
  return (probe._handle !== undefined && probe._handle !== null) || typeof probe.fd === 'number';
}

/** How `spawn` connects stdin: what Node gets, and a stream to copy in through a pipe, if any. */
export interface StdinPlan {
  readonly node: StdioOption;
  /** Copied into the child's stdin by the parent. */
  readonly copyFrom: Readable | undefined;
  /** Called once the child exists: closes the parent's copy of a handed-over stdout. */
  readonly afterSpawn: (() => void) | undefined;
}

/** Decides how `stdin` reaches the child (see the module comment). */
export function planStdin(stdin: StdioOption): StdinPlan {
  if (!(stdin instanceof Readable)) return { node: stdin, copyFrom: undefined, afterSpawn: undefined };
  const release = owners.get(stdin);
  if (release !== undefined) owners.delete(stdin);
  if (stdin.readableLength === 0 && hasDescriptor(stdin) && !stdin.destroyed) {
    return { node: stdin, copyFrom: undefined, afterSpawn: release === undefined ? undefined : () => release(true) };
  }
  return { node: 'pipe', copyFrom: stdin, afterSpawn: release === undefined ? undefined : () => release(false) };
}
