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
 * Both ends write frames as bytes (`FrameWriter`, in `frame-writer.ts`) and parse the bytes
 * as they arrive (`LineReader` finds the newlines in each `Buffer`
 * chunk, the parsers read the fields in place into one reused {@link Frame}): decoding every
 * chunk to a string, slicing a string per line and allocating a message object per line was
 * most of the per-request CPU at 10,000 requests per generation, and garbage the collector
 * then copied while the requests waited out their latency.
 *
 * @module
 */

import { ALIVE, EMPTY, type CellState } from '../cell.js';

const NEWLINE = 0x0a;
const SPACE = 0x20;
const STAR = 0x2a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const A = 0x41;
const C = 0x43;
const E = 0x45;
const Q = 0x51;

const decoder = new TextDecoder();

/**
 * The fields of the last frame parsed into it: every parse overwrites it (one per reader, not
 * one object per line). `kind` is the frame's letter; the other fields are those that letter
 * carries, and stale otherwise.
 */
export interface Frame {
  kind: 'Q' | 'C' | 'A' | 'E';
  id: number;
  y: number;
  x: number;
  state: CellState;
  neighbors: number;
  message: string;
}

/** A blank frame to parse into. */
export function newFrame(): Frame {
  return { kind: 'Q', id: 0, y: 0, x: 0, state: EMPTY, neighbors: 0, message: '' };
}

/**
 * The cursor of the parsers below: `at` is the index of the next unread byte of the line being
 * parsed. `NaN` from {@link readInteger} means "not an integer here".
 */
let at = 0;

/** Reads an optionally negative decimal integer at `at`, followed by a space or the line's `end`. */
function readInteger(bytes: Uint8Array, end: number): number {
  const negative = at < end && bytes[at] === MINUS;
  if (negative) at++;
  const start = at;
  let value = 0;
  for (let code = bytes[at] ?? 0; at < end && code >= ZERO && code <= NINE; code = bytes[++at] ?? 0) value = value * 10 + (code - ZERO);
  if (at === start || at - start > 15 || (at < end && bytes[at] !== SPACE)) return Number.NaN;
  at++;
  return negative ? -value : value;
}

/** The cell state byte at `at`, or `undefined`. */
function readState(bytes: Uint8Array, end: number): CellState | undefined {
  if (at >= end) return undefined;
  const code = bytes[at];
  return code === STAR ? ALIVE : code === MINUS ? EMPTY : undefined;
}

/**
 * Parses the line `bytes[start, end)` a client sent into `frame` (`Q` or `C`); false when it is
 * not a valid message (`frame` is then garbage).
 */
export function parseClientFrame(bytes: Uint8Array, start: number, end: number, frame: Frame): boolean {
  const kind = bytes[start];
  if (end - start < 2 || bytes[start + 1] !== SPACE || (kind !== Q && kind !== C)) return false;
  at = start + 2;
  const id = readInteger(bytes, end);
  if (Number.isNaN(id) || id < 0) return false;
  frame.id = id;
  if (kind === C) {
    frame.kind = 'C';
    return at >= end;
  }
  const y = readInteger(bytes, end);
  const x = readInteger(bytes, end);
  const state = readState(bytes, end);
  if (Number.isNaN(y) || Number.isNaN(x) || state === undefined || bytes[at + 1] !== SPACE || at + 1 >= end) return false;
  at += 2;
  const neighbors = readInteger(bytes, end);
  if (Number.isNaN(neighbors) || neighbors < 0 || at < end) return false;
  frame.kind = 'Q';
  frame.y = y;
  frame.x = x;
  frame.state = state;
  frame.neighbors = neighbors;
  return true;
}

/**
 * Parses the line `bytes[start, end)` the server sent into `frame` (`A` or `E`); false when it
 * is not a valid message.
 */
export function parseServerFrame(bytes: Uint8Array, start: number, end: number, frame: Frame): boolean {
  const kind = bytes[start];
  if (end - start < 2 || bytes[start + 1] !== SPACE || (kind !== A && kind !== E)) return false;
  at = start + 2;
  const id = readInteger(bytes, end);
  if (Number.isNaN(id) || id < 0 || at > end) return false;
  frame.id = id;
  if (kind === E) {
    frame.kind = 'E';
    frame.message = decoder.decode(bytes.subarray(at, end));
    return true;
  }
  const state = readState(bytes, end);
  if (state === undefined || at + 1 !== end) return false;
  frame.kind = 'A';
  frame.state = state;
  return true;
}

/**
 * Splits a byte stream into lines: feed it chunks, it calls `onLine(bytes, start, end)` for each
 * complete line (without its newline) and keeps the unfinished tail for the next chunk. The
 * bytes are only valid during the call.
 */
export class LineReader {
  /** Bytes received after the last newline; never contains a newline. Empty when none. */
  #tail: Uint8Array = new Uint8Array(0);
  readonly #onLine: (bytes: Uint8Array, start: number, end: number) => void;

  constructor(onLine: (bytes: Uint8Array, start: number, end: number) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Uint8Array): void {
    let end = chunk.indexOf(NEWLINE);
    if (end === -1) {
      this.#tail = concat(this.#tail, chunk, chunk.length);
      return;
    }
    let start = 0;
    if (this.#tail.length > 0) {
      const first = concat(this.#tail, chunk, end);
      this.#tail = new Uint8Array(0);
      this.#onLine(first, 0, first.length);
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    for (; end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.#onLine(chunk, start, end);
      start = end + 1;
    }
    // A copy: the chunk's memory may belong to a larger pooled buffer.
    if (start < chunk.length) this.#tail = new Uint8Array(chunk.subarray(start));
  }
}

/** `head` followed by the first `length` bytes of `chunk`, in a new array. */
function concat(head: Uint8Array, chunk: Uint8Array, length: number): Uint8Array {
  const joined = new Uint8Array(head.length + length);
  joined.set(head);
  joined.set(chunk.subarray(0, length), head.length);
  return joined;
}
