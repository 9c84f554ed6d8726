/**
 * What dash does with a command, for helpers that run a job in its place: whether it would
 * exec a program with the command's words and nothing else, and the `PWD` it would export.
 * See `PERL` in `helpers.ts` for the use.
 *
 * @module
 */

import { realpathSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { envOf, type Where } from './where.js';

/**
 * dash's builtins and reserved words (dash 0.5.12) that are made of the characters of a
 * simple word: a command starting with one of them runs in the shell, not as a program.
 */
const DASH_WORDS = new Set([
  '.', ':', 'alias', 'bg', 'break', 'case', 'cd', 'chdir', 'command', 'continue', 'do', 'done', 'echo', 'elif', 'else', 'esac',
  'eval', 'exec', 'exit', 'export', 'false', 'fg', 'fi', 'for', 'getopts', 'hash', 'if', 'in', 'jobs', 'kill', 'local',
  'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift', 'test', 'then', 'times', 'trap', 'true', 'type',
  'ulimit', 'umask', 'unalias', 'unset', 'until', 'wait', 'while',
]);

/**
 * A simple command: words of characters that no shell treats specially (no quote, `$`, glob,
 * `~`, `#`, `=` in the first word, redirection, separator or newline), separated by blanks.
 */
const SIMPLE = /^[ \t]*([-\w./+,:@%]+)(?:[ \t]+[-\w./+,:@%=]+)*[ \t]*$/;

/**
 * True when dash runs `command` by exec'ing a program found on `PATH` with the command's
 * words as its arguments, and nothing else: a simple command whose first word is not a
 * builtin or reserved word. `dash -c` execs the last simple command itself, so a helper can
 * exec the program in its place and save an exec of `/bin/sh` per job.
 */
export function execsDirectly(command: string): boolean {
  const first = SIMPLE.exec(command)?.[1];
  return first !== undefined && !DASH_WORDS.has(first);
}

/** Whether `/bin/sh` is dash; asked once. */
let shIsDash: boolean | undefined;

/** Variables that dash changes before it exports them: it resets `IFS` and `OPTIND` and sets `PPID`. */
const RESET_BY_DASH = ['IFS', 'OPTIND', 'PPID'];

/** A name dash exports; it drops the others (`A-B=1`) from the environment of what it runs. */
const SHELL_NAME = /^[A-Za-z_]\w*$/;

/**
 * The `PWD` that dash exports to what it runs in `where`, or `undefined` where a helper must
 * not exec programs in dash's place: `/bin/sh` is not dash; the `PATH` is unset or holds
 * dash's `%` entries, whose search differs from `execvp`'s; or the environment holds a name
 * that dash would drop or a variable it would change. dash keeps an inherited `PWD` that is
 * absolute and names the working directory, and otherwise sets the physical path.
 */
export function dashPwd(where: Where): string | undefined {
  const env = envOf(where);
  try {
    shIsDash ??= basename(realpathSync('/bin/sh')) === 'dash';
    if (!shIsDash || env.PATH === undefined || env.PATH.includes('%')) return undefined;
    if (RESET_BY_DASH.some((name) => Object.hasOwn(env, name)) || !Object.keys(env).every((name) => SHELL_NAME.test(name))) return undefined;
    const cwd = resolve(where.cwd ?? '.');
    const pwd = env.PWD;
    if (pwd?.startsWith('/') === true) {
      const [named, real] = [statSync(pwd, { throwIfNoEntry: false }), statSync(cwd)];
      if (named !== undefined && named.dev === real.dev && named.ino === real.ino) return pwd;
    }
    return realpathSync.native(cwd);
  } catch {
    return undefined;
  }
}
