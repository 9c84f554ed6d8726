/**
 * The game server: a stand-in for the seed's "massively multiplayer online game" where each
 * cell's next state is decided by talking to other players over the Internet. It answers every
 * cell request after a configurable `latency` (the seed's 100 ms "cross-country round trip"),
 * so that a client doing real network I/O sees the cost the seed describes.
 *
 * Every answer waits in one `DelayLine` (a FIFO driven by a single timer: the latency is the
 * same for all, so due times arrive in order) rather than behind its own `setTimeout`: 10,000
 * requests per generation allocate no timers, and each held request is one record (`Job`)
 * with no closure. Requests are parsed from the received bytes in place (see `protocol.ts`).
 * A cancellation (`C <id>`), the connection closing, or `close()` drops a held answer, so a
 * failed generation leaves nothing behind on the server either (`pending === 0`). The answers
 * that fall due together are written to each connection as one byte buffer (`FrameWriter`)
 * after the batch: one syscall per burst instead of one per cell (timers run their microtasks
 * between callbacks, so a microtask flush would not batch).
 *
 * @module
 */

import { createServer, type Server, type Socket } from 'node:net';
import { checkFunction, checkInteger, checkOptions, expectation } from '../../core/validate.js';
import type { CellState } from '../cell.js';
import { gameLogic } from '../rules.js';
import { DelayLine, type DelayedJob } from './delay-line.js';
import { FrameWriter } from './frame-writer.js';
import { LineReader, newFrame, parseClientFrame } from './protocol.js';

/**
 * Decides a cell on the server: the seed's rule by default. Throwing sends the client an
 * error for that cell (`E <id> <message>`).
 *
 * @example
 * ```ts
 * import { gameLogic, type ServerLogic } from 'loom/life';
 * const flaky: ServerLogic = (state, neighbors, { y, x }) => {
 *   if (y === 0 && x === 0) throw new Error('player left');
 *   return gameLogic(state, neighbors);
 * };
 * ```
 */
export type ServerLogic = (state: CellState, neighbors: number, cell: { readonly y: number; readonly x: number }) => CellState;

/**
 * Options of {@link startLifeServer}.
 *
 * @example
 * ```ts
 * import type { LifeServerOptions } from 'loom/life';
 * const opts: LifeServerOptions = { host: '127.0.0.1', port: 0, latency: 100 };
 * ```
 */
export interface LifeServerOptions {
  /** Interface to listen on. Default `'127.0.0.1'`. */
  readonly host?: string;
  /** TCP port; `0` (the default) picks a free ephemeral port, read it back from `server.port`. */
  readonly port?: number;
  /** Milliseconds each answer is held back, an integer >= 0. Default `100` (the seed's round trip). */
  readonly latency?: number;
  /** How the server decides a cell. Default: {@link gameLogic}. */
  readonly logic?: ServerLogic;
}

/**
 * A running game server; close it with `close()` or `await using`.
 *
 * @example
 * ```ts
 * import { startLifeServer } from 'loom/life';
 * const server = await startLifeServer();
 * console.log(`listening on ${server.host}:${server.port}, ${server.pending} requests held`);
 * await server.close();
 * ```
 */
export interface LifeServer extends AsyncDisposable {
  /** The interface it listens on. */
  readonly host: string;
  /** The port it listens on (the ephemeral one when started with `port: 0`). */
  readonly port: number;
  /** The latency it applies to every answer, in milliseconds. */
  readonly latency: number;
  /** Client connections open now. */
  readonly connections: number;
  /** Requests received and not yet answered or cancelled. */
  readonly pending: number;
  /** Requests answered (with a state or an error) since the start. */
  readonly answered: number;
  /** Stops listening, drops every connection and every pending answer. Idempotent. */
  close(): Promise<void>;
}

/** One client connection. */
interface Connection {
  readonly socket: Socket;
  /** Requests received and not yet answered or cancelled: id -> the job that will answer it. */
  readonly inFlight: Map<number, Job>;
  /** Answers produced since the last write; written once per batch of due answers. */
  readonly outbox: FrameWriter;
}

