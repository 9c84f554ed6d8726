/**
 * Fuzzing the command line with fast-check (fixed seeds): for every command of the command
 * table (`src/cli/commands.ts`, read at run time, so a command added later is fuzzed without
 * touching this file), arbitrary argv built from its own options (with hostile values), unknown
 * options, stray positionals and `--`, run through `execute` as `main()` runs it. The signal is
 * aborted before the run, as if the user pressed Ctrl-C at once: a command line that passes
 * every check then stops at its first wait instead of serving or computing, so each run costs
 * milliseconds and starts nothing that outlives it.
 *
 * What must hold: the status is 0 (help), 2 with a message and the `--help` hint, or the
 * silent interruption (1, nothing printed: `main()` turns it into 130); an expected failure
 * printed as `loom: <message>` is tolerated, but never a stack and never the bug banner.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands.js';
import { execute } from '../../src/cli/execute.js';

/** Values an option may get from a careless or hostile user. */
const hostileValue = fc.oneof(
  fc.constantFrom('', '0', '1', '3', '-1', '1.5', '1e3', '0x10', ' 5', 'NaN', 'Infinity', '65536', '100000', '2147483648', '99999999999999999999', 'tcp', 'timer', 'random', 'glider', 'async', 'parallel', '127.0.0.1:1', 'x.rle', '/nonexistent/p.rle', '-', '--'),
  fc.string({ maxLength: 12 }),
  fc.nat({ max: 300 }).map(String),
);

/** One word of argv for `command`: its options with hostile values, unknown ones, positionals. */
function word(command: Command): fc.Arbitrary<readonly string[]> {
  const names = Object.keys(command.options);
  const known = names.length === 0 ? fc.constant('help') : fc.constantFrom(...names);
  const shorts = Object.values(command.options).flatMap((spec) => (spec.short === undefined ? [] : [spec.short]));
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(known, hostileValue).map(([name, value]) => [`--${name}`, value]) },
    { weight: 2, arbitrary: fc.tuple(known, hostileValue).map(([name, value]) => [`--${name}=${value}`]) },
    { weight: 2, arbitrary: known.map((name) => [`--${name}`]) },
    { weight: 1, arbitrary: shorts.length === 0 ? fc.constant(['-z']) : fc.constantFrom(...shorts).map((short) => [`-${short}`]) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((name) => [`--${name}`]) },
    { weight: 1, arbitrary: hostileValue.map((value) => [value]) },
    { weight: 1, arbitrary: fc.constant(['--']) },
  );
}

/** argv for `command`, never asking for help (help prints and exits 0 without checking anything). */
function argvFor(command: Command): fc.Arbitrary<readonly string[]> {
  return fc.array(word(command), { maxLength: 6 }).map((words) => [command.name, ...words.flat()].filter((arg) => arg !== '--help' && arg !== '-h'));
}

async function run(argv: readonly string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await execute(argv, commands, { out: (line) => out.push(line), err: (line) => err.push(line) }, AbortSignal.abort(new Error('Interrupted by SIGINT')));
  return { status, out, err };
}

describe('loom argv under fuzzing', () => {
  it.each(commands.map((command) => [command.name, command] as const))('loom %s: usage errors exit 2 with a message, nothing prints a stack', async (_name, command) => {
    await fc.assert(
      fc.asyncProperty(argvFor(command), async (argv) => {
        const { status, err } = await run(argv);
        const text = err.join('\n');
        expect(text).not.toMatch(/\n\s+at /);
        expect(text).not.toContain('a bug in loom');
        if (command.rawArgs === true && status === 255) {
          // A command with its own grammar answers bad usage as its original does (GNU
          // parallel: one line, status 255), and so does an interruption (the signal here is
          // aborted from the start), silently.
          expect(err.length).toBeLessThanOrEqual(1);
          for (const line of err) expect(line).toMatch(new RegExp(`^loom ${command.name}: \\S`));
        } else if (status === 2) {
          expect(err).toHaveLength(2);
          expect(err[0]).not.toBe('');
          expect(err[1]).toBe('Run `loom --help` for usage.');
        } else {
          expect(status === 0 || status === 1, `status ${status} for ${JSON.stringify(argv)}`).toBe(true);
          for (const line of err) expect(line).toMatch(/^(loom: | {2}(caused by|error): )/);
        }
      }),
      { seed: 10, numRuns: 60 },
    );
  });

  it('arbitrary words before a command: exit 2 with a message, or 0 for help and version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileValue, { maxLength: 4 }), async (argv) => {
        const { status, err } = await run(argv);
        expect(err.join('\n')).not.toMatch(/\n\s+at /);
        expect(status === 0 || status === 2 || (status === 1 && err.length === 0)).toBe(true);
      }),
      { seed: 10, numRuns: 100 },
    );
  });
});
