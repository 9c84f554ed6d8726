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
 * Every client is hostile until bounded (the bounds and defaults are in `server-options.ts`):
 * - a frame is at most 64 bytes with its newline, found by a reader that holds at most one
 *   frame of its own and copies each byte at most once (`protocol.ts`); a longer or malformed
 *   frame closes that connection only, with one log line;
 * - past `maxConnections`, a new connection is closed as soon as it is accepted;
 * - a connection's unanswered requests (held in the delay line, or answered and still in its
 *   socket's write buffer because the client does not read) never exceed `maxInFlight`: at the
 *   bound the server stops reading it (the reader keeps the rest of the chunk by reference,
 *   the socket is paused, TCP pushes back on the client) until the kernel takes its answers;
 * - a connection with nothing unanswered that sends nothing for `idleTimeout` ms is closed;
 * - a connection reads at most 64 frames per event-loop turn, so a deep pipeline does not
 *   crowd out the others (fairness, not a limit: it reads on in the next turn).
 * Nothing here loops over a client's bytes more than once, so a signal is never kept waiting.
 *
 * @module
 */

import { createServer, type Server, type Socket } from 'node:net';
import { TURN_FRAMES, unanswered, type Connection, type Job } from './connection.js';
import { DelayLine } from './delay-line.js';
import { FrameWriter } from './frame-writer.js';
import { LineReader, MAX_FRAME_BYTES, newFrame, parseClientFrame, type Frame, type LineVerdict } from './protocol.js';
import { serverSettings, type LifeServerOptions } from './server-options.js';

export type { LifeServerOptions, ServerLogic } from './server-options.js';

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

/**
 * Starts a game server and resolves once it listens.
 *
 * @throws TypeError/RangeError synchronously for bad options (a port outside 0–65535, a
 *   negative latency, a non-function `logic`, a bound that is not an integer >= 1); rejects
 *   when the port cannot be bound.
 * @example
 * ```ts
 * import { Grid, connectLifeServer, simulateAsync, startLifeServer } from 'loom/life';
 * await using server = await startLifeServer({ latency: 100, maxConnections: 64 });
 * await using client = connectLifeServer({ port: server.port });
 * const next = await simulateAsync(new Grid(5, 9), { gameLogic: client.gameLogic });
 * ```
 */
export function startLifeServer(opts: LifeServerOptions = {}): Promise<LifeServer> {
  const { host, port, latency, logic, maxConnections, maxInFlight, idleTimeout, log } = serverSettings(opts);
  const connections = new Map<Socket, Connection>();
  /** Connections with answers in their outbox, written after each batch. */
  const dirty = new Set<Connection>();
  let pending = 0;
  let answered = 0;
  let closing: Promise<void> | undefined;

  const say = (line: string): void => {
    try {
      log?.(`life-server: ${line}`);
    } catch {
      // A failing logger must not take the server down with it; the line is lost, nothing else.
    }
  };

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
    connection.boxed++;
    connection.unsent++;
    dirty.add(connection);
  };
  const line = new DelayLine<Job>(latency, answer, () => {
    for (const connection of dirty) flush(connection);
    dirty.clear();
  });

  const flush = (connection: Connection): void => {
    const frames = connection.outbox.take();
    const count = connection.boxed;
    connection.boxed = 0;
    if (connection.closed || connection.socket.destroyed) return;
    connection.socket.write(frames, () => {
      connection.unsent -= count;
      sent(connection);
    });
  };

  /** Reads on where the reader stopped, unless the connection is at its bound or has used this turn's share. */
  const readOn = (connection: Connection): void => {
    if (connection.closed || !connection.reader.stopped || connection.turnPending || unanswered(connection) >= maxInFlight) return;
    connection.reader.resume();
    if (!connection.reader.stopped) connection.socket.resume();
  };

  /** Answers went out: read on below the bound, and start the idle clock once nothing is left. */
  const sent = (connection: Connection): void => {
    if (connection.closed) return;
    readOn(connection);
    if (unanswered(connection) === 0) connection.idle?.refresh();
  };

  /** A new event-loop turn: the connection's share of reading starts over. */
  const nextTurn = (connection: Connection): void => {
    connection.turnPending = false;
    connection.turnFrames = 0;
    readOn(connection);
  };

  const drop = (connection: Connection, reason: string): false => {
    say(`closed ${connection.peer}: ${reason}`);
    connection.socket.destroy();
    return false;
  };

  const onFrame = (connection: Connection, frame: Frame, bytes: Uint8Array, start: number, end: number): LineVerdict => {
    if (connection.closed || connection.socket.destroyed) return false;
    if (!parseClientFrame(bytes, start, end, frame)) {
      return drop(connection, `invalid frame ${JSON.stringify(Buffer.from(bytes.subarray(start, end)).toString('latin1'))}`);
    }
    const { inFlight } = connection;
    if (frame.kind === 'C') {
      const job = inFlight.get(frame.id);
      if (job === undefined) return true;
      job.done = true;
      inFlight.delete(frame.id);
      pending--;
      return true;
    }
    const { id, y, x, state, neighbors } = frame;
    if (inFlight.has(id)) return drop(connection, `request id ${id} is already in flight`);
    pending++;
    inFlight.set(id, line.add({ due: 0, done: false, connection, id, y, x, state, neighbors }));
    if (unanswered(connection) >= maxInFlight) {
      connection.socket.pause();
      return false;
    }
    if (++connection.turnFrames < TURN_FRAMES) return true;
    connection.socket.pause();
    connection.turnPending = true;
    setImmediate(nextTurn, connection);
    return false;
  };

  const server: Server = createServer((socket) => {
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (connections.size >= maxConnections) {
      say(`refused ${peer}: ${connections.size} connections open, the maxConnections bound`);
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    const frame = newFrame();
    const connection: Connection = {
      socket,
      peer,
      inFlight: new Map(),
      outbox: new FrameWriter(),
      boxed: 0,
      unsent: 0,
      reader: new LineReader(
        (bytes, start, end) => onFrame(connection, frame, bytes, start, end),
        () => drop(connection, `frame longer than ${MAX_FRAME_BYTES} bytes`),
      ),
      idle: undefined,
      closed: false,
      turnFrames: 0,
      turnPending: false,
    };
    if (idleTimeout !== Infinity) {
      connection.idle = setTimeout(() => {
        if (unanswered(connection) === 0) drop(connection, `idle for ${idleTimeout} ms`);
      }, idleTimeout).unref();
    }
    connections.set(socket, connection);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      connection.idle?.refresh();
      connection.reader.push(chunk);
    });
    // A client that vanishes mid-write surfaces as ECONNRESET; the 'close' below cleans up.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      connection.closed = true;
      clearTimeout(connection.idle);
      for (const job of connection.inFlight.values()) job.done = true;
      pending -= connection.inFlight.size;
      connection.inFlight.clear();
      dirty.delete(connection);
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
          for (const connection of connections.values()) connection.socket.destroy();
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
