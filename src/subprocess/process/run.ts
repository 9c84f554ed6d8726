/**
 * `run`: start a command, feed it, capture its output, wait for it (Python's `subprocess.run`).
 *
 * On a timeout or an abort the child is killed (its group with `group: true`: SIGTERM, SIGKILL
 * after `forceKillAfter`) and reaped before `run` rejects, so nothing it started outlives the
 * call unnoticed; the `TimeoutExpired` then carries all the output the child wrote before it
 * died. Built only on `spawn` and the public `Subprocess` methods.
 *
 * @module
 */

import type { WaitOptions } from '../../core/deadline.js';
import { checkOptions, checkWaitOptions, expectation } from '../../core/validate.js';
import { checkSpawnOptions, type SpawnOptions } from '../arguments/options.js';
import { CompletedProcess } from '../results/completed.js';
import { TimeoutExpired } from '../results/errors.js';
import type { Encoding } from '../stdio/collect.js';
import { checkInput, type Input } from '../stdio/input.js';
import { spawn } from './spawn.js';

/**
 * Options of {@link run}: those of `spawn`, plus what to send, how long to wait, and whether a
 * failure status throws. `stdin` defaults to `'ignore'` (no terminal input is taken by accident)
 * unless `input` is given.
 *
 * @example
 * ```ts
 * import { run } from 'loom/subprocess';
 * const controller = new AbortController();
 * const { stdout } = await run(['sort'], { input: 'b\na\n', timeout: 5000, signal: controller.signal, check: true });
 * ```
 */
export interface RunOptions<E extends Encoding = 'utf8'> extends SpawnOptions<E>, WaitOptions {
  /** Written to the child's stdin, which is then closed. See {@link Input}. */
  readonly input?: Input | undefined;
  /** Throw a `CalledProcessError` when the command exits non-zero or is killed. Default false. */
  readonly check?: boolean | undefined;
}

/**
 * Runs `argv` to completion and returns its {@link CompletedProcess}.
 *
 * Rejects with `SubprocessError` when the command cannot start (`command not found: x`) or its
 * output passes `maxBuffer` (the child is killed), `TimeoutExpired` after `timeout` ms (child
 * killed and reaped first; partial output kept), `signal.reason` when aborted (likewise), and
 * `CalledProcessError` for a failure status with `check`. Bad arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { run } from 'loom/subprocess';
 * const { stdout } = await run(['sh', '-c', 'tr a-z A-Z'], { input: 'hello', check: true });
 * console.log(stdout); // HELLO
 * ```
 */
export function run<E extends Encoding = 'utf8'>(argv: readonly string[], opts?: RunOptions<E>): Promise<CompletedProcess<E>> {
  checkOptions('options', opts);
  const input = opts?.input;
  checkInput(input);
  if (opts?.check !== undefined && typeof opts.check !== 'boolean') throw new TypeError(expectation('check', 'a boolean', opts.check));
  const { timeout, signal, check: _check, input: _input, ...rest } = opts ?? {};
  const wait: WaitOptions = { timeout, signal };
  checkWaitOptions(wait);
  checkSpawnOptions(rest);
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const proc = spawn(argv, { ...rest, stdin: input === undefined ? (opts?.stdin ?? 'ignore') : 'pipe' });
  return finish(proc, input, wait, opts?.check === true);
}

async function finish<E extends Encoding>(proc: ReturnType<typeof spawn<E>>, input: Input | undefined, wait: WaitOptions, check: boolean): Promise<CompletedProcess<E>> {
  try {
    const { stdout, stderr } = await proc.communicate({ ...wait, ...(input === undefined ? {} : { input }) });
    // `as`: communicate resolved, so the child exited and its status is known.
    const result = new CompletedProcess<E>(proc.argv, proc.returncode as number, stdout, stderr);
    if (check) result.checkReturncode();
    return result;
  } catch (error) {
    if (!(error instanceof TimeoutExpired)) throw error;
    await proc[Symbol.asyncDispose]();
    // The child is dead and its pipes closed, so this returns at once with everything it wrote.
    const { stdout, stderr } = await proc.communicate();
    throw new TimeoutExpired(proc.argv, error.timeout, stdout, stderr);
  } finally {
    await proc[Symbol.asyncDispose]();
  }
}
