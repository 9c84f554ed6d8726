/**
 * `spawn`: starts a child and returns its {@link Subprocess} at once, like Python's `Popen`.
 *
 * A child that cannot start (no such program, no permission, a missing `cwd`) does not throw
 * here: Node only learns the reason after `spawn` returned, so the `Subprocess` has no `pid`
 * and its `wait()`/`communicate()` reject with the `SubprocessError` (`poll()` throws it).
 * `run` turns that into its own rejection.
 *
 * @module
 */

import { spawn as nodeSpawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkArgv } from '../arguments/command.js';
import { checkSpawnOptions, childEnv, commandLine, type SpawnOptions } from '../arguments/options.js';
import { startError, type SubprocessError } from '../results/errors.js';
import type { Encoding } from '../stdio/collect.js';
import { planStdin } from '../stdio/handoff.js';
import { feed } from '../stdio/input.js';
import { CREATE, Subprocess } from './subprocess.js';

/**
 * Starts `argv` (program first, never through a shell unless `shell` is set) and returns its
 * {@link Subprocess}. All three streams are pipes unless `opts` says otherwise; a piped stdout
 * that nobody reads fills up and blocks the child, so read it (`communicate`, `lines`, the
 * stream itself), hand it to another child, or ask for `'ignore'`/`'inherit'`.
 *
 * Bad arguments throw `TypeError`/`RangeError` synchronously.
 *
 * @example
 * ```ts
 * import { spawn } from 'loom/subprocess';
 * // The seed's encrypt-then-hash chain: openssl's stdout is dgst's stdin, with no copy through Node.
 * const encrypt = spawn(['openssl', 'enc', '-des3', '-pass', 'env:password'], { env: { password: 'secret' } });
 * const hash = spawn(['openssl', 'dgst', '-sha256', '-binary'], { stdin: encrypt.stdout!, encoding: 'buffer' });
 * await encrypt.communicate({ input: new Uint8Array(100) });
 * const { stdout } = await hash.communicate();
 * console.log(stdout.length); // 32
 * ```
 */
export function spawn<E extends Encoding = 'utf8'>(argv: readonly string[], opts?: SpawnOptions<E>): Subprocess<E> {
  const args = checkArgv(argv);
  const settings = checkSpawnOptions(opts);
  const [file, rest] = commandLine(args, opts?.shell);
  const stdin = planStdin(opts?.stdin ?? 'pipe');
  const stdio: StdioOptions = [stdin.node, opts?.stdout ?? 'pipe', opts?.stderr ?? 'pipe'];
  const cwd = opts?.cwd;
  const env = childEnv(opts?.env, opts?.extendEnv);
  let child: ChildProcess;
  try {
    child = nodeSpawn(file, rest, {
      stdio,
      detached: settings.group,
      ...(cwd === undefined ? {} : { cwd }),
      ...(env === undefined ? {} : { env }),
    });
  } catch (error) {
    // Node throws at once for a few failures (EMFILE, EAGAIN...): report them like any start failure.
    if (typeof (error as NodeJS.ErrnoException).errno === 'number') throw startError(args, error as NodeJS.ErrnoException, undefined);
    throw error;
  }
  stdin.afterSpawn?.();
  const describeStartError = (cause: NodeJS.ErrnoException): SubprocessError => {
    const dir = cwd instanceof URL ? fileURLToPath(cwd) : cwd;
    return startError(args, cause, dir !== undefined && !existsSync(dir) ? dir : undefined);
  };
  const stdinCopied = stdin.copyFrom !== undefined;
  const proc = new Subprocess<E>(CREATE, { child, argv: args, settings, describeStartError, stdinCopied });
  if (stdin.copyFrom !== undefined && child.stdin !== null) {
    const source = stdin.copyFrom;
    // The copy ends with the child; a failure of the source stream is the source owner's to see.
    feed(child.stdin, source).catch((error: unknown) => source.destroy(error as Error));
  }
  return proc;
}
