/**
 * What a `loom` subcommand is: a row of the command table (`commands.ts`). Every command
 * declares its options here, as data, so that one parser (`args.ts`) checks every command
 * line the same way and one renderer (`help.ts`) documents them; a command's `run` then only
 * sees arguments that already passed those checks.
 *
 * Commands never touch `process`: they write through `out`/`err` and stop when `signal`
 * aborts. The process's life (signals, exit codes) belongs to `main()` alone, so a command
 * that is interrupted unwinds through its `finally` blocks like any other async function.
 *
 * @module
 */

/**
 * One option a command accepts, in the shape `node:util` `parseArgs` understands, plus its help text.
 *
 * @example
 * ```ts
 * const quick: OptionSpec = { type: 'boolean', short: 'q', description: 'Smaller sizes.' };
 * ```
 */
export interface OptionSpec {
  /** `boolean` for a flag (`--quick`), `string` for an option that takes a value (`--size 64`). */
  readonly type: 'boolean' | 'string';
  /** A one-letter alias (`-q`). */
  readonly short?: string;
  /** One line for `--help`. */
  readonly description: string;
  /** How the value is shown in `--help` (`<n>`); only for `string` options. */
  readonly valueName?: string;
}

/**
 * The checked command line a command runs with, and where it writes.
 *
 * @example
 * ```ts
 * const input: CommandInput = { positionals: ['54'], values: { quick: true }, out: console.log, err: console.error, signal: AbortSignal.timeout(5000) };
 * ```
 */
export interface CommandInput {
  /** The words after the command name that are not options, in order. */
  readonly positionals: readonly string[];
  /** The options given, by long name: `true` for flags, the text for `string` options. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** Writes one line to standard output. */
  readonly out: (line: string) => void;
  /** Writes one line to standard error. */
  readonly err: (line: string) => void;
  /** Aborted when the user interrupts the process (SIGINT or SIGTERM); pass it to every wait. */
  readonly signal: AbortSignal;
  /** Writes bytes as they are, no newline added (a job's output passed through); absent where only lines can be written. */
  readonly write?: ((stream: 'stdout' | 'stderr', data: string | Uint8Array) => void) | undefined;
  /** Sets the exit status the command ends with when it resolves (default 0): for a command whose original has its own statuses. */
  readonly setExitStatus?: ((status: number) => void) | undefined;
}

/**
 * A `loom` subcommand: a row of the command table.
 *
 * @example
 * ```ts
 * const hello: Command = {
 *   name: 'hello',
 *   usage: '[name]',
 *   summary: 'Greets.',
 *   details: [],
 *   options: {},
 *   async run({ positionals, out }) {
 *     out(`Hello, ${positionals[0] ?? 'world'}`);
 *   },
 * };
 * ```
 */
export interface Command {
  /** The word that selects it: `loom <name>`. */
  readonly name: string;
  /** What follows the name in the usage line: `[item...] [--quick]`. */
  readonly usage: string;
  /** One line for the command list in `loom --help`. */
  readonly summary: string;
  /** Paragraphs shown by `loom <name> --help` after the usage line. */
  readonly details: readonly string[];
  /** Options by long name; `--help` is added to every command and need not be listed. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Left out of `loom --help` (still runnable): tooling the tests use, not a user feature. */
  readonly hidden?: boolean;
  /**
   * The command reads its own command line (GNU parallel's grammar): every word after its name
   * reaches `run` as a positional, unchecked, except a lone `--help`.
   */
  readonly rawArgs?: boolean;
  /**
   * The exit status after SIGINT/SIGTERM, when the command's original has its own (GNU
   * parallel's 255); default 128 + the signal's number.
   */
  readonly interruptedStatus?: number;
  /**
   * SIGINT/SIGTERM is how this command is meant to end (a worker draining its jobs): when it
   * then finishes without error, `loom` exits 0 instead of 130/143.
   */
  readonly stopsOnSignal?: boolean;
  /**
   * Runs the command. Resolves when it is done (exit 0, or the status given to
   * `setExitStatus`); rejects with a {@link UsageError} for bad positionals (exit 2), with
   * `signal.reason` when interrupted, or with any other error (exit 1).
   */
  run(input: CommandInput): Promise<void>;
}

/**
 * A command line that cannot be run: an unknown command, option or item, a missing value.
 * `main()` prints the message and a pointer to `--help` on standard error and exits with 2,
 * the status shells and `getopt`-style tools use for usage errors.
 *
 * @example
 * ```ts
 * throw new UsageError('Unknown item 99: expected one of 52, 53, 54, 55, 59, 60');
 * ```
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
