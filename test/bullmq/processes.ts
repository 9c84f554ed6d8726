/**
 * Real processes for the fault tests: `loom worker` children (the built CLI, with tsx so that
 * the TypeScript task module loads) and a private `redis-server` on a free port that a test
 * can stop and start again, with or without persistence.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../cli/spawn-cli.js';
import { TASKS } from './support.js';

/** A `loom worker` child process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves once it printed its ready line. */
  readonly ready: Promise<void>;
  /** Resolves with its exit code (or `null` when killed by a signal) and its output. */
  readonly finished: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `loom worker --redis url --queue queue --module TASKS --prefix prefix ...extra`. */
export function startWorkerProcess(url: string, queue: string, prefix: string, extra: readonly string[] = []): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', '--redis', url, '--queue', queue, '--module', TASKS, '--prefix', prefix, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const finished = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      if (/^loom worker ready: /m.test(stdout)) resolve();
    });
    void finished.then((end) => reject(new Error(`loom worker exited before it was ready: ${JSON.stringify(end)}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, finished };
}

/** A free TCP port on 127.0.0.1 (free when this returns). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A private Redis that can be stopped and started again on the same port and data folder. */
export class PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'loom-redis-'));
  #child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    /** Keep data across restarts (an append-only file fsynced on every write). */
    readonly persistent: boolean,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server and resolves once it logs that it accepts connections. */
  async start(): Promise<void> {
    const persistence = this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--dir', this.dir, ...persistence], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.#child = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        log += chunk;
        if (log.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${log}`)));
    });
    child.stdout?.resume();
  }

  /** Stops the server (SIGTERM: Redis flushes its append-only file first) and waits for its exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
