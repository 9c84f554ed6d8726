import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands.js';
import { renderCommandHelp, renderHelp } from '../../src/cli/help.js';

const build: Command = {
  name: 'build',
  usage: '[target...] [--size <n>]',
  summary: 'Builds things.',
  details: ['Targets are names.', 'Without any, everything is built.'],
  options: {
    size: { type: 'string', description: 'How big.', valueName: '<n>' },
    quick: { type: 'boolean', short: 'q', description: 'Quick.' },
  },
  run: async () => {},
};

describe('renderHelp', () => {
  it('lists the visible commands, aligned, and the global flags', () => {
    const hidden: Command = { ...build, name: 'internal', hidden: true };
    const serve: Command = { ...build, name: 'serve-all', summary: 'Serves.' };
    expect(renderHelp([build, hidden, serve])).toEqual([
      'Usage: loom <command> [options]',
      '',
      'Concurrency and parallelism for Node.js: the seed\'s examples, run as TypeScript.',
      '',
      'Commands:',
      '  build      Builds things.',
      '  serve-all  Serves.',
      '',
      'Options:',
      '  -h, --help     Shows this help (after a command: that command\'s help).',
      '  -v, --version  Prints the version of loom.',
      '',
      'Run `loom <command> --help` for the options of a command.',
    ]);
  });

  it('documents every visible command of the real table, in its order', () => {
    const lines = renderHelp(commands);
    const listed = lines.slice(lines.indexOf('Commands:') + 1, lines.indexOf('', lines.indexOf('Commands:')));
    const visible = commands.filter((command) => command.hidden !== true);
    expect(visible.map((command) => command.name)).toEqual(['demo', 'life', 'life-server', 'parallel', 'worker']);
    expect(listed.map((line) => line.trimStart().split(/ {2,}/))).toEqual(visible.map((command) => [command.name, command.summary]));
  });
});

describe('renderCommandHelp', () => {
  it('prints usage, summary, details and the options with --help, aliases aligned', () => {
    expect(renderCommandHelp(build)).toEqual([
      'Usage: loom build [target...] [--size <n>]',
      '',
      'Builds things.',
      '',
      'Targets are names.',
      '',
      'Without any, everything is built.',
      '',
      'Options:',
      '      --size <n>  How big.',
      '  -q, --quick     Quick.',
      '  -h, --help      Shows this help.',
    ]);
  });
});
