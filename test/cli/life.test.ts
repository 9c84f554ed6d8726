/**
 * `loom life`: the built command run as a child process (what a user sees: the columns, the
 * timing lines, exit status 2 with the exact message for every bad command line, 130 on
 * SIGINT), and the command's `run` in this process for what is easier to see from inside (the
 * `--watch` frames, the failure of a generation with its cause, no listener left behind).
 * Expected grids are computed here from `src/life` (`simulate`, `ColumnPrinter`), never copied
 * from the command's output.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifeCommand } from '../../src/cli/commands/life.js';
import { ColumnPrinter } from '../../src/life/column-printer.js';
import { SimulationError } from '../../src/life/errors.js';
import { Grid } from '../../src/life/grid.js';
import { LifeConnectionError } from '../../src/life/net/errors.js';
import { randomGrid, seedGlider } from '../../src/life/patterns.js';
import { simulate } from '../../src/life/rules.js';
import { abortListeners, activeTimers, deferred, settle } from '../helpers.js';
import { runCli, startCli } from './spawn-cli.js';

const HINT = 'Run `loom --help` for usage.\n';
const BLINKER = '-----\n--*--\n--*--\n--*--\n-----';

/** What `ColumnPrinter` prints for `start` and its next `generations` generations. */
function columnsOf(start: Grid, generations: number): string {
  const printer = new ColumnPrinter();
  let grid = start;
  printer.append(grid.toString());
  for (let i = 0; i < generations; i++) {
    grid = simulate(grid);
    printer.append(grid.toString());
  }
  return printer.toString();
}

/** Splits small-grid output into the table and the one summary line after it. */
function table(stdout: string): { columns: string; summary: string } {
  const lines = stdout.split('\n');
  expect(lines.at(-1)).toBe('');
  return { columns: lines.slice(0, -2).join('\n'), summary: lines.at(-2) ?? '' };
}

/** Runs `lifeCommand` in this process, collecting its lines. */
function runInProcess(values: Record<string, string | boolean>, signal = new AbortController().signal): { out: string[]; done: Promise<void> } {
  const out: string[] = [];
  const done = lifeCommand.run({ positionals: [], values, out: (line) => out.push(line), err: (line) => out.push(line), signal });
  return { out, done };
}

