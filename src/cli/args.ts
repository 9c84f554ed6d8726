/**
 * Command-line parsing for `loom`, on `node:util` `parseArgs` (no dependency).
 *
 * The grammar is `loom [--help | --version]` or `loom <command> [options] [positionals]`.
 * `parseArgs` runs in its non-strict, token mode and this file judges the tokens itself: the
 * strict mode's messages ("Unknown option '--foo'. To specify a positional argument starting
 * with a '-', place it at the end of the command after '--', as in '-- "--foo"") name neither
 * the command nor what would have been accepted, and every usage error of `loom` follows one
 * template instead: `Unknown <what> <given>: expected one of <choices>`, like the library's
 * argument errors.
 *
 * @module
 */

import { parseArgs } from 'node:util';
import { UsageError, type Command, type OptionSpec } from './command.js';

/**
 * What the command line asks for: the overview or a command's help, the version, or a command
 * to run with its positionals and option values.
 *
 * @example
 * ```ts
 * const invocation: Invocation = parseCommandLine(process.argv.slice(2), commands);
 * if (invocation.kind === 'run') await invocation.command.run({ ...invocation, out: console.log, err: console.error, signal });
 * ```
 */
export type Invocation =
  | { readonly kind: 'help'; readonly command?: Command }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      readonly command: Command;
      readonly positionals: readonly string[];
      readonly values: Readonly<Record<string, string | boolean | undefined>>;
    };

/** The flags `loom` itself understands before a command name. */
const GLOBAL_FLAGS: Readonly<Record<string, 'help' | 'version'>> = {
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
  '-v': 'version',
};

/**
 * `--help` / `-h`, which every command accepts without listing it.
 *
 * @example
 * ```ts
 * const options = { ...command.options, help: HELP_OPTION };
 * ```
 */
export const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'Shows this help.' };

/**
 * Reads `argv` (the words after `loom`) against the command table. Throws {@link UsageError}
 * for an unknown command or option, a flag given a value, or an option missing its value;
 * positionals are left to the command, which knows what they mean.
 *
 * @example
 * ```ts
 * const invocation = parseCommandLine(['demo', '54', '--quick'], commands);
 * // { kind: 'run', command: <demo>, positionals: ['54'], values: { quick: true } }
 * ```
 */
export function parseCommandLine(argv: readonly string[], commands: readonly Command[]): Invocation {
  const [first, ...rest] = argv;
  const visible = commands.filter((command) => command.hidden !== true).map((command) => command.name);
  if (first === undefined) throw new UsageError(`Missing command: expected one of ${visible.join(', ')}`);
  const global = GLOBAL_FLAGS[first];
  if (global !== undefined) {
    if (rest.length > 0) throw new UsageError(`Unexpected argument ${rest[0]} after ${first}`);
    return { kind: global };
  }
  if (first.startsWith('-')) {
    throw new UsageError(`Unknown option ${first}: expected a command (${visible.join(', ')}) or one of ${Object.keys(GLOBAL_FLAGS).join(', ')}`);
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (command === undefined) throw new UsageError(`Unknown command ${first}: expected one of ${visible.join(', ')}`);
  return parseCommandArgs(command, rest);
}

/** Checks one command's options token by token; see the module comment for why not `strict`. */
function parseCommandArgs(command: Command, args: readonly string[]): Invocation {
  if (command.rawArgs === true) {
    if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) return { kind: 'help', command };
    return { kind: 'run', command, positionals: args, values: {} };
  }
  const options: Record<string, OptionSpec> = { ...command.options, help: HELP_OPTION };
  const { values, positionals, tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const accepted = Object.keys(options).map((name) => `--${name}`);
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) {
      throw new UsageError(`Unknown option ${token.rawName} for loom ${command.name}: expected one of ${accepted.join(', ')}`);
    }
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`Option ${token.rawName} takes no value, got ${token.rawName}=${token.value}`);
    }
    if (spec.type === 'string' && token.value === undefined) {
      throw new UsageError(`Option ${token.rawName} needs a value`);
    }
  }
  if (values.help === true) return { kind: 'help', command };
  const { help: _help, ...commandValues } = values;
  return { kind: 'run', command, positionals, values: commandValues };
}
