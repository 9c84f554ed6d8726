/**
 * The wire protocol between the game server and its clients: one line per message, ASCII,
 * multiplexed by request id so that a handful of connections carry any number of concurrent
 * cell requests (10,000 per generation and more) without one socket per cell — the file
 * descriptor exhaustion a socket-per-request client hits at the common 1,024 limit.
 *
 *     client -> server   Q <id> <y> <x> <state> <neighbors>   decide the next state of cell (y, x)
 *                        C <id>                               cancel request <id> (the caller gave up)
 *     server -> client   A <id> <state>                       the answer to request <id>
 *                        E <id> <message>                     request <id> failed on the server
 *
 * Answers may come in any order; ids are chosen by the client and unique per connection while
 * in flight. A line the server cannot parse ends the connection (the client is broken, so
 * nothing it sent later can be trusted). Rejected alternatives: HTTP/1.1 keep-alive (one request
 * in flight per connection, so 10,000 concurrent cells need 10,000 sockets or head-of-line
 * queueing), JSON lines (3x the bytes and parse time for four small fields) and a binary
 * framing (not debuggable with `nc`, for no measurable gain at these sizes).
 *
 * @module
 */

import { isCellState, type CellState } from '../cell.js';

/** A request from a client, parsed. */
export type ClientMessage =
  | { readonly kind: 'Q'; readonly id: number; readonly y: number; readonly x: number; readonly state: CellState; readonly neighbors: number }
  | { readonly kind: 'C'; readonly id: number };

/** An answer from the server, parsed. */
export type ServerMessage = { readonly kind: 'A'; readonly id: number; readonly state: CellState } | { readonly kind: 'E'; readonly id: number; readonly message: string };

const SPACE = 0x20;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * A cursor over one line for the hand-written parsers below: the server parses 10,000 request
 * lines per generation, and `split(' ')` plus a regular expression per field was a measurable
 * share of its time (and of the garbage collector's). `at` is the index of the next unread
 * character; `NaN` from {@link readInteger} means "not an integer here".
 */
let at = 0;

/** Reads an optionally negative decimal integer at `at`, followed by a space or the line's end. */
function readInteger(line: string): number {
  const negative = line.charCodeAt(at) === MINUS;
  if (negative) at++;
  const start = at;
  let value = 0;
  for (let code = line.charCodeAt(at); code >= ZERO && code <= NINE; code = line.charCodeAt(++at)) value = value * 10 + (code - ZERO);
  if (at === start || at - start > 15 || (at < line.length && line.charCodeAt(at) !== SPACE)) return Number.NaN;
  at++;
  return negative ? -value : value;
}

/** Encodes a cell request. */
export function encodeRequest(id: number, y: number, x: number, state: CellState, neighbors: number): string {
  return `Q ${id} ${y} ${x} ${state} ${neighbors}\n`;
}

/** Encodes a cancellation. */
export function encodeCancel(id: number): string {
  return `C ${id}\n`;
}

/** Encodes an answer. */
export function encodeAnswer(id: number, state: CellState): string {
  return `A ${id} ${state}\n`;
}

/** Encodes a failure; newlines in `message` become spaces so the frame stays one line. */
export function encodeFailure(id: number, message: string): string {
  return `E ${id} ${message.replace(/[\r\n]+/g, ' ')}\n`;
}

/** Parses one line a client sent; `undefined` when it is not a valid message. */
export function parseClientLine(line: string): ClientMessage | undefined {
  const kind = line[0];
  if (line.charCodeAt(1) !== SPACE || (kind !== 'Q' && kind !== 'C')) return undefined;
  at = 2;
  const id = readInteger(line);
  if (Number.isNaN(id) || id < 0) return undefined;
  if (kind === 'C') return at >= line.length ? { kind: 'C', id } : undefined;
  const y = readInteger(line);
  const x = readInteger(line);
  const state = line[at];
  if (Number.isNaN(y) || Number.isNaN(x) || !isCellState(state) || line.charCodeAt(at + 1) !== SPACE) return undefined;
  at += 2;
  const neighbors = readInteger(line);
  if (Number.isNaN(neighbors) || neighbors < 0 || at < line.length) return undefined;
  return { kind: 'Q', id, y, x, state, neighbors };
}

/** Parses one line the server sent; `undefined` when it is not a valid message. */
export function parseServerLine(line: string): ServerMessage | undefined {
  const kind = line[0];
  if (line.charCodeAt(1) !== SPACE || (kind !== 'A' && kind !== 'E')) return undefined;
  at = 2;
  const id = readInteger(line);
  if (Number.isNaN(id) || id < 0 || at > line.length) return undefined;
  if (kind === 'E') return { kind: 'E', id, message: line.slice(at) };
  const state = line[at];
  return isCellState(state) && at + 1 === line.length ? { kind: 'A', id, state } : undefined;
}

/**
 * Splits a byte stream into lines: feed it chunks, it calls `onLine` for each complete line and
 * keeps the unfinished tail for the next chunk.
 */
export class LineSplitter {
  /** Text received after the last newline; never contains `\n`. */
  #tail = '';
  readonly #onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: string): void {
    let start = 0;
    let end = chunk.indexOf('\n');
    if (end === -1) {
      this.#tail += chunk;
      return;
    }
    this.#onLine(this.#tail + chunk.slice(0, end));
    this.#tail = '';
    for (start = end + 1; (end = chunk.indexOf('\n', start)) !== -1; start = end + 1) this.#onLine(chunk.slice(start, end));
    this.#tail = chunk.slice(start);
  }
}
