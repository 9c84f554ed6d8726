/**
 * The subprocess errors, shaped like their results (after Python's `subprocess` exceptions and
 * execa's `lib/return/message.js`): each carries the `argv` it is about and whatever output was
 * captured, and every message follows one template with the command last, pasteable into a shell:
 *
 *     command not found: frobnicate
 *     Command failed with exit code 3: sh -c 'exit 3'
 *     Command was killed with SIGTERM: sleep 10
 *     Command timed out after 1000 milliseconds: openssl dgst
 *
 * {@link TimeoutExpired} extends core's `TimeoutError`, so code that handles every loom timeout
 * handles this one too. Instances are always created at the point of failure.
 *
 * @module
 */

import { TimeoutError } from '../../core/errors.js';
import { formatCommand } from '../arguments/command.js';
import { signalName } from '../termination/signals.js';

/** Captured output: a `string`, or a `Buffer` with `encoding: 'buffer'`. */
export type OutputValue = string | Buffer;

/**
 * A command could not run to a result: it could not start (`code` is the OS error, e.g.
 * `'ENOENT'`), or its output exceeded `maxBuffer` (`code === 'MAXBUFFER'`, the child was killed).
 *
 * @example
 * ```ts
 * import { run, SubprocessError } from 'loom/subprocess';
 * try {
 *   await run(['frobnicate']);
 * } catch (error) {
 *   if (error instanceof SubprocessError) console.log(error.message); // command not found: frobnicate
 * }
 * ```
 */
export class SubprocessError extends Error {
  /** Always `'SubprocessError'`. */
  override name = 'SubprocessError';
  /** The command, as given. */
  readonly argv: readonly string[];
  /** The OS error code of a failed start (`'ENOENT'`, `'EACCES'`...), or `'MAXBUFFER'`. */
  readonly code: string | undefined;

  constructor(message: string, argv: readonly string[], code: string | undefined, options?: ErrorOptions) {
    super(message, options);
    this.argv = argv;
    this.code = code;
  }
}

/**
 * A command exited with a non-zero status (or was killed by a signal) where the caller asked for
 * `check` or `checkReturncode()`. Like Python's `subprocess.CalledProcessError`.
 *
 * @example
 * ```ts
 * import { run, CalledProcessError } from 'loom/subprocess';
 * const error = await run(['sh', '-c', 'echo oops >&2; exit 3'], { check: true }).catch((e: unknown) => e);
 * if (error instanceof CalledProcessError) console.log(error.returncode, error.stderr); // 3 'oops\n'
 * ```
 */
export class CalledProcessError extends Error {
  /** Always `'CalledProcessError'`. */
  override name = 'CalledProcessError';
  /** The command, as given. */
  readonly argv: readonly string[];
  /** The exit code, or `-N` when signal N killed the command. Never 0. */
  readonly returncode: number;
  /** Captured standard output (empty when it was not captured). */
  readonly stdout: OutputValue;
  /** Captured standard error (empty when it was not captured). */
  readonly stderr: OutputValue;

  constructor(argv: readonly string[], returncode: number, stdout: OutputValue, stderr: OutputValue) {
    const how = returncode < 0 ? `was killed with ${signalName(-returncode)}` : `failed with exit code ${returncode}`;
    super(`Command ${how}: ${formatCommand(argv)}`);
    this.argv = argv;
    this.returncode = returncode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/**
 * A command did not finish within its `timeout`. `stdout` and `stderr` hold what it had written
 * by then. From `run`, the child has been killed and reaped; from `Subprocess.communicate` or
 * `wait`, it is still running and a later `communicate()` carries on without losing output,
 * like Python's `subprocess.TimeoutExpired`.
 *
 * @example
 * ```ts
 * import { spawn, TimeoutExpired } from 'loom/subprocess';
 * await using proc = spawn(['sleep', '10']);
 * try {
 *   await proc.communicate({ timeout: 100 });
 * } catch (error) {
 *   if (!(error instanceof TimeoutExpired)) throw error;
 *   proc.terminate();
 *   console.log('Exit status', await proc.wait()); // Exit status -15
 * }
 * ```
 */
export class TimeoutExpired extends TimeoutError {
  /** Always `'TimeoutExpired'`. */
  override name = 'TimeoutExpired';
  /** The command, as given. */
  readonly argv: readonly string[];
  /** The timeout that expired, in milliseconds. */
  readonly timeout: number;
  /** Standard output written before the timeout (empty when it was not captured). */
  readonly stdout: OutputValue;
  /** Standard error written before the timeout (empty when it was not captured). */
  readonly stderr: OutputValue;

  /** @param command the command as printed, when it is not `argv` alone (a pipeline: `yes | head -n 1`). */
  constructor(argv: readonly string[], timeout: number, stdout: OutputValue, stderr: OutputValue, command = formatCommand(argv)) {
    super(`Command timed out after ${timeout} milliseconds: ${command}`);
    this.argv = argv;
    this.timeout = timeout;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/**
 * The error for a child that could not start, worded like a shell: `command not found: x`,
 * `permission denied: ./x`, or, when the working directory is missing, `no such directory: /x`.
 */
export function startError(argv: readonly string[], cause: NodeJS.ErrnoException, missingCwd: string | undefined): SubprocessError {
  const command = formatCommand(argv);
  const code = cause.code;
  let message: string;
  if (code === 'ENOENT' && missingCwd !== undefined) message = `no such directory: ${missingCwd} (cwd of ${command})`;
  else if (code === 'ENOENT') message = `command not found: ${command}`;
  else if (code === 'EACCES') message = `permission denied: ${command}`;
  else message = `Command could not start (${code ?? cause.message}): ${command}`;
  return new SubprocessError(message, argv, code, { cause });
}

/** `maxBuffer` exceeded: the child has been killed. */
export function maxBufferError(argv: readonly string[], stream: 'stdout' | 'stderr', maxBuffer: number): SubprocessError {
  return new SubprocessError(`Command ${stream} exceeded maxBuffer of ${maxBuffer} bytes: ${formatCommand(argv)}`, argv, 'MAXBUFFER');
}
