/**
 * The client side of the game server: a small pool of long-lived connections over which any
 * number of cell requests are multiplexed (see `protocol.ts`). 10,000 concurrent cells cost
 * `connections` sockets (4 by default), never one per cell, so the process stays far from the
 * common 1,024 file-descriptor limit however large the grid.
 *
 * Invariants:
 * - A request is in exactly one connection's `inFlight` map from the moment it is written until
 *   it settles; settling removes it first, so a late answer for a settled request is ignored.
 * - Abort listeners are one per distinct signal, not one per request (core's `abort-watch.ts`):
 *   10,000 requests sharing a generation's signal add one listener, removed when the last of
 *   them settles (so no `MaxListenersExceededWarning`, and `abortListeners(signal) === 0`
 *   afterwards).
 * - A connection that fails or is closed by the server rejects its requests in flight with a
 *   {@link LifeConnectionError} and is replaced lazily by the next request.
 * - The server is held to the protocol's frame bound (64 bytes with the newline, `protocol.ts`):
 *   a longer or malformed frame is a broken server, and fails that connection the same way.
 *   The client's own frames fit the bound by construction: `y`, `x` and `neighbors` are
 *   checked to be 32-bit integers and ids wrap before they pass 15 digits.
 *
 * Writes are coalesced per connection: frames queued in one tick go out in one `write` on the
 * next microtask.
 *
 * @module
 */

import { connect, type Socket } from 'node:net';
import { linkWatcher, unwatchAbort, type AbortWatcher } from '../../core/abort-watch.js';
import { Deadline } from '../../core/deadline.js';
import { rejected } from '../../tasks/sleep.js';
import { InvalidStateError } from '../../core/errors.js';
import { checkInteger, checkOptions, checkWaitOptions, expectation } from '../../core/validate.js';
import type { WaitOptions } from '../../core/deadline.js';
import { isCellState, type CellState } from '../cell.js';
import type { CellLogic } from '../strategies/types.js';
import { LifeConnectionError, RemoteLogicError } from './errors.js';
import { FrameWriter } from './frame-writer.js';
import { LineReader, MAX_FRAME_BYTES, newFrame, parseServerFrame, type Frame, type LineVerdict } from './protocol.js';

/**
 * Options of {@link connectLifeServer}.
 *
 * @example
 * ```ts
 * import type { LifeClientOptions } from 'loom/life';
 * const opts: LifeClientOptions = { host: '127.0.0.1', port: 4000, connections: 4 };
 * ```
 */
export interface LifeClientOptions {
  /** The server's port. */
  readonly port: number;
  /** The server's host. Default `'127.0.0.1'`. */
  readonly host?: string;
  /** Connections in the pool, an integer >= 1. Default `4`. */
  readonly connections?: number;
}

/**
 * One request in flight. It is also its own watcher of its signal (core's `abort-watch.ts`):
 * a class, so that 10,000 requests share one `callback` on the prototype instead of a closure
 * each, and one `abort` listener serves every request of a signal.
 */
class PendingRequest implements AbortWatcher {
  watch: AbortWatcher['watch'] = undefined;
  prev: AbortWatcher | undefined = undefined;
  next: AbortWatcher | undefined = undefined;

  constructor(
    readonly id: number,
    readonly connection: Connection,
    readonly resolve: (state: CellState) => void,
    readonly reject: (reason: unknown) => void,
    /** The signal watched for this request (the caller's, or a Deadline's); undefined when none. */
    readonly signal: AbortSignal | undefined,
    readonly deadline: Deadline | undefined,
    /** The client's abort handler, shared by all its requests. */
    readonly onAbort: (request: PendingRequest) => void,
  ) {}

  callback(): void {
    this.onAbort(this);
  }
}

interface Connection {
  readonly socket: Socket;
  /** Requests written on this socket and not yet settled. */
  readonly inFlight: Map<number, PendingRequest>;
  /** Frames waiting for this tick's write; empty when none. */
  readonly outbox: FrameWriter;
}

/**
 * A pooled, multiplexing client of the game server.
 *
 * @example
 * ```ts
 * import { ALIVE, connectLifeServer, startLifeServer } from 'loom/life';
 * await using server = await startLifeServer({ latency: 5 });
 * await using client = connectLifeServer({ port: server.port });
 * await client.decide(0, 0, ALIVE, 2); // '*'
 * ```
 */
