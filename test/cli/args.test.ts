import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { UsageError, type Command } from '../../src/cli/command.js';

/** A command table like the real one, with a string option and a hidden command. */
function fakeCommand(name: string, extra: Partial<Command> = {}): Command {
  return { name, usage: '', summary: `${name} things`, details: [], options: {}, run: async () => {}, ...extra };
}
const build = fakeCommand('build', {
  options: {
    quick: { type: 'boolean', short: 'q', description: 'Quick.' },
    size: { type: 'string', description: 'Size.', valueName: '<n>' },
  },
});
const secret = fakeCommand('secret', { hidden: true });
const commands = [build, fakeCommand('serve'), secret];

function usageError(argv: string[]): string {
  try {
    parseCommandLine(argv, commands);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`parseCommandLine(${JSON.stringify(argv)}) did not throw`);
}

describe('parseCommandLine', () => {
  it('selects the command and hands it positionals and option values', () => {
    expect(parseCommandLine(['build', 'a', '--quick', 'b', '--size', '64'], commands)).toEqual({
      kind: 'run',
      command: build,
      positionals: ['a', 'b'],
      values: { quick: true, size: '64' },
    });
  });

  it('accepts short aliases and --name=value', () => {
    expect(parseCommandLine(['build', '-q', '--size=8'], commands)).toMatchObject({ values: { quick: true, size: '8' } });
  });

  it('treats everything after -- as positionals', () => {
    expect(parseCommandLine(['build', '--', '--quick'], commands)).toMatchObject({ positionals: ['--quick'], values: {} });
  });

  it('runs hidden commands too', () => {
    expect(parseCommandLine(['secret'], commands)).toMatchObject({ kind: 'run', command: secret });
  });

  it.each([[['--help']], [['-h']]])('%j asks for the overview', (argv) => {
    expect(parseCommandLine(argv, commands)).toEqual({ kind: 'help' });
  });

  it.each([[['build', '--help']], [['build', 'x', '-h', '--quick']]])('%j asks for the command\'s help', (argv) => {
    expect(parseCommandLine(argv, commands)).toEqual({ kind: 'help', command: build });
  });

  it.each([[['--version']], [['-v']]])('%j asks for the version', (argv) => {
    expect(parseCommandLine(argv, commands)).toEqual({ kind: 'version' });
  });

  it.each([
    [[], 'Missing command: expected one of build, serve'],
    [['deploy'], 'Unknown command deploy: expected one of build, serve'],
    [['--verbose'], 'Unknown option --verbose: expected a command (build, serve) or one of --help, -h, --version, -v'],
    [['--help', 'build'], 'Unexpected argument build after --help'],
    [['build', '--fast'], 'Unknown option --fast for loom build: expected one of --quick, --size, --help'],
    [['build', '-x'], 'Unknown option -x for loom build: expected one of --quick, --size, --help'],
    [['serve', '--quick'], 'Unknown option --quick for loom serve: expected one of --help'],
    [['build', '--quick=yes'], 'Option --quick takes no value, got --quick=yes'],
    [['build', '--size'], 'Option --size needs a value'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});
