/**
 * `npm run photos` end to end, in quick mode: real threads, a real HTTP server on 127.0.0.1,
 * real JPEGs. The lines asserted are the checks that must hold on every run (every upload
 * arrived once at the thumbnail size, every stage saw every photo), never timings. Whatever
 * way a run ends — success, a stage failing, an abort — it leaves no socket, timer or thread.
 */

import { readdirSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main, runPhotos, type PhotosIO } from '../../examples/photos.js';
import { parsePhotosArgs, type PhotosOptions } from '../../examples/photos/args.js';
import { StageError } from '../../src/pipeline/index.js';
import { activeTimers, flush } from '../helpers.js';

const CORRUPT = new URL('../fixtures/photos/corrupt-photo.ts', import.meta.url);

/** Threads of this process (the main one, V8's and libuv's, and any worker still alive). */
function threads(): number {
  return readdirSync('/proc/self/task').length;
}

function sockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind.startsWith('TCP')).length;
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}

/** What a run printed, and an `io` that records it. */
function recorder(isTTY = false): { io: PhotosIO & { err: (line: string) => void }; lines: string[]; errors: string[]; progress: string[]; controller: AbortController } {
  const lines: string[] = [];
  const errors: string[] = [];
  const progress: string[] = [];
  const controller = new AbortController();
  // As in the example's entry point: every stage call watches this one signal.
  setMaxListeners(0, controller.signal);
  return {
    io: { out: (line) => lines.push(line), err: (line) => errors.push(line), progress: { isTTY, write: (text) => progress.push(text) }, signal: controller.signal },
    lines,
    errors,
    progress,
    controller,
  };
}

function quick(argv: readonly string[] = []): PhotosOptions {
  const options = parsePhotosArgs(['--quick', ...argv], 2);
  if (options === 'help') throw new Error('unexpected help');
  return options;
}

/**
 * Each run starts its own threads, which load jimp through tsx here: seconds on a loaded
 * 2-core machine, beyond vitest's default 20 s for a few runs in a row.
 */
const RUN_TIMEOUT = 90_000;

/** The first run pays for what stays alive in any case (libuv's thread pool, fetch's dispatcher). */
beforeAll(async () => {
  const { io } = recorder();
  await runPhotos(quick(['--count', '1']), io);
}, RUN_TIMEOUT);

let before = { sockets: 0, timers: 0, threads: 0 };

beforeEach(async () => {
  await flush();
  before = { sockets: sockets(), timers: activeTimers(), threads: threads() };
});

afterEach(async () => {
  // Sockets and threads close a few loop turns after their owner let go; a leak stays.
  for (let wait = 0; wait < 300 && (sockets() > before.sockets || activeTimers() > before.timers || threads() > before.threads); wait++) await pause();
  expect(sockets()).toBeLessThanOrEqual(before.sockets);
  expect(activeTimers()).toBeLessThanOrEqual(before.timers);
  expect(threads()).toBeLessThanOrEqual(before.threads);
});

describe('npm run photos -- --quick', { timeout: RUN_TIMEOUT }, () => {
  it('uploads every thumbnail exactly once in both runs and prints the stats table', async () => {
    const { io, lines, progress } = recorder();
    expect(await main(['--quick'], io)).toBe(0);
    expect(lines).toContain('Check, serial run: 6 uploads, each exactly once, each 80x60: ok');
    expect(lines).toContain('Check, pipelined run: 6 uploads, each exactly once, each 80x60: ok');
    const table = lines.findIndex((line) => line.trim().startsWith('stage'));
    expect(lines[table]?.trim().split(/\s{2,}/)).toEqual(['stage', 'workers', 'received', 'emitted', 'util', 'p50 ms', 'p95 ms', 'starved ms', 'blocked ms']);
    const rows = lines.slice(table + 1, table + 4).map((line) => line.trim().split(/\s+/));
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      ['download', '3', '6', '6'],
      ['resize', '2', '6', '6'],
      ['upload', '5', '6', '6'],
    ]);
    expect(lines[table + 4]).toMatch(/^ {2}Bottleneck: (download|resize|upload) \(\d+% of its \d workers busy: give it more\)$/);
    expect(lines.some((line) => /^Serially: {2}6 photos in \d+\.\d{3} s, \d+\.\d{2} photos\/s$/.test(line))).toBe(true);
    expect(lines.some((line) => /^Pipelined: 6 photos in \d+\.\d{3} s, \d+\.\d{2} photos\/s \(\d+\.\d{2}x\)$/.test(line))).toBe(true);
    // stdout is not a terminal here: no progress line, not even an erase.
    expect(progress).toEqual([]);
  });

  it('draws the progress line on a terminal and erases it before the report', async () => {
    const { io, lines, progress } = recorder(true);
    expect(await main(['--quick', '--count', '2'], io)).toBe(0);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const last = progress.at(-2) ?? '';
    expect(last.startsWith('\r') && last.endsWith('\x1b[K')).toBe(true);
    expect(last.slice(1, -3)).toMatch(/^2\/2 photos, \d+\.\d photos\/s, ETA 0\.0 s$/);
    expect(progress.at(-1)).toBe('\r\x1b[K');
    expect(lines).toContain('Check, pipelined run: 2 uploads, each exactly once, each 80x60: ok');
  });

  it('prints the usage for --help, and the mistake and the usage for a bad command line', async () => {
    const help = recorder();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.lines[0]).toMatch(/^Usage: npm run photos/);
    const bad = recorder();
    expect(await main(['--threads', '0'], bad.io)).toBe(2);
    expect(bad.errors[0]).toBe('Expected `--threads` to be an integer from 1 to 256, got `"0"` (string)');
    expect(bad.errors[1]).toMatch(/^Usage: npm run photos/);
    expect(bad.lines).toEqual([]);
  });

  it('fails with the stage\'s error when a thumbnail fails, closing the server and the pool', async () => {
    const { io, lines } = recorder();
    const error = await runPhotos(quick(['--count', '4']), { ...io, tasks: CORRUPT }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StageError);
    expect((error as StageError).stage).toBe('resize');
    expect((error as StageError).item).toMatchObject({ index: 3 });
    expect(lines.some((line) => line.startsWith('Check'))).toBe(false);
  });

  it('rejects with the abort reason when its signal aborts mid-run, closing the server and the pool', async () => {
    const { io, controller } = recorder();
    const reason = new Error('stop');
    let calls = 0;
    // Aborts at the pipeline's first progress report: its 100 ms tick while the photos move,
    // or, if they all went through sooner, the report when it settled, and the serial run is
    // then the one aborted. Either way the run must reject with the reason and clean up.
    const progress = { isTTY: true, write: () => void (calls++ === 0 && controller.abort(reason)) };
    await expect(runPhotos(quick(), { ...io, progress })).rejects.toBe(reason);
    expect(calls).toBeGreaterThan(0);
  });
});
