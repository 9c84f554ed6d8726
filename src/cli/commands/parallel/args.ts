/**
 * `loom parallel`'s command line, read the way GNU parallel reads it: options first (long
 * ones as `--opt value` or `--opt=value`, short ones as `-j 4` or `-j4`), then the command
 * words, then input sources introduced by `:::` (values), `:::+` (values linked to the
 * previous source), `::::` (files, `-` for stdin) and `::::+`. With no source, stdin is read.
 * A `:::` value holding a newline is split into several values at the newlines, as GNU does
 * (not with `-0`).
 *
 * Bounds (argv is hostile input too): at most `MAX_WORDS` words in all, and every value is
 * checked against `maxArgLength` by the engine. Any problem is a {@link ParallelUsageError}
 * with GNU's exit status 255.
 *
 * @module
 */

/** A command line `loom parallel` cannot run: one line on stderr, exit 255, nothing run. */
export class ParallelUsageError extends Error {
  override name = 'ParallelUsageError';
}

/** Most words on one command line. */
export const MAX_WORDS = 1_000_000;

/** An input source on the command line. */
export type SourceSpec = { readonly kind: 'values'; readonly values: string[]; readonly linked: boolean } | { readonly kind: 'file'; readonly path: string; readonly linked: boolean };

/** The parsed command line. */
export interface ParallelArgs {
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly command: readonly string[];
  readonly sources: readonly SourceSpec[];
}

/** Options without a value, by every spelling, to their canonical name. */
const FLAGS: Readonly<Record<string, string>> = {
  '-k': 'keep-order', '--keep-order': 'keep-order', '-0': 'null', '--null': 'null', '-u': 'ungroup', '--ungroup': 'ungroup',
  '--group': 'group', '--line-buffer': 'line-buffer', '--lb': 'line-buffer', '--tag': 'tag', '--resume': 'resume',
  '--resume-failed': 'resume-failed', '--retry-failed': 'retry-failed', '--dry-run': 'dry-run', '--dryrun': 'dry-run',
  '--bar': 'bar', '--eta': 'eta', '--json': 'json', '--summary': 'summary', '--help': 'help', '-h': 'help',
};

/** Options that take a value, by every spelling, to their canonical name. */
const VALUED: Readonly<Record<string, string>> = {
  '-j': 'jobs', '--jobs': 'jobs', '-P': 'jobs', '--max-procs': 'jobs', '--tagstring': 'tagstring', '--halt': 'halt',
  '--halt-on-error': 'halt', '--joblog': 'joblog', '--retries': 'retries', '--timeout': 'timeout', '--delay': 'delay',
  '--colsep': 'colsep', '-C': 'colsep', '-a': 'arg-file', '--arg-file': 'arg-file',
};

const SEPARATORS = new Set([':::', ':::+', '::::', '::::+']);

/**
 * Parses `argv` (the words after `loom parallel`).
 *
 * @example
 * ```ts
 * parseParallelArgs(['-j4', '-k', 'echo', ':::', 'a', 'b']);
 * // { flags: {keep-order}, values: {jobs: '4'}, command: ['echo'], sources: [{ kind: 'values', values: ['a', 'b'], linked: false }] }
 * ```
 */
export function parseParallelArgs(argv: readonly string[]): ParallelArgs {
  if (argv.length > MAX_WORDS) throw new ParallelUsageError(`Too many arguments: ${argv.length} words, at most ${MAX_WORDS}`);
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const argFiles: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('-') || word === '-' || SEPARATORS.has(word)) break;
    const flag = FLAGS[word];
    if (flag !== undefined) {
      flags.add(flag);
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const name = eq === -1 ? word : word.slice(0, eq);
    let long = VALUED[name];
    let value: string | undefined = eq === -1 ? undefined : word.slice(eq + 1);
    if (long === undefined && !word.startsWith('--') && word.length > 2) {
      long = VALUED[word.slice(0, 2)];
      value = word.slice(2);
    }
    if (long === undefined) throw new ParallelUsageError(`Unknown option: ${word.replace(/^-+/, '')}`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new ParallelUsageError(`Option ${word} needs a value`);
    }
    if (long === 'arg-file') argFiles.push(value);
    else values.set(long, value);
  }
  const command: string[] = [];
  for (; i < argv.length && !SEPARATORS.has(argv[i] as string); i++) command.push(argv[i] as string);
  const sources: SourceSpec[] = argFiles.map((path) => ({ kind: 'file', path, linked: false }));
  const split = !flags.has('null');
  while (i < argv.length) {
    const separator = argv[i++] as string;
    const words: string[] = [];
    for (; i < argv.length && !SEPARATORS.has(argv[i] as string); i++) words.push(argv[i] as string);
    const linked = separator.endsWith('+');
    if (separator.startsWith('::::')) {
      words.forEach((path, index) => sources.push({ kind: 'file', path, linked: linked && index === 0 }));
    } else {
      sources.push({ kind: 'values', values: split ? words.flatMap((word) => word.split('\n')) : words, linked });
    }
  }
  return { flags, values, command, sources };
}