export class LifeClient implements AsyncDisposable {
  readonly #host: string;
  readonly #port: number;
  /** Slot i holds a live connection or undefined (never opened, or failed and not yet replaced). */
  readonly #slots: (Connection | undefined)[];
  #next = 0;
  #nextId = 1;
  #pending = 0;
  #closed = false;
  /** A request's signal aborted: the request rejects with its reason and the server is told to drop it. */
  readonly #onAbort = (request: PendingRequest): void => {
    this.#settle(request);
    if (!request.connection.socket.destroyed) {
      this.#flushSoon(request.connection);
      request.connection.outbox.cancel(request.id);
    }
    request.reject(request.signal?.reason);
  };

  constructor(opts: LifeClientOptions) {
    checkOptions('options', opts);
    const { host = '127.0.0.1', port, connections = 4 } = opts ?? ({} as Partial<LifeClientOptions>);
    if (typeof host !== 'string') throw new TypeError(expectation('host', 'a string', host));
    checkInteger('port', port, 1);
    if (port > 65_535) throw new RangeError(expectation('port', 'an integer between 1 and 65535', port));
    checkInteger('connections', connections, 1);
    this.#host = host;
    this.#port = port;
    this.#slots = new Array<Connection | undefined>(connections).fill(undefined);
  }

  /** Requests sent and not yet settled. */
  get pending(): number {
    return this.#pending;
  }

  /** Connections open now (at most the pool size). */
  get connections(): number {
    return this.#slots.filter((slot) => slot !== undefined).length;
  }

  /**
   * A {@link CellLogic} that asks the server: pass it as a strategy's `gameLogic`. Bound to this
   * client, it forwards the cell's `signal` (without the options object `decide` would need).
   */
  readonly gameLogic: CellLogic = (state, neighbors, ctx) => {
    const { y, x, signal } = ctx;
    checkCell(y, x, state, neighbors);
    if (!(signal instanceof AbortSignal)) throw new TypeError(expectation('signal', 'an AbortSignal', signal));
    return this.#request(y, x, state, neighbors, signal, undefined);
  };

  /**
   * Asks the server for the next state of cell `(y, x)`.
   *
   * Aborting (or the timeout) rejects at once with `signal.reason` (a `TimeoutError` for the
   * timeout) and tells the server to drop the request.
   *
   * @throws InvalidStateError (rejected) after `close()`; LifeConnectionError when the
   *   connection fails; RemoteLogicError when the server's logic failed for this cell.
   */
  decide(y: number, x: number, state: CellState, neighbors: number, opts?: WaitOptions): Promise<CellState> {
    checkCell(y, x, state, neighbors);
    checkWaitOptions(opts);
    if (opts?.timeout === undefined || opts.timeout === Infinity) return this.#request(y, x, state, neighbors, opts?.signal, undefined);
    const deadline = new Deadline(opts, 'LifeClient.decide');
    return this.#request(y, x, state, neighbors, deadline.signal, deadline);
  }

  /** Sends one request (arguments checked), watched by `signal`; `deadline` is disposed when it settles. */
  #request(y: number, x: number, state: CellState, neighbors: number, signal: AbortSignal | undefined, deadline: Deadline | undefined): Promise<CellState> {
    if (this.#closed) {
      deadline?.dispose();
      return Promise.reject(new InvalidStateError('LifeClient is closed'));
    }
    if (signal?.aborted) {
      deadline?.dispose();
      return rejected(signal.reason);
    }
    const connection = this.#connection();
    const id = this.#nextId;
    // Ids stay within the 15 digits the protocol reads; a wrapped id still in flight is skipped.
    do this.#nextId = this.#nextId >= MAX_ID ? 1 : this.#nextId + 1;
    while (connection.inFlight.has(this.#nextId));
    const promise = new Promise<CellState>(captureResolvers);
    // captureResolvers ran synchronously inside the constructor just above and set both.
    const request = new PendingRequest(
      id,
      connection,
      capturedResolve as (state: CellState) => void,
      capturedReject as (reason: unknown) => void,
      signal,
      deadline,
      this.#onAbort,
    );
    capturedResolve = capturedReject = undefined;
    connection.inFlight.set(id, request);
    this.#pending++;
    if (signal !== undefined) linkWatcher(signal, request);
    this.#flushSoon(connection);
    connection.outbox.request(id, y, x, state, neighbors);
    return promise;
  }

  /** Closes every connection; requests in flight reject with a {@link LifeConnectionError}. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const closing: Promise<void>[] = [];
    for (const connection of this.#slots) {
      if (connection === undefined) continue;
      closing.push(new Promise<void>((resolve) => connection.socket.once('close', () => resolve())));
      this.#fail(connection, new LifeConnectionError('LifeClient was closed with requests in flight'));
    }
    await Promise.all(closing);
  }

  /** Same as {@link close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** A live connection, round-robin over the slots, opening one where the slot is empty. */
  #connection(): Connection {
    const slot = this.#next;
    this.#next = (slot + 1) % this.#slots.length;
    const existing = this.#slots[slot];
    if (existing !== undefined) return existing;
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true });
    const connection: Connection = { socket, inFlight: new Map(), outbox: new FrameWriter() };
    this.#slots[slot] = connection;
    const frame = newFrame();
    const lines = new LineReader(
      (bytes, start, end) => this.#onLine(connection, bytes, start, end, frame),
      () => this.#fail(connection, new LifeConnectionError(`Game server ${this.#host}:${this.#port} sent a frame longer than ${MAX_FRAME_BYTES} bytes`)),
    );
    socket.on('data', (chunk: Buffer) => lines.push(chunk));
    socket.on('error', (error) => {
      this.#fail(connection, new LifeConnectionError(`Connection to game server ${this.#host}:${this.#port} failed: ${error.message}`, { cause: error }));
    });
    socket.on('close', () => {
      this.#fail(connection, new LifeConnectionError(`Game server ${this.#host}:${this.#port} closed the connection`));
    });
    return connection;
  }

  /** Schedules the write of `connection`'s outbox on the next microtask, unless one is scheduled (the outbox is not empty). */
  #flushSoon(connection: Connection): void {
    if (connection.outbox.length > 0) return;
    queueMicrotask(() => {
      const frames = connection.outbox.take();
      if (!connection.socket.destroyed) connection.socket.write(frames);
    });
  }

  /** Settles the request a frame answers; false (stop reading) once the connection failed. */
  #onLine(connection: Connection, bytes: Uint8Array, start: number, end: number, frame: Frame): LineVerdict {
    if (connection.socket.destroyed) return false;
    if (!parseServerFrame(bytes, start, end, frame)) {
      const line = Buffer.from(bytes.subarray(start, end)).toString('latin1');
      this.#fail(connection, new LifeConnectionError(`Game server sent an invalid line: ${JSON.stringify(line)}`));
      return false;
    }
    const request = connection.inFlight.get(frame.id);
    if (request === undefined) return true;
    this.#settle(request);
    if (frame.kind === 'A') request.resolve(frame.state);
    else request.reject(new RemoteLogicError(frame.message));
    return true;
  }

  /** Rejects every request of `connection` with `error`, destroys its socket and frees its slot. */
  #fail(connection: Connection, error: LifeConnectionError): void {
    const slot = this.#slots.indexOf(connection);
    if (slot !== -1) this.#slots[slot] = undefined;
    for (const request of [...connection.inFlight.values()]) {
      this.#settle(request);
      request.reject(error);
    }
    connection.socket.destroy();
  }

  /** Removes `request` from every structure that references it. */
  #settle(request: PendingRequest): void {
    request.connection.inFlight.delete(request.id);
    this.#pending--;
    request.deadline?.dispose();
    unwatchAbort(request);
  }
}

