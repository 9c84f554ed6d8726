/**
 * The built `loom` command, run as a child process: help, version, usage errors with their
 * exact messages and status 2, a demo's output, and the process's life under signals (STYLE
 * 17): the command is interrupted at a known point (after a ready line), unwinds, and the
 * process exits with 130 for SIGINT, 143 for SIGTERM.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './spawn-cli.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const HINT = 'Run `loom --help` for usage.\n';
const ITEMS = '52, 53, 54, 55, 56, 57, 58, 59, 60';

describe('loom --help', () => {
  it.each([['--help'], ['-h']])('%s prints the commands on stdout and exits 0', async (flag) => {
    const { code, stdout, stderr } = await runCli([flag]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Usage: loom <command> \[options\]\n/);
    expect(stdout).toMatch(/^ {2}demo +Runs the seed's examples/m);
    expect(stdout).toMatch(/^ {2}life +Runs Conway's Game of Life/m);
    expect(stdout).toMatch(/^ {2}life-server {2}Runs the Game of Life server/m);
    expect(stdout).not.toContain('idle');
  });

  it('loom demo --help prints the command\'s usage and options', async () => {
    const { code, stdout } = await runCli(['demo', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: loom demo \[item\.\.\.\] \[--quick\]\n/);
    expect(stdout).toContain('  -q, --quick  Smaller sizes');
    expect(stdout).toContain('  -h, --help   Shows this help.');
  });
});

describe('loom --version', () => {
  it.each([['--version'], ['-v']])('%s prints the version from package.json', async (flag) => {
    expect(await runCli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('usage errors exit 2 with one line saying what was wrong', () => {
  it.each([
    [['demo', '99'], `Unknown item 99: expected one of ${ITEMS}`],
    [['demo', '54', 'fifty'], `Unknown item fifty: expected one of ${ITEMS}`],
    [['demo', '--fast'], 'Unknown option --fast for loom demo: expected one of --quick, --help'],
    [['demo', '--quick=yes'], 'Option --quick takes no value, got --quick=yes'],
    [['nope'], 'Unknown command nope: expected one of demo, life, life-server, parallel, worker'],
    [['--bogus'], 'Unknown option --bogus: expected a command (demo, life, life-server, parallel, worker) or one of --help, -h, --version, -v'],
    [['--version', 'demo'], 'Unexpected argument demo after --version'],
    [[], 'Missing command: expected one of demo, life, life-server, parallel, worker'],
  ])('loom %j', async (args, message) => {
    expect(await runCli(args)).toEqual({ code: 2, stdout: '', stderr: `${message}\n${HINT}` });
  });
});

describe('loom demo', () => {
  it('runs item 54 in quick mode under its header: the unlocked counter loses updates, the Mutex keeps them', async () => {
    const { code, stdout, stderr } = await runCli(['demo', '54', '--quick']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('== Item 54: Use Lock to Prevent Data Races in Threads');
    expect(lines).toContain('Counter should be 50000, got 10000');
    expect(lines).toContain('Counter should be 50000, got 50000');
    expect(lines.at(-2)).toMatch(/^\(item 54 took \d+\.\d{3} seconds\)$/);
  });
});

describe('signals', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops the running command, lets it clean up, and exits %i', async (signal, status) => {
    const cli = startCli(['idle']);
    await cli.lineOnStdout('ready');
    cli.child.kill(signal);
    expect(await cli.finished).toEqual({ code: status, stdout: 'ready\nstopped\n', stderr: '' });
  });

  it('SIGINT in the middle of a demo closes what it opened and exits 130 without an error message', async () => {
    // Item 55 at full size runs for seconds after its header; the signal lands inside it.
    const cli = startCli(['demo', '55']);
    await cli.lineOnStdout('== Item 55: Use Queue to Coordinate Work Between Threads');
    cli.child.kill('SIGINT');
    const { code, stderr } = await cli.finished;
    expect({ code, stderr }).toEqual({ code: 130, stderr: '' });
  });

  it('a closed standard output stops the command and exits 141, as SIGPIPE would', async () => {
    const cli = startCli(['demo', '55']);
    await cli.lineOnStdout('== Item 55: Use Queue to Coordinate Work Between Threads');
    cli.child.stdout.destroy();
    const { code, stderr } = await cli.finished;
    expect({ code, stderr }).toEqual({ code: 141, stderr: '' });
  });
});