/** A request held in the delay line until its answer is due. */
interface Job extends DelayedJob {
  readonly connection: Connection;
  readonly id: number;
  readonly y: number;
  readonly x: number;
  readonly state: CellState;
  readonly neighbors: number;
}

/**
 * Starts a game server and resolves once it listens.
 *
 * @throws TypeError/RangeError synchronously for bad options (a port outside 0–65535, a
 *   negative latency, a non-function `logic`); rejects when the port cannot be bound.
 * @example
 * ```ts
 * import { Grid, connectLifeServer, simulateAsync, startLifeServer } from 'loom/life';
 * await using server = await startLifeServer({ latency: 100 });
 * await using client = connectLifeServer({ port: server.port });
 * const next = await simulateAsync(new Grid(5, 9), { gameLogic: client.gameLogic });
 * ```
 */
export function startLifeServer(opts: LifeServerOptions = {}): Promise<LifeServer> {
  checkOptions('options', opts);
  const { host = '127.0.0.1', port = 0, latency = 100, logic = gameLogic } = opts;
  if (typeof host !== 'string') throw new TypeError(expectation('host', 'a string', host));
  checkInteger('port', port, 0);
  if (port > 65_535) throw new RangeError(expectation('port', 'an integer between 0 and 65535', port));
  checkInteger('latency', latency, 0);
  checkFunction('logic', logic);

  const connections = new Map<Socket, Connection>();
  let pending = 0;
  let answered = 0;
  let closing: Promise<void> | undefined;
  /** Every held answer of every connection, in due order. */
  const answer = (job: Job): void => {
    const { connection, id } = job;
    connection.inFlight.delete(id);
    pending--;
    answered++;
    try {
      connection.outbox.answer(id, logic(job.state, job.neighbors, { y: job.y, x: job.x }));
    } catch (error) {
      connection.outbox.failure(id, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  };
  const line = new DelayLine<Job>(latency, answer, () => {
    for (const connection of connections.values()) flush(connection);
  });

  const flush = (connection: Connection): void => {
    if (connection.outbox.length === 0) return;
    const frames = connection.outbox.take();
    if (!connection.socket.destroyed) connection.socket.write(frames);
  };

  const dropAll = (connection: Connection): void => {
    for (const job of connection.inFlight.values()) job.done = true;
    pending -= connection.inFlight.size;
    connection.inFlight.clear();
  };

  const server: Server = createServer((socket) => {
    const connection: Connection = { socket, inFlight: new Map(), outbox: new FrameWriter() };
    connections.set(socket, connection);
    socket.setNoDelay(true);
    const { inFlight } = connection;
    const frame = newFrame();
    const lines = new LineReader((bytes, start, end) => {
      if (!parseClientFrame(bytes, start, end, frame)) {
        socket.destroy();
        return;
      }
      if (frame.kind === 'C') {
        const job = inFlight.get(frame.id);
        if (job === undefined) return;
        job.done = true;
        inFlight.delete(frame.id);
        pending--;
        return;
      }
      const { id, y, x, state, neighbors } = frame;
      if (inFlight.has(id)) {
        socket.destroy();
        return;
      }
      pending++;
      inFlight.set(id, line.add({ due: 0, done: false, connection, id, y, x, state, neighbors }));
    });
    socket.on('data', (chunk: Buffer) => lines.push(chunk));
    // A client that vanishes mid-write surfaces as ECONNRESET; the 'close' below cleans up.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      dropAll(connection);
      connections.delete(socket);
    });
  });

  return new Promise<LifeServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      // listen() on a host and port always yields an AddressInfo (a string only for pipes).
      const boundPort = typeof address === 'object' && address !== null ? address.port : port;
      const close = (): Promise<void> => {
        closing ??= new Promise<void>((done) => {
          server.close(() => done());
          line.clear();
          for (const connection of connections.values()) {
            dropAll(connection);
            connection.socket.destroy();
          }
        });
        return closing;
      };
      resolve({
        host,
        port: boundPort,
        latency,
        get connections() {
          return connections.size;
        },
        get pending() {
          return pending;
        },
        get answered() {
          return answered;
        },
        close,
        [Symbol.asyncDispose]: close,
      });
    });
  });
}