describe('loom life (the built command)', () => {
  it('prints the seed\'s glider and its 5 generations in columns, then the mean time', async () => {
    const { code, stdout, stderr } = await runCli(['life']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const { columns, summary } = table(stdout);
    expect(columns).toBe(columnsOf(seedGlider(), 5));
    expect(summary).toMatch(/^5 generations of 45 cells, serial: \d+\.\d ms per generation on average$/);
  });

  it('--strategy async --latency 5 gives the same grids as serial, and reports the latency floor', async () => {
    const { code, stdout, stderr } = await runCli(['life', '--strategy', 'async', '--latency', '5']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const { columns, summary } = table(stdout);
    expect(columns).toBe(columnsOf(seedGlider(), 5));
    expect(summary).toMatch(/^5 generations of 45 cells, async: \d+\.\d ms per generation on average \(\d+\.\d\dx the 5 ms floor\)$/);
  });

  it('prints one timing line per generation for a grid too large for columns', async () => {
    const { code, stdout, stderr } = await runCli(['life', '--pattern', 'random', '--height', '30', '--width', '60', '--seed', '7', '--generations', '2']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const first = simulate(randomGrid(30, 60, { seed: 7 }));
    const second = simulate(first);
    const lines = stdout.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('30x60 grid (1,800 cells), strategy serial');
    expect(lines[1]).toMatch(new RegExp(`^generation 1: \\d+\\.\\d ms, population ${first.population()}$`));
    expect(lines[2]).toMatch(new RegExp(`^generation 2: \\d+\\.\\d ms, population ${second.population()}$`));
    expect(lines[3]).toMatch(/^2 generations of 1,800 cells, serial: \d+\.\d ms per generation on average$/);
  });

  it('--help prints the usage with every option', async () => {
    const { code, stdout } = await runCli(['life', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: loom life \[--height H --width W\] \[--generations N\] \[--pattern glider\|blinker\|random\|FILE\.rle\] \[--seed S\] \[--strategy serial\|threaded\|pipeline\|phased\|pool\|async\|parallel\] \[--latency MS\] \[--io timer\|tcp\] \[--server HOST:PORT\] \[--workers N\] \[--watch\]\n/);
    for (const option of ['height H', 'width W', 'generations N', 'pattern P', 'seed S', 'strategy S', 'latency MS', 'io KIND', 'server HOST:PORT', 'workers N']) {
      expect(stdout).toContain(`      --${option} `);
    }
    expect(stdout).toContain('      --watch ');
  });

  it.each([
    [['--height', '0'], 'Expected `--height` to be an integer >= 1, got `0`'],
    [['--width', '1.5'], 'Expected `--width` to be an integer >= 1, got `1.5`'],
    [['--generations', 'x'], 'Expected `--generations` to be an integer >= 0, got `x`'],
    [['--latency=-1'], 'Expected `--latency` to be an integer from 0 to 2147483647, got `-1`'],
    [['--strategy', 'pool', '--workers', '0'], 'Expected `--workers` to be an integer from 1 to 1024, got `0`'],
    [['--strategy', 'nope'], 'Expected `--strategy` to be one of serial, threaded, pipeline, phased, pool, async, parallel, got `nope`'],
    [['--io', 'udp'], 'Expected `--io` to be one of timer, tcp, got `udp`'],
    [['--pattern', 'acorn'], 'Expected `--pattern` to be glider, blinker, random or a .rle file, got `acorn`'],
    [['--pattern', 'glider', '--height', '3'], 'The pattern needs at least 5x9 cells, got --height 3 --width 9'],
    [['--pattern', '/nonexistent/x.rle'], "Cannot read the pattern file /nonexistent/x.rle: ENOENT: no such file or directory, open '/nonexistent/x.rle'"],
    [['--strategy', 'parallel', '--latency', '5'], '`--strategy parallel` runs the pure rule on worker threads: it takes no `--latency` or `--io`'],
    [['--server', 'localhost:7000'], '`--server` needs `--io tcp`'],
    [['--strategy', 'async', '--workers', '4'], '`--workers` sizes the pipeline, phased, pool and parallel strategies; `--strategy async` has no workers'],
    [['--workers', '4'], '`--workers` sizes the pipeline, phased, pool and parallel strategies; `--strategy serial` has no workers'],
    [['--io', 'tcp', '--server', 'nowhere'], 'Expected `--server` to be HOST:PORT with PORT from 1 to 65535, got `nowhere`'],
    [['--io', 'tcp', '--server', 'localhost:0'], 'Expected `--server` to be HOST:PORT with PORT from 1 to 65535, got `localhost:0`'],
    [['--watch=yes'], 'Option --watch takes no value, got --watch=yes'],
    [['--seed'], 'Option --seed needs a value'],
    [['stray'], 'Unexpected argument stray for loom life: it takes options only'],
    [['--height', '100000', '--width', '100000'], 'Grid of 100000 x 100000 = 10^10 cells exceeds the limit of 268,435,456 cells'],
    [['--pattern', 'random', '--height', '100000', '--width', '100000'], 'Grid of 100000 x 100000 = 10^10 cells exceeds the limit of 268,435,456 cells'],
    [['--pattern', 'blinker', '--height', '16384', '--width', '16385'], 'Grid of 16384 x 16385 = 268,451,840 cells exceeds the limit of 268,435,456 cells'],
    [['--strategy', 'parallel', '--workers', '1025'], 'Expected `--workers` to be an integer from 1 to 1024, got `1025`'],
    [['--bogus'], 'Unknown option --bogus for loom life: expected one of --height, --width, --generations, --pattern, --seed, --strategy, --latency, --io, --server, --workers, --watch, --help'],
  ])('loom life %j: exit 2 with the message', async (args, message) => {
    expect(await runCli(['life', ...args])).toEqual({ code: 2, stdout: '', stderr: `${message}\n${HINT}` });
  });

  it('SIGINT while generations are in flight stops the run and exits 130 without an error message', async () => {
    const cli = startCli(['life', '--watch', '--strategy', 'async', '--latency', '60000']);
    await cli.lineOnStdout('\x1b[H\x1b[2Jgeneration 0, population 5 (Ctrl-C to stop)');
    cli.child.kill('SIGINT');
    const { code, stderr } = await cli.finished;
    expect({ code, stderr }).toEqual({ code: 130, stderr: '' });
  });
});

describe('lifeCommand.run (in this process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-life-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it.each(['threaded', 'pipeline', 'phased', 'pool', 'async', 'parallel'])('--strategy %s gives the blinker\'s columns', async (strategy) => {
    const values: Record<string, string> = { pattern: 'blinker', generations: '3', strategy };
    if (strategy !== 'parallel') values.latency = '5';
    if (['pipeline', 'phased', 'pool', 'parallel'].includes(strategy)) values.workers = '2';
    const { out, done } = runInProcess(values);
    await done;
    expect(out[0]).toBe(columnsOf(Grid.parse(BLINKER), 3));
    expect(out).toHaveLength(2);
  });

  it('reads an RLE file (with a one-cell margin) and redraws each generation in place with --watch', async () => {
    const file = join(dir, 'glider.rle');
    await writeFile(file, '#N Glider\nx = 3, y = 3, rule = B3/S23\nbob$2bo$3o!\n');
    const { out, done } = runInProcess({ pattern: file, watch: true, generations: '1' });
    await done;
    expect(out).toEqual([
      '\x1b[H\x1b[2Jgeneration 0, population 5 (Ctrl-C to stop)', '-----', '--*--', '---*-', '-***-', '-----',
      '\x1b[H\x1b[2Jgeneration 1, population 5 (Ctrl-C to stop)', '-----', '-----', '-*-*-', '--**-', '--*--',
    ]);
  });

  it('rejects an RLE file whose declared size passes the limit, naming the file, the line and the limit', async () => {
    const file = join(dir, 'huge.rle');
    await writeFile(file, '#N huge\nx = 99999999, y = 99999999\n!\n');
    const { code, stdout, stderr } = await runCli(['life', '--pattern', file]);
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `The pattern file ${file} is too large: line 2: x = 99999999, y = 99999999 is 9,999,999,800,000,001 cells, past the limit of 268,435,456 cells\n${HINT}`,
    });
  });

  it('rejects a file that is not RLE with a UsageError naming the file', async () => {
    const file = join(dir, 'bad.rle');
    await writeFile(file, 'x = 3, y = 3, rule = B36/S23\nbob$2bo$3o!\n');
    const { done } = runInProcess({ pattern: file });
    await expect(done).rejects.toMatchObject({ name: 'UsageError', message: `The pattern file ${file} is not RLE: line 1: Expected the rule B3/S23 (Conway's), got B36/S23` });
  });

  it('draws the parallel engine\'s grid straight from shared memory with --watch', async () => {
    const { out, done } = runInProcess({ pattern: 'blinker', strategy: 'parallel', workers: '2', watch: true, generations: '1' });
    await done;
    expect(out).toEqual([
      '\x1b[H\x1b[2Jgeneration 0, population 3 (Ctrl-C to stop)', '-----', '--*--', '--*--', '--*--', '-----',
      '\x1b[H\x1b[2Jgeneration 1, population 3 (Ctrl-C to stop)', '-----', '-----', '-***-', '-----', '-----',
    ]);
  });

  it('rejects with the cell\'s SimulationError, its cause the connection failure, when the server is unreachable', async () => {
    const { done } = runInProcess({ io: 'tcp', server: '127.0.0.1:1' });
    const result = await settle(done);
    expect(result.ok).toBe(false);
    const error = (result as { error: unknown }).error;
    expect(error).toBeInstanceOf(SimulationError);
    expect((error as SimulationError).cause).toBeInstanceOf(LifeConnectionError);
  });

  it('rejects with the signal\'s reason when interrupted, leaving no listener or timer', async () => {
    const controller = new AbortController();
    const timers = activeTimers();
    const out: string[] = [];
    const framed = deferred();
    const line = (text: string): void => {
      // The first frame is a heading and the blinker's 5 rows; the first generation is then in flight.
      if (out.push(text) === 6) framed.resolve();
    };
    const done = lifeCommand.run({ positionals: [], values: { watch: true, pattern: 'blinker', strategy: 'async', latency: '60000' }, out: line, err: line, signal: controller.signal });
    await framed.promise;
    const reason = new Error('Interrupted by SIGINT');
    controller.abort(reason);
    expect(await settle(done)).toEqual({ ok: false, error: reason });
    expect(abortListeners(controller.signal)).toBe(0);
    expect(activeTimers()).toBe(timers);
  });

  it('does not start when the signal is already aborted', async () => {
    const reason = new Error('early');
    const { out, done } = runInProcess({ strategy: 'async', latency: '60000' }, AbortSignal.abort(reason));
    expect(await settle(done)).toEqual({ ok: false, error: reason });
    expect(out).toEqual([]);
  });
});
