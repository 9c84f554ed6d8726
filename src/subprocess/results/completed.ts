/**
 * The result of a finished command, like Python's `subprocess.CompletedProcess`, with Node's
 * two views of the exit status beside Python's one.
 *
 * @module
 */

import type { Encoding, Output } from '../stdio/collect.js';
import { CalledProcessError } from './errors.js';
import { signalName } from '../termination/signals.js';

/**
 * A command that ran to its end. `returncode` is the exit code, or `-N` when signal N killed it
 * (Python's convention); `exitCode` and `signal` say the same thing Node's way.
 *
 * @example
 * ```ts
 * import { run } from 'loom/subprocess';
 * const result = await run(['echo', 'Hello from the child!']);
 * result.checkReturncode(); // no exception means clean exit
 * console.log(result.stdout); // Hello from the child!
 * ```
 */
export class CompletedProcess<E extends Encoding = 'utf8'> {
  /** The command, as given. */
  readonly argv: readonly string[];
  /** The exit code, or `-N` when signal N killed the command. */
  readonly returncode: number;
  /** Captured standard output (empty when not captured). */
  readonly stdout: Output<E>;
  /** Captured standard error (empty when not captured). */
  readonly stderr: Output<E>;

  constructor(argv: readonly string[], returncode: number, stdout: Output<E>, stderr: Output<E>) {
    this.argv = argv;
    this.returncode = returncode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The exit code, or `undefined` when a signal killed the command. */
  get exitCode(): number | undefined {
    return this.returncode >= 0 ? this.returncode : undefined;
  }

  /** The signal that killed the command (`'SIGTERM'`), or `undefined` when it exited. */
  get signal(): NodeJS.Signals | undefined {
    // `as`: every negative returncode comes from a signal the platform named (see signals.ts).
    return this.returncode < 0 ? (signalName(-this.returncode) as NodeJS.Signals) : undefined;
  }

  /** Throws a {@link CalledProcessError} unless `returncode` is 0. */
  checkReturncode(): void {
    if (this.returncode !== 0) throw new CalledProcessError(this.argv, this.returncode, this.stdout, this.stderr);
  }
}
