/**
 * Item 53, the blocking-I/O part: Use Threads for Blocking I/O.
 *
 * The seed stands in for a helicopter's serial port with `select()` on a socket that waits
 * 0.1 s; five waits take 0.5 s in a row, and 0.1 s when five threads wait at once while the
 * main thread computes the helicopters' next moves. Node needs no threads for this: a socket
 * read is asynchronous, the kernel (through libuv's epoll) does the waiting, and the main
 * flow is free whenever it is not computing. Here the waits are real: each is a TCP round
 * trip to a server on 127.0.0.1 that answers 100 ms after the request arrives.
 *
 * The server runs in this process, so it too needs the main flow to yield before it can
 * accept a connection and start its 100 ms; the computation below is a few milliseconds and
 * yields afterwards, which is what a remote helicopter would not need. The concurrent
 * requests run in a `taskGroup`, so that one failing request cancels the others' sockets
 * instead of leaving them open, as a bare `Promise.all` would. The demo takes 0.6 s, so quick
 * mode runs it unchanged.
 *
 * @module
 */

import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { taskGroup } from '../src/tasks/index.js';
import { runIfMain, seconds, type Demo } from './harness.js';

/**
 * A local TCP server standing in for the helicopters' serial ports: it answers each request
 * (one line) `delayMs` after the request arrives, then closes the connection. Disposing it
 * closes the listening socket and every open connection and clears every pending answer.
 * Also used by item 59's executor demo.
 *
 * @example
 * ```ts
 * await using server = await HelicopterServer.listen(100);
 * console.log(await slowSystemcall(server.port, AbortSignal.timeout(1000))); // position received
 * ```
 */
export class HelicopterServer implements AsyncDisposable {
  readonly #server: Server;
  /** Connections that are open now; each removes itself (and its timer) when it closes. */
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server, delayMs: number) {
    this.#server = server;
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      let timer: NodeJS.Timeout | undefined;
      socket.once('data', () => {
        timer = setTimeout(() => socket.end('position received\n'), delayMs);
      });
      // A client that gave up (aborted) resets its connection: not an error of the server's.
      socket.on('error', () => socket.destroy());
      socket.once('close', () => {
        clearTimeout(timer);
        this.#sockets.delete(socket);
      });
    });
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static async listen(delayMs: number): Promise<HelicopterServer> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new HelicopterServer(server, delayMs);
  }

  /** The port it listens on. */
  get port(): number {
    const address = this.#server.address();
    // listen() on a TCP port: address() is an AddressInfo, never a pipe name or null, while listening.
    return (address as { port: number }).port;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    if (!this.#server.listening) return;
    const closed = once(this.#server, 'close');
    this.#server.close();
    await closed;
  }
}

/**
 * The seed's `slow_systemcall`: one request to the helicopter and its answer, a real socket
 * round trip. The socket is destroyed when the answer is in, or when `signal` aborts (then
 * the call rejects with `signal.reason`).
 *
 * @example
 * ```ts
 * await using server = await HelicopterServer.listen(100);
 * const answers = await Promise.all([1, 2, 3].map(() => slowSystemcall(server.port, signal))); // ~0.1 s
 * ```
 */
export async function slowSystemcall(port: number, signal: AbortSignal): Promise<string> {
  const socket = connect({ port, host: '127.0.0.1', signal });
  try {
    socket.setEncoding('utf8');
    socket.write('where are you?\n');
    let answer = '';
    for await (const chunk of socket) answer += chunk as string;
    return answer;
  } catch (error) {
    signal.throwIfAborted();
    throw error;
  } finally {
    socket.destroy();
  }
}

/** The seed's `compute_helicopter_location`: integrates a short stretch of a flight path (about a millisecond of CPU). */
function computeHelicopterLocation(index: number): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (let step = 0; step < 20_000; step++) {
    const heading = index + step * 1e-5;
    x += Math.cos(heading) * 1e-3;
    y += Math.sin(heading) * 1e-3;
  }
  return { x, y };
}

/** Item 53, as `loom demo 53` runs it; also runnable alone: `node dist/examples/53-blocking-io.js [--quick]`. */
const demo: Demo = {
  item: 53,
  title: 'Use Threads for Blocking I/O, Avoid for Parallelism',
  async run({ out, signal }) {
    await using server = await HelicopterServer.listen(100);
    out('Five requests to a TCP server on 127.0.0.1 that answers each one after 100 ms.');

    let start = performance.now();
    for (let i = 0; i < 5; i++) await slowSystemcall(server.port, signal);
    out(`Serially: took ${seconds(performance.now() - start)} seconds (the seed: 0.510)`);

    start = performance.now();
    const locations = await taskGroup(async (group) => {
      for (let i = 0; i < 5; i++) group.spawn((taskSignal) => slowSystemcall(server.port, taskSignal));
      return Array.from({ length: 5 }, (_, i) => computeHelicopterLocation(i));
    }, { signal });
    out(`Concurrently, computing ${locations.length} helicopter locations meanwhile: took ${seconds(performance.now() - start)} seconds (the seed: 0.108)`);
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
