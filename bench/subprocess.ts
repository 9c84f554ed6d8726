/**
 * Child processes: what loom's bookkeeping (validation, exit tracking, lazy cleanup handlers,
 * output capture) costs on top of raw `child_process`, beside execa and tinyexec.
 *
 * - spawn overhead: sequential `true` with stdout captured, ms per spawn. Node forks on the
 *   event-loop thread, so this is mostly fork+exec; the target is <= 1.1x raw.
 * - 100 parallel `sleep 0.5`: wall time for all of them, ms; target <= 1.05x raw.
 * - N MiB through `cat`, MiB/s: raw Node streaming (write the buffer, count the output) is the
 *   baseline; `loom streaming` reads a `Subprocess`'s stdout the same way; `raw buffered` keeps
 *   the chunks and joins them once (the usual hand-written way); `raw presized` copies each
 *   chunk into one buffer allocated up front at exactly N MiB, which needs the size in advance
 *   and is the least any buffered API can do; `loom run` and `execa buffered` return the output
 *   as one Buffer. Keeping N MiB means faulting in N MiB of fresh memory, which streaming never
 *   does (it reuses the same few warm chunks): compare `loom run` with `raw presized`.
 *   `shell pipe` is `head -c N /dev/zero | cat > /dev/null` run by sh.
 *
 * Peers run with their defaults except where noted (execa's `maxBuffer` raised for the big
 * transfer). Cases run in interleaved rounds rather than one `medianOf` block each (see
 * `interleaved`): on a shared machine the load drifts. Run node with `--expose-gc` for steadier
 * buffered figures. `--quick`: one round of 3 spawns, 5 sleeps of 10 ms, 1 MiB.
 *
 * @module
 */

import { spawn as nodeSpawn } from 'node:child_process';
import { execa } from 'execa';
import { x } from 'tinyexec';
import { finished } from 'node:stream/promises';
import { run, spawn } from '../src/subprocess/index.js';
import { median, nsSince, printTable, type Row, type Suite } from './harness.js';

/** Raw Node: spawn, capture stdout, resolve on 'close'. The floor loom is compared with. */
function rawRun(file: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = nodeSpawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Raw Node through `cat`: one write of the buffer; the output counted and dropped (`'drop'`:
 * streaming), kept and joined into one Buffer (`'join'`), or copied into one Buffer of the
 * known final size (`'presized'`: the floor for any buffered API).
 */
function rawCat(input: Buffer, keep: 'drop' | 'join' | 'presized'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = nodeSpawn('cat', [], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    const into = keep === 'presized' ? Buffer.allocUnsafeSlow(input.length) : undefined;
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (into !== undefined) chunk.copy(into, bytes);
      else if (keep === 'join') chunks.push(chunk);
      bytes += chunk.length;
    });
    child.once('error', reject);
    child.once('close', () => resolve(keep === 'join' ? Buffer.concat(chunks).length : bytes));
    child.stdin.end(input);
  });
}

/** loom streaming: a `Subprocess` whose stdout is read as it comes, nothing kept. */
async function loomStream(input: Buffer): Promise<number> {
  await using proc = spawn(['cat'], { stderr: 'ignore' });
  let bytes = 0;
  proc.stdout?.on('data', (chunk: Buffer) => (bytes += chunk.length));
  proc.stdin?.end(input);
  await proc.wait();
  await finished(proc.stdout as NodeJS.ReadableStream);
  return bytes;
}

const runners: Record<string, (file: string, args: string[]) => PromiseLike<unknown>> = {
  raw: rawRun,
  loom: (file, args) => run([file, ...args]),
  execa: (file, args) => execa(file, args),
  tinyexec: (file, args) => x(file, args),
};

/**
 * Measures every case in interleaved rounds (each round runs each case once, starting one case
 * later each time, and every other round in reverse order) and returns their medians. On a
 * shared, noisy machine the load drifts over seconds; interleaving exposes every case to the
 * same drift, where back-to-back blocks (what `medianOf` per case gives) let one case take all
 * of a busy spell. Reversing gives each case two different predecessors, and with
 * `node --expose-gc` the heap is collected before each case, so that no case pays for freeing
 * the hundreds of MiB the one before it kept (rotation alone leaves each case always after the
 * same neighbour). Round 0 is a warm-up.
 */
