/**
 * The soak benchmark (issue 10): `loom life-server` on 127.0.0.1, spawned as a user runs it,
 * serving 50 well-behaved clients for 60 s (2 s in quick mode), once alone and once while, at
 * the same time, one client streams an endless line, 900 connections sit idle and one
 * pipelines requests without reading (`soak-hostile.ts`, in its own process). It prints
 * answers/s to the well-behaved clients in both runs and their ratio (the bounds hold if the
 * hostile run keeps >= 0.8x), their p99 latency, the server's RSS and open file descriptors
 * a second into the run and at its end, and whether every request of a well-behaved client got
 * exactly one answer. A request missing its answer or answered twice sets exit status 1: that
 * is a correctness failure, not a figure.
 *
 * Each well-behaved client keeps 64 requests in flight on its own connection and sends the next
 * one as each answer comes. The server runs as a user starts it, with its default 100 ms
 * latency, so the well-behaved clients' ceiling is 50 x 64 / 0.1 s = 32,000 answers/s, and
 * their throughput falls only if the hostile clients take the server's time or memory; its idle
 * timeout is longer than the run, so that the idle connections stay. (With `--latency 0` the
 * figure would be the server's raw CPU throughput instead, and a client pipelining 65,536
 * requests without reading takes most of it for as long as the kernel keeps accepting its
 * answers — up to 32 MiB of receive buffer on Linux — since `maxInFlight` bounds memory, not
 * CPU share.)
 *
 * @module
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { printTable, type Row, type Suite } from './harness.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const HOSTILE = fileURLToPath(new URL('./soak-hostile.js', import.meta.url));
/** The server's default latency: the soak runs it as a user does. */
const LATENCY = 100;
const CLIENTS = 50;
/** Idle connections the hostile process opens (`soak-hostile.ts`). */
const IDLE = 900;
const WINDOW = 64;
/** Latency histogram: 10 µs buckets up to 1 s, and one bucket past it. */
const BUCKET_US = 10;
const BUCKETS = 100_000;

/** What one run measured. */
interface Soak {
  readonly answersPerSecond: number;
  readonly p99Ms: number;
  readonly rss: readonly [number, number];
  readonly fds: readonly [number, number];
  readonly sent: number;
  /** Answers for an id not in flight (a duplicate or an invented one). */
  readonly unexpected: number;
  /** Requests still unanswered after the drain. */
  readonly missing: number;
}

/** Resident set size of `pid` in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) / 1024;
}

function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Spawns `loom life-server` and resolves with it and its port once it printed its ready line. */
async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, 'life-server', '--port', '0', '--latency', String(LATENCY), '--idle-timeout', '3600000'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  for await (const chunk of child.stdout ?? []) {
    text += String(chunk);
    const match = /listening on 127\.0\.0\.1:(\d+)/.exec(text);
    if (match !== null) return { child, port: Number(match[1]) };
  }
  throw new Error(`loom life-server did not start: ${text}`);
}

/** A well-behaved client: WINDOW requests in flight, the next sent as each answer arrives, until `stop()`. */
class GoodClient {
  readonly #socket: Socket;
  readonly #sentAt = new Map<number, number>();
  #nextId = 0;
  #stopped = false;
  #partial = '';
  answers = 0;
  unexpected = 0;
  drained: Promise<void> | undefined;
  #onDrained: (() => void) | undefined;

  constructor(port: number, readonly histogram: Uint32Array, readonly counting: { on: boolean }) {
    this.#socket = connect({ port, host: '127.0.0.1', noDelay: true });
    this.#socket.setEncoding('latin1');
    this.#socket.on('data', (chunk: string) => this.#onData(chunk));
  }

  get sent(): number {
    return this.#nextId;
  }

  get inFlight(): number {
    return this.#sentAt.size;
  }

  async start(): Promise<void> {
    await once(this.#socket, 'connect');
    let batch = '';
    for (let i = 0; i < WINDOW; i++) batch += this.#request();
    this.#socket.write(batch);
  }

  /** Stops sending; resolves once every request in flight is answered. */
  stop(): Promise<void> {
    this.#stopped = true;
    this.drained = this.#sentAt.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.#onDrained = resolve));
    return this.drained;
  }

  close(): void {
    this.#socket.destroy();
  }

  #request(): string {
    const id = this.#nextId++;
    this.#sentAt.set(id, performance.now());
    return `Q ${id} ${id % 7} ${id % 11} ${id % 2 === 0 ? '*' : '-'} ${id % 9}\n`;
  }

