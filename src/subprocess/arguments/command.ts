/**
 * The command line: validating `argv` and printing it back in error messages.
 *
 * `argv` is always an array whose first element is the program; it is handed to the OS as is,
 * never through a shell, unless the caller asks for `shell` (then `argv` must be one string, the
 * script, as with Python's `shell=True`). Rejected alternative: execa's template strings that
 * split on spaces, which make quoting the caller's problem again.
 *
 * Messages print the command the way a POSIX shell would read it back (`sh -c 'exit 3'`), so a
 * user can paste it into a terminal; after execa's `lib/arguments/escape.js`.
 *
 * @module
 */

import { expectation } from '../../core/validate.js';

/** Characters that never need quoting in a POSIX shell word. */
const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/** One argument as a shell would need it written: bare when safe, else single-quoted. */
export function quoteArgument(arg: string): string {
  if (SAFE_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The command as a shell line, for messages: `sh -c 'echo a; exit 3'`. */
export function formatCommand(argv: readonly string[]): string {
  return argv.map(quoteArgument).join(' ');
}

/**
 * Throws `TypeError`/`RangeError` (synchronously) unless `argv` is a non-empty array of strings
 * without NUL bytes, and returns a frozen copy so later mutation by the caller changes nothing.
 */
export function checkArgv(argv: unknown): readonly string[] {
  const expected = 'a non-empty array of strings';
  if (!Array.isArray(argv)) throw new TypeError(expectation('argv', expected, argv));
  if (argv.length === 0) throw new RangeError(expectation('argv', expected, argv));
  for (const [i, arg] of (argv as unknown[]).entries()) {
    if (typeof arg !== 'string') throw new TypeError(expectation(`argv[${i}]`, 'a string', arg));
    if (arg.includes('\0')) throw new RangeError(expectation(`argv[${i}]`, 'a string without NUL bytes', arg));
  }
  return Object.freeze([...(argv as string[])]);
}
