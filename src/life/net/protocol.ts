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

/** Reads a decimal integer of at most 15 digits at `at`, signed when `signed`, followed by a space or the line's `end`. */
function readInteger(bytes: Uint8Array, end: number, signed = true): number {
  const negative = signed && at < end && bytes[at] === MINUS;
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
  const id = readInteger(bytes, end, false);
  if (Number.isNaN(id)) return false;
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
  const neighbors = readInteger(bytes, end, false);
  if (Number.isNaN(neighbors) || at < end) return false;
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
  const id = readInteger(bytes, end, false);
  if (Number.isNaN(id) || at > end) return false;
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
 * The most bytes one frame may take, its newline included, in both directions. The longest
 * valid request (`Q`, four integers of up to 15 digits, a state, separators) fits in less;
 * anything longer is not a frame of this protocol. Like Redis's `client-query-buffer-limit`,
 * one number, checked before a byte of the line is copied.
 */
export const MAX_FRAME_BYTES = 64;

/** The longest line without its newline. */
const MAX_LINE = MAX_FRAME_BYTES - 1;

/** What {@link LineReader}'s `onLine` returns: keep reading, or stop until {@link LineReader.resume}. */
export type LineVerdict = boolean;

/**
 * Splits a byte stream into lines of at most {@link MAX_FRAME_BYTES} bytes (newline included):
 * feed it chunks, it calls `onLine(bytes, start, end)` for each complete line (without its
 * newline). The bytes are only valid during the call.
 *
 * Bounded and linear by construction: the unfinished tail of a chunk is copied into one
 * fixed 63-byte array, so the reader holds at most that many bytes of its own, every byte
 * received is copied at most once (`copied` counts them, for the tests), and the search for a
 * newline never looks at a byte twice. A line that grows past the bound calls `onOverflow`
 * once, as soon as the bound is passed (without waiting for a newline that may never come),
 * and the reader ignores everything after it.
 *
 * `onLine` returns false to stop reading (backpressure, or the line ended the connection):
 * the rest of the chunk is kept by reference, not copied, and read on {@link resume}. A chunk
 * pushed while stopped waits behind it; the socket is paused by then, so at most the one chunk
 * its stream had already read arrives that way.
 */
export class LineReader {
  /** Bytes `[0, #length)` are the line begun in an earlier chunk; never contains a newline. */
  readonly #line = new Uint8Array(MAX_LINE);
  #length = 0;
  /** True from a line whose `onLine` returned false until {@link resume}. */
  #stopped = false;
  /** Chunks not yet read because the reader is stopped; the first is read from `#at`. */
  #waiting: Uint8Array[] = [];
  #at = 0;
  /** True once a line passed the bound: nothing more is read. */
  #overflowed = false;
  /** Bytes copied out of pushed chunks since the start (each received byte at most once). */
  copied = 0;
  readonly #onLine: (bytes: Uint8Array, start: number, end: number) => LineVerdict;
  readonly #onOverflow: () => void;

  constructor(onLine: (bytes: Uint8Array, start: number, end: number) => LineVerdict, onOverflow: () => void) {
    this.#onLine = onLine;
    this.#onOverflow = onOverflow;
  }

  /** True while `onLine` has stopped the reader and {@link resume} has not been called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Reads `chunk`, or queues it (by reference) when stopped. */
  push(chunk: Uint8Array): void {
    if (this.#overflowed || chunk.length === 0) return;
    if (this.#stopped) this.#waiting.push(chunk);
    else this.#read(chunk, 0);
  }

  /** Reads on after `onLine` stopped the reader, until it stops again or nothing is waiting. */
  resume(): void {
    this.#stopped = false;
    while (!this.#stopped && !this.#overflowed && this.#waiting.length > 0) {
      const chunk = this.#waiting.shift() as Uint8Array;
      const at = this.#at;
      this.#at = 0;
      this.#read(chunk, at);
    }
  }

  /** Reads `chunk` from `from`; on a stop, puts the rest back at the head of `#waiting`. */
  #read(chunk: Uint8Array, from: number): void {
    let start = from;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      const lineEnd = end === -1 ? chunk.length : end;
      if (this.#length + (lineEnd - start) > MAX_LINE) {
        this.#overflow();
        return;
      }
      if (end === -1) {
        this.#line.set(chunk.subarray(start), this.#length);
        this.copied += chunk.length - start;
        this.#length += chunk.length - start;
        return;
      }
      let go: LineVerdict;
      if (this.#length > 0) {
        this.#line.set(chunk.subarray(start, end), this.#length);
        this.copied += end - start;
        const length = this.#length + (end - start);
        this.#length = 0;
        go = this.#onLine(this.#line, 0, length);
      } else {
        go = this.#onLine(chunk, start, end);
      }
      start = end + 1;
      if (!go) {
        this.#stopped = true;
        if (start < chunk.length) {
          this.#waiting.unshift(chunk);
          this.#at = start;
        }
        return;
      }
    }
  }

  #overflow(): void {
    this.#overflowed = true;
    this.#waiting = [];
    this.#length = 0;
    this.#onOverflow();
  }
}