/**
 * The resolving functions of the promise being constructed, handed out by {@link captureResolvers}:
 * one shared executor instead of a closure (and its context of nine captured variables) per
 * request. Node 20 has no `Promise.withResolvers`. Both are `undefined` outside `#request`.
 */
let capturedResolve: ((state: CellState) => void) | undefined;
let capturedReject: ((reason: unknown) => void) | undefined;

function captureResolvers(resolve: (state: CellState) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** The largest request id: 15 digits, the most the protocol's reader accepts. */
const MAX_ID = 999_999_999_999_999;

/** Bounds of `y` and `x` (32-bit integers), so that a request frame always fits the protocol's bound. */
const MIN_COORDINATE = -(2 ** 31);
const MAX_COORDINATE = 2 ** 31 - 1;

/** Throws unless `(y, x)` are 32-bit integers, `state` a cell state and `neighbors` an integer from 0 to 2^31 - 1. Runs per request: none of the checks allocates unless it fails. */
function checkCell(y: number, x: number, state: CellState, neighbors: number): void {
  checkCoordinate('y', y);
  checkCoordinate('x', x);
  if (!isCellState(state)) throw new TypeError(expectation('state', "'*' (ALIVE) or '-' (EMPTY)", state));
  checkInteger('neighbors', neighbors, 0);
  if (neighbors > MAX_COORDINATE) throw new RangeError(expectation('neighbors', `an integer between 0 and ${MAX_COORDINATE}`, neighbors));
}

function checkCoordinate(name: string, value: number): void {
  if (Number.isInteger(value) && value >= MIN_COORDINATE && value <= MAX_COORDINATE) return;
  const message = expectation(name, `an integer between ${MIN_COORDINATE} and ${MAX_COORDINATE}`, value);
  throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
}

/**
 * A client of the game server at `host:port`, with a pool of `connections` (default 4)
 * multiplexed connections opened on first use. Close it with `close()` or `await using`.
 *
 * @example
 * ```ts
 * import { Grid, connectLifeServer, simulateAsync, startLifeServer } from 'loom/life';
 * await using server = await startLifeServer({ latency: 100 });
 * await using client = connectLifeServer({ port: server.port, connections: 4 });
 * await simulateAsync(new Grid(100, 100), { gameLogic: client.gameLogic });
 * ```
 */
export function connectLifeServer(opts: LifeClientOptions): LifeClient {
  return new LifeClient(opts);
}