  #onData(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    let batch = '';
    const now = performance.now();
    for (const line of lines) {
      const id = Number(line.split(' ')[1]);
      const sentAt = this.#sentAt.get(id);
      if (sentAt === undefined) {
        this.unexpected++;
        continue;
      }
      this.#sentAt.delete(id);
      if (this.counting.on) {
        this.answers++;
        const bucket = Math.min(BUCKETS, Math.floor(((now - sentAt) * 1000) / BUCKET_US));
        this.histogram[bucket] = (this.histogram[bucket] ?? 0) + 1;
      }
      if (!this.#stopped) batch += this.#request();
    }
    if (batch !== '') this.#socket.write(batch);
    if (this.#stopped && this.#sentAt.size === 0) this.#onDrained?.();
  }
}

/** The `q` quantile of the histogram, in ms. */
function quantileMs(histogram: Uint32Array, q: number): number {
  let total = 0;
  for (const count of histogram) total += count;
  let seen = 0;
  for (const [bucket, count] of histogram.entries()) {
    seen += count;
    if (seen >= q * total) return ((bucket + 1) * BUCKET_US) / 1000;
  }
  return Number.NaN;
}

/** One run of `seconds` against a fresh server, with or without the hostile clients. */
async function soak(seconds: number, hostile: boolean): Promise<Soak> {
  const { child: server, port } = await startServer();
  const pid = server.pid as number;
  /** The server's descriptors before any client: its listening socket, stdio, the runtime's own. */
  const base = openFds(pid);
  let hostiles: ChildProcess | undefined;
  const clients: GoodClient[] = [];
  try {
    if (hostile) {
      hostiles = spawn(process.execPath, [HOSTILE, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
      let text = '';
      for await (const chunk of hostiles.stdout ?? []) if ((text += String(chunk)).includes('ready\n')) break;
    }
    const histogram = new Uint32Array(BUCKETS + 1);
    const counting = { on: false };
    for (let i = 0; i < CLIENTS; i++) clients.push(new GoodClient(port, histogram, counting));
    await Promise.all(clients.map((client) => client.start()));
    // A second of warm-up before measuring (the JIT compiles the hot paths), and then until the
    // server has accepted every connection the clients opened: the kernel completes a handshake
    // before the server accepts it, so the hostile process's `ready` comes first.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const accepted = base + CLIENTS + (hostile ? IDLE + 1 : 0);
    for (let waited = 0; openFds(pid) < accepted && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    const startRss = rssMiB(pid);
    const startFds = openFds(pid);
    counting.on = true;
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    counting.on = false;
    const elapsed = (performance.now() - start) / 1000;
    const endRss = rssMiB(pid);
    const endFds = openFds(pid);
    const answers = clients.reduce((sum, client) => sum + client.answers, 0);
    await Promise.race([Promise.all(clients.map((client) => client.stop())), new Promise((resolve) => setTimeout(resolve, 5000))]);
    return {
      answersPerSecond: answers / elapsed,
      p99Ms: quantileMs(histogram, 0.99),
      rss: [startRss, endRss],
      fds: [startFds, endFds],
      sent: clients.reduce((sum, client) => sum + client.sent, 0),
      unexpected: clients.reduce((sum, client) => sum + client.unexpected, 0),
      missing: clients.reduce((sum, client) => sum + client.inFlight, 0),
    };
  } finally {
    for (const client of clients) client.close();
    hostiles?.stdin?.end();
    if (hostiles !== undefined && hostiles.exitCode === null) await once(hostiles, 'exit');
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
  }
}

const suite: Suite = async ({ quick }) => {
  const seconds = quick ? 2 : 60;
  const alone = await soak(seconds, false);
  const attacked = await soak(seconds, true);
  const row = (name: string, run: Soak): Row => ({
    name,
    median: run.answersPerSecond,
    extra: {
      'p99 ms': run.p99Ms.toFixed(2),
      'RSS MiB start/end': `${run.rss[0].toFixed(0)}/${run.rss[1].toFixed(0)}`,
      'fds start/end': `${run.fds[0]}/${run.fds[1]}`,
      'exactly one answer': run.unexpected === 0 && run.missing === 0 ? `yes (${run.sent.toLocaleString('en-US')} requests)` : `NO: ${run.missing} missing, ${run.unexpected} unexpected`,
    },
  });
  printTable(`soak: loom life-server, ${CLIENTS} clients x ${WINDOW} in flight, ${seconds} s per run`, 'answers/s', [row('alone', alone), row('with hostile clients', attacked)], 'alone', true);
  const ratio = attacked.answersPerSecond / alone.answersPerSecond;
  const rssGrowth = attacked.rss[1] - attacked.rss[0];
  const fdGrowth = attacked.fds[1] - attacked.fds[0];
  console.log(`throughput under attack: ${ratio.toFixed(2)}x alone (bound: >= 0.8x)${ratio >= 0.8 ? '' : ' BELOW THE BOUND'}`);
  console.log(`server RSS growth under attack: ${rssGrowth.toFixed(1)} MiB (bound: 64 MiB); open fds: ${fdGrowth >= 0 ? '+' : ''}${fdGrowth} (bound: 10)`);
  for (const run of [alone, attacked]) if (run.unexpected > 0 || run.missing > 0) process.exitCode = 1;
};

export default suite;
