/**
 * The photo pipeline's resize stage on a fleet: `npm run photos -- --redis URL` runs the
 * thumbnails on two `loom worker` processes through a BullMQ queue instead of on a local
 * `WorkerPool`. This file is both ends: the task module the workers load (`thumbnailBase64`:
 * jobs travel as JSON, so the JPEG bytes travel as base64 text, a third bigger), and
 * {@link startFleet}, which starts the two workers and the `BullExecutor` the stage calls.
 *
 * The workers are started by the example so that one command shows the whole thing; in
 * production they are started on other machines (`loom worker --redis … --module …`), and the
 * stage's code is the same.
 *
 * @module
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { BullExecutor } from '../../src/bullmq/index.js';
import { thumbnail } from './thumbnail.js';

/** Running from source (tests) or from `dist/`: the worker loads this very file, and the CLI of the same build. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const SELF = fileURLToPath(import.meta.url);
const CLI = fileURLToPath(new URL(`../../src/cli/main.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url));

/**
 * The thumbnail of the base64 JPEG `photo`, as base64: `thumbnail.ts`' task, for a remote worker.
 *
 * @example
 * ```ts
 * const thumb = await executor.run<string>('thumbnailBase64', [jpeg.toString('base64'), 160, 120]);
 * ```
 */
export async function thumbnailBase64(photo: string, width: number, height: number): Promise<string> {
  if (typeof photo !== 'string') throw new TypeError(`Expected a photo as base64 text, got ${typeof photo}`);
  const made = await thumbnail(Buffer.from(photo, 'base64'), width, height);
  return Buffer.from(made.value).toString('base64');
}

/** Two workers and the executor that reaches them; `close()` stops all of it and removes the queue's keys. */
export interface Fleet {
  readonly executor: BullExecutor;
  /** The thumbnail of `photo` made by a worker. */
  readonly resize: (photo: Uint8Array, width: number, height: number, signal: AbortSignal) => Promise<Uint8Array<ArrayBuffer>>;
  close(): Promise<void>;
}

/**
 * Starts `workers` `loom worker` processes of `threads` threads each on a queue of its own at
 * `url`, and resolves once they all take jobs.
 *
 * @example
 * ```ts
 * await using fleet = await startFleet('redis://127.0.0.1:6379', 2, 1);
 * ```
 */
export async function startFleet(url: string, workers: number, threads: number): Promise<Fleet> {
  const prefix = `loom-photos-${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  const executor = new BullExecutor({ queue: 'thumbnails', connection: url, prefix });
  const close = async (): Promise<void> => {
    await executor.shutdown();
    await Promise.all(children.map(stop));
    const { Redis } = await import('ioredis');
    const redis = new Redis(url);
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  };
  try {
    for (let i = 0; i < workers; i++) {
      const args = [...(FROM_SOURCE ? ['--import', 'tsx'] : []), CLI, 'worker', '--redis', url, '--queue', 'thumbnails', '--prefix', prefix, '--module', SELF, '--threads', String(threads)];
      children.push(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] }));
    }
    await Promise.all(children.map(ready));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    executor,
    resize: async (photo, width, height, signal) => {
      const thumb = await executor.run<string>('thumbnailBase64', [Buffer.from(photo).toString('base64'), width, height], { signal });
      return new Uint8Array(Buffer.from(thumb, 'base64'));
    },
    close,
  };
}

/** Resolves once `child` printed its ready line; rejects if it exits first. */
function ready(child: ChildProcess): Promise<void> {
  let out = '';
  return new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('loom worker ready:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`loom worker exited with ${code} before it was ready: ${out}`)));
  });
}

/** SIGTERM (the worker finishes or hands back its jobs and exits 0), then waits for the exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
