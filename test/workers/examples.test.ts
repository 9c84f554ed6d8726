/**
 * The worker demos (items 53 and 54 across threads), run in quick mode from source: the
 * lines that must hold on every run (exact counts), never timings.
 */

import { expect, test } from 'vitest';
import type { DemoContext } from '../../examples/harness.js';
import parallelism from '../../examples/53-parallelism.js';
import sharedMemory from '../../examples/54-shared-memory.js';

async function printed(run: (ctx: DemoContext) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  await run({ quick: true, out: (line) => lines.push(line), signal: new AbortController().signal });
  return lines;
}

test('item 53: serial, concurrent promises, and the WorkerPool, with speedups', async () => {
  const lines = await printed((ctx) => parallelism.run(ctx));
  expect(lines[0]).toMatch(/^Serially: took \d+\.\d{3} seconds \(the seed: 0\.399\)$/);
  expect(lines[1]).toMatch(/^Concurrent promises on one thread: took \d+\.\d{3} seconds/);
  expect(lines[2]).toMatch(/^WorkerPool of \d+ threads, started cold: took \d+\.\d{3} seconds \(\d+\.\d{2}x the serial speed/);
  expect(lines[3]).toMatch(/^3x the numbers, each x1 \(12 factorizations\): serially \d+\.\d{3} seconds, on \d+ warm threads \d+\.\d{3} seconds$/);
  expect(lines[4]).toMatch(/^Speedup on warm threads: \d+\.\d{2}x with \d+ cores$/);
});

test('item 54 across threads: the racy count loses what it loses, the mutex and the atomic add lose nothing', async () => {
  const lines = await printed((ctx) => sharedMemory.run(ctx));
  const counts = lines.filter((line) => line.startsWith('Counter should be'));
  expect(counts).toHaveLength(3);
  expect(counts[0]).toMatch(/^Counter should be 50000, got \d+: lost \d+ updates in \d+\.\d{3} seconds$/);
  expect(counts[1]).toMatch(/^Counter should be 50000, got 50000: lost 0 updates in /);
  expect(counts[2]).toMatch(/^Counter should be 50000, got 50000: lost 0 updates in /);
});
