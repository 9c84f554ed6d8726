/**
 * Quoting an argument for `/bin/sh`, exactly as GNU parallel 20221122 does (measured with
 * `parallel --dry-run` and `PARALLEL_SHELL=/bin/sh`): a word made only of `[-_.+A-Za-z0-9/]` is
 * left bare; anything else, the empty string included, is wrapped in single quotes, and each
 * `'` inside becomes `'"'"'` (close the quote, a double-quoted `'`, reopen). Inside single quotes
 * the shell expands nothing (no `$`, backquote, backslash, glob or newline handling), so every
 * byte reaches the command literally: `$(touch PWNED)` is an argument, never a command.
 *
 * Rejected: a bare-word allow-list wider than GNU's (`=`, `,`, `@`, `%`, `:` are harmless to
 * sh), because `--dry-run` output and job log lines would then differ from GNU's.
 *
 * @module
 */

/** The characters GNU parallel leaves unquoted. */
const BARE = /^[-_.+A-Za-z0-9/]+$/;

/**
 * `value` as one `/bin/sh` word that expands back to exactly `value`.
 *
 * @example
 * ```ts
 * import { shellQuote } from 'loom/parallel';
 * shellQuote('a.txt'); // a.txt
 * shellQuote("it's $HOME"); // 'it'"'"'s $HOME'
 * ```
 */
export function shellQuote(value: string): string {
  if (BARE.test(value)) return value;
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}
