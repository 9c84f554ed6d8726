/**
 * The text of `loom --help` and `loom <command> --help`, rendered from the command table so
 * that help can never drift from what the parser accepts.
 *
 * @module
 */

import { HELP_OPTION } from './args.js';
import type { Command, OptionSpec } from './command.js';

/**
 * The overview: usage, the visible commands with their summaries, the global flags.
 *
 * @example
 * ```ts
 * for (const line of renderHelp(commands)) console.log(line);
 * ```
 */
export function renderHelp(commands: readonly Command[]): string[] {
  const visible = commands.filter((command) => command.hidden !== true);
  const width = Math.max(...visible.map((command) => command.name.length));
  return [
    'Usage: loom <command> [options]',
    '',
    'Concurrency and parallelism for Node.js: the seed\'s examples, run as TypeScript.',
    '',
    'Commands:',
    ...visible.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     Shows this help (after a command: that command\'s help).',
    '  -v, --version  Prints the version of loom.',
    '',
    'Run `loom <command> --help` for the options of a command.',
  ];
}

/**
 * One command's help: its usage line, its details and its options (`--help` included).
 *
 * @example
 * ```ts
 * for (const line of renderCommandHelp(demoCommand)) console.log(line);
 * ```
 */
export function renderCommandHelp(command: Command): string[] {
  const options: [string, OptionSpec][] = [
    ...Object.entries(command.options),
    ['help', HELP_OPTION],
  ];
  const labels = options.map(([name, spec]) => optionLabel(name, spec));
  const width = Math.max(...labels.map((label) => label.length));
  return [
    `Usage: loom ${command.name} ${command.usage}`,
    '',
    command.summary,
    ...command.details.flatMap((paragraph) => ['', paragraph]),
    '',
    'Options:',
    ...options.map(([, spec], i) => `  ${(labels[i] ?? '').padEnd(width)}  ${spec.description}`),
  ];
}

/** `-q, --quick` or `    --size <n>`: aliases aligned under each other. */
function optionLabel(name: string, spec: OptionSpec): string {
  const alias = spec.short === undefined ? '    ' : `-${spec.short}, `;
  const value = spec.type === 'string' ? ` ${spec.valueName ?? '<value>'}` : '';
  return `${alias}--${name}${value}`;
}