async function interleaved(cases: Record<string, () => Promise<number>>, rounds: number, quick: boolean): Promise<Row[]> {
  const names = Object.keys(cases);
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  const total = quick ? 1 : rounds + 1;
  for (let round = 0; round < total; round++) {
    for (let i = 0; i < names.length; i++) {
      const at = round % 2 === 0 ? i : names.length - 1 - i;
      const name = names[(at + round) % names.length] as string;
      globalThis.gc?.();
      const value = await (cases[name] as () => Promise<number>)();
      if (quick || round > 0) samples.get(name)?.push(value);
    }
  }
  return names.map((name) => ({ name, median: median(samples.get(name) ?? []) }));
}

async function spawnOverhead(quick: boolean): Promise<void> {
  const spawns = quick ? 3 : 20;
  const cases = Object.fromEntries(
    Object.entries(runners).map(([name, runner]) => [
      name,
      async () => {
        const start = process.hrtime.bigint();
        for (let i = 0; i < spawns; i++) await runner('true', []);
        return nsSince(start) / 1e6 / spawns;
      },
    ]),
  );
  const rows = await interleaved(cases, 15, quick);
  printTable(`spawn overhead: sequential \`true\`, stdout captured, ${quick ? 'one run' : 'median of 15 runs'} of ${spawns}`, 'ms/spawn', rows, 'raw', false);
}

async function parallelSleeps(quick: boolean): Promise<void> {
  const [count, seconds] = quick ? [5, '0.01'] : [100, '0.5'];
  const cases = Object.fromEntries(
    Object.entries(runners).map(([name, runner]) => [
      name,
      async () => {
        const start = process.hrtime.bigint();
        await Promise.all(Array.from({ length: count }, () => runner('sleep', [seconds])));
        return nsSince(start) / 1e6;
      },
    ]),
  );
  const rows = await interleaved(cases, 7, quick);
  printTable(`${count} parallel \`sleep ${seconds}\`, ${quick ? 'one run' : 'median of 7'}`, 'ms', rows, 'raw', false);
}

async function throughCat(quick: boolean): Promise<void> {
  const mib = quick ? 1 : 256;
  const input = Buffer.alloc(mib * 1024 * 1024, 97);
  const check = (bytes: number): void => {
    if (bytes !== input.length) throw new Error(`cat returned ${bytes} bytes, expected ${input.length}`);
  };
  const once: Record<string, () => Promise<void>> = {
    'shell pipe': async () => {
      await rawRun('sh', ['-c', `head -c ${input.length} /dev/zero | cat > /dev/null`]);
    },
    raw: async () => check(await rawCat(input, 'drop')),
    'loom streaming': async () => check(await loomStream(input)),
    'raw buffered': async () => check(await rawCat(input, 'join')),
    'raw presized': async () => check(await rawCat(input, 'presized')),
    'loom run': async () => check((await run(['cat'], { input, encoding: 'buffer', maxBuffer: Infinity })).stdout.length),
    'execa buffered': async () => check((await execa('cat', { input, encoding: 'buffer', maxBuffer: Infinity })).stdout.length),
  };
  const cases = Object.fromEntries(
    Object.entries(once).map(([name, fn]) => [
      name,
      async () => {
        const start = process.hrtime.bigint();
        await fn();
        return mib / (nsSince(start) / 1e9);
      },
    ]),
  );
  const rows = await interleaved(cases, 7, quick);
  printTable(`${mib} MiB through \`cat\`, ${quick ? 'one run' : 'median of 7'}`, 'MiB/s', rows, 'raw', true);
}

const suite: Suite = async ({ quick }) => {
  await spawnOverhead(quick);
  await parallelSleeps(quick);
  await throughCat(quick);
};

export default suite;
