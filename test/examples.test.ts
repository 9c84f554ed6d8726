/**
 * Every demo `loom demo` lists, run in quick mode in this process, as the CLI runs them. The
 * demos print what they show; the lines asserted here are the seed's results that must hold
 * on every run (a lost-update count, an ordering, `1000 items finished`), never timings.
 */

import { setMaxListeners } from 'node:events';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Demo } from '../examples/harness.js';
import { demos } from '../examples/index.js';

/** Each demo's run, so that the generic and the item-specific tests share one run. */
const runs = new Map<Demo, Promise<string[]>>();

/** Runs `demo` in quick mode (once per file) and returns the lines it printed. */
function runQuick(demo: Demo): Promise<string[]> {
  let run = runs.get(demo);
  if (run === undefined) {
    run = printed(demo);
    runs.set(demo, run);
  }
  return run;
}

async function printed(demo: Demo): Promise<string[]> {
  const lines: string[] = [];
  const controller = new AbortController();
  // As in the CLI: demos fan out many waits on this one signal.
  setMaxListeners(0, controller.signal);
  await demo.run({ quick: true, out: (line) => lines.push(line), signal: controller.signal });
  return lines;
}

/** The lines of `lines` that equal one of `wanted`, in the order printed. */
function only(lines: readonly string[], wanted: readonly string[]): string[] {
  return lines.filter((line) => wanted.includes(line));
}

/** The demo of `item` whose title is `title`. */
function demoOf(item: number, title: string): Demo {
  const demo = demos.find((candidate) => candidate.item === item && candidate.title === title);
  if (demo === undefined) throw new Error(`No demo for item ${item}: ${title}`);
  return demo;
}

describe('examples/index.ts', () => {
  it('lists the seed\'s items in order, each with a title', () => {
    expect(demos.map((demo) => demo.item)).toEqual([...demos.map((demo) => demo.item)].sort((a, b) => a - b));
    for (const demo of demos) {
      expect(demo.item).toBeGreaterThanOrEqual(52);
      expect(demo.item).toBeLessThanOrEqual(60);
      expect(demo.title).not.toBe('');
    }
    expect(new Set(demos.map((demo) => demo.item))).toEqual(new Set([52, 53, 54, 55, 56, 57, 58, 59, 60]));
  });

  it('lists every demo file in examples/', async () => {
    const folder = new URL('../examples/', import.meta.url);
    const files = readdirSync(folder).filter((name) => /^\d{2}-.*\.ts$/.test(name));
    expect(files.length).toBe(demos.length);
    for (const file of files) {
      const url = new URL(file, folder).href;
      const module = (await import(/* @vite-ignore */ url)) as { default: Demo };
      expect(demos).toContain(module.default);
    }
  });

  it.each(demos.map((demo) => [`${demo.item}: ${demo.title}`, demo] as const))('item %s runs in quick mode and prints', async (_name, demo) => {
    const lines = await runQuick(demo);
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('item 53: blocking I/O', () => {
  it('times five socket waits serially and concurrently', async () => {
    const lines = await runQuick(demoOf(53, 'Use Threads for Blocking I/O, Avoid for Parallelism'));
    const serial = lines.find((line) => line.startsWith('Serially: took '));
    const concurrent = lines.find((line) => line.startsWith('Concurrently, computing 5 helicopter locations meanwhile: took '));
    expect(serial).toMatch(/took \d\.\d{3} seconds \(the seed: 0\.510\)$/);
    expect(concurrent).toMatch(/took \d\.\d{3} seconds \(the seed: 0\.108\)$/);
  });
});

describe('item 54: the lock', () => {
  it('loses exactly four fifths of the updates without a lock, none with the Mutex', async () => {
    const lines = await runQuick(demoOf(54, 'Use Lock to Prevent Data Races in Threads'));
    expect(lines.filter((line) => line.startsWith('Counter should be'))).toEqual([
      'Counter should be 50000, got 10000',
      'Counter should be 50000, got 50000',
    ]);
  });
});

describe('item 55: queues', () => {
  it('prints the seed\'s orderings and finishes all 1000 items twice', async () => {
    const lines = await runQuick(demoOf(55, 'Use Queue to Coordinate Work Between Threads'));
    expect(lines.some((line) => /^Processed 1000 items after polling \d+ times$/.test(line))).toBe(true);
    const section = (title: string): string[] => {
      const start = lines.findIndex((line) => line.startsWith(`-- ${title}`));
      const end = lines.findIndex((line, i) => i > start && line.startsWith('-- '));
      return lines.slice(start + 1, end);
    };
    expect(section('get() waits')).toEqual(['Consumer waiting', 'Producer putting', 'Producer done', 'Consumer done']);
    expect(section('A buffer of size 1')).toEqual(['Producer put 1', 'Consumer got 1', 'Producer put 2', 'Producer done', 'Consumer got 2', 'Consumer done']);
    expect(section('join() waits')).toEqual(['Consumer waiting', 'Producer putting', 'Producer waiting', 'Consumer working', 'Consumer done', 'Producer done']);
    expect(only(lines, ['1000 items finished'])).toEqual(['1000 items finished', '1000 items finished']);
  });

  it('runs the same pipeline with pipeline() and names its bottleneck in the stats table', async () => {
    const lines = await runQuick(demoOf(55, 'Use Queue to Coordinate Work Between Threads'));
    const start = lines.indexOf('-- The same with pipeline(): 3, 4 and 5 workers per stage, buffers of 10');
    expect(start).toBeGreaterThan(0);
    const section = lines.slice(start + 1);
    expect(section[0]).toBe('1000 items finished by pipeline()');
    expect(section[1]).toMatch(/^stage\s+workers\s+received\s+emitted\s+util\s+p50 ms\s+p95 ms\s+starved ms\s+blocked ms$/);
    expect(section[2]).toMatch(/^download\s+3\s+1000\s+1000\s+\d+%/);
    expect(section[3]).toMatch(/^resize\s+4\s+1000\s+1000\s+\d+%/);
    expect(section[4]).toMatch(/^upload\s+5\s+1000\s+1000\s+\d+%/);
    // Every stage does the same work per item, so the one with the fewest workers is the busiest.
    expect(section[5]).toMatch(/^Bottleneck: download \(\d+% of its 3 workers busy: give it more\)$/);
  });
});

describe('item 59: executor', () => {
  it('never runs more requests at once than maxWorkers, and map keeps input order', async () => {
    const lines = await runQuick(demoOf(59, 'Consider ThreadPoolExecutor When Threads Are Necessary for Concurrency'));
    expect(lines.some((line) => line.startsWith('maxWorkers 5: at most 5 in flight, took '))).toBe(true);
    expect(lines.some((line) => line.startsWith('maxWorkers 10: at most 10 in flight, took '))).toBe(true);
    expect(lines.some((line) => line.startsWith('executor.map(): 10 answers in input order'))).toBe(true);
  });
});

describe('item 60: coroutines', () => {
  it('fans out thousands of coroutines three ways', async () => {
    const lines = await runQuick(demoOf(60, 'Achieve Highly Concurrent I/O with Coroutines'));
    for (const label of ['Promise.all', 'TaskGroup', 'map']) {
      expect(lines.some((line) => new RegExp(`^${label.replace('.', '\\.')}: 2000 coroutines awaiting 100 ms each finished in \\d+\\.\\d{3} seconds, ~\\d+ bytes per task while waiting$`).test(line))).toBe(true);
    }
  });
});
