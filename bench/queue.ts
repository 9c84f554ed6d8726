/**
 * SPSC bounded queue: one producer awaits `put`, one consumer awaits `get`, capacity 64.
 * Peers: a Node objectMode stream (write/drain backpressure, `for await` reads), p-queue
 * (`onSizeLessThan` backpressure, the consumer is its task), fastq (its `empty` hook as the
 * only backpressure it has). The limit is {@link MinimalQueue}. A second table measures the
 * no-wait path (`putNowait`/`getNowait`).
 *
 * @module
 */

import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import fastq from 'fastq';
import PQueue from 'p-queue';
import { Queue } from '../src/queue/index.js';
import { interleaved, medianOf, nsSince, printTable, type Suite } from './harness.js';
import { MinimalQueue } from './limits/minimal.js';

const CAPACITY = 64;

/** Items per second moving `n` items through `transfer`. */
async function rate(n: number, transfer: (n: number) => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await transfer(n);
  return n / (nsSince(start) / 1e9);
}

async function viaLoom(n: number): Promise<void> {
  const queue = new Queue<number>({ maxsize: CAPACITY });
  const consumer = (async () => {
    for (let i = 0; i < n; i++) await queue.get();
  })();
  for (let i = 0; i < n; i++) await queue.put(i);
  await consumer;
}

async function viaLimit(n: number): Promise<void> {
  const queue = new MinimalQueue<number>(CAPACITY);
  const consumer = (async () => {
    for (let i = 0; i < n; i++) await queue.get();
  })();
  for (let i = 0; i < n; i++) await queue.put(i);
  await consumer;
}

async function viaStream(n: number): Promise<void> {
  const stream = new PassThrough({ objectMode: true, highWaterMark: CAPACITY });
  const consumer = (async () => {
    let seen = 0;
    for await (const _ of stream) seen++;
    return seen;
  })();
  for (let i = 0; i < n; i++) {
    if (!stream.write(i)) await once(stream, 'drain');
  }
  stream.end();
  await consumer;
}

async function viaPQueue(n: number): Promise<void> {
  const queue = new PQueue({ concurrency: 1 });
  let seen = 0;
  for (let i = 0; i < n; i++) {
    await queue.onSizeLessThan(CAPACITY);
    void queue.add(async () => {
      seen++;
    });
  }
  await queue.onIdle();
  if (seen !== n) throw new Error(`p-queue saw ${seen} of ${n} items`);
}

async function viaFastq(n: number): Promise<void> {
  let seen = 0;
  const queue = fastq.promise(async (_item: number) => {
    seen++;
  }, 1);
  for (let i = 0; i < n; i++) {
    if (queue.length() >= CAPACITY) await new Promise<void>((resolve) => (queue.empty = resolve));
    void queue.push(i);
  }
  await queue.drained();
  if (seen !== n) throw new Error(`fastq saw ${seen} of ${n} items`);
}

function nowaitRate(n: number): number {
  const queue = new Queue<number>({ maxsize: CAPACITY });
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += CAPACITY) {
    for (let j = 0; j < CAPACITY; j++) queue.putNowait(j);
    for (let j = 0; j < CAPACITY; j++) queue.getNowait();
  }
  return (2 * n) / (nsSince(start) / 1e9);
}

const suite: Suite = async ({ quick }) => {
  const n = quick ? 2_000 : 1_000_000;
  const runs = 5;
  const cases: [string, (n: number) => Promise<void>][] = [
    ['loom Queue', viaLoom],
    ['limit', viaLimit],
    ['objectMode stream', viaStream],
    ['p-queue', viaPQueue],
    ['fastq', viaFastq],
  ];
  const rows = await interleaved(
    cases.map(([name, transfer]) => [name, async () => (await rate(n, transfer)) / 1e6] as const),
    runs,
    quick,
  );
  printTable(`SPSC bounded queue, ${n.toLocaleString('en-US')} items, capacity ${CAPACITY}, awaited put/get`, 'M items/s', rows, 'limit', true);
  const nowait = await medianOf(runs, () => nowaitRate(n), quick);
  printTable('Queue putNowait + getNowait', 'M ops/s', [{ name: 'loom Queue', median: nowait / 1e6 }], 'loom Queue', true);
};

export default suite;
