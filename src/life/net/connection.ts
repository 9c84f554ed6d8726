/**
 * What the game server (`server.ts`) keeps per client connection, and the accounting its
 * bounds are enforced on: a connection's unanswered requests are those held in the delay line
 * plus the answers the kernel has not yet taken from its socket.
 *
 * @module
 */

import type { Socket } from 'node:net';
import type { CellState } from '../cell.js';
import type { DelayedJob } from './delay-line.js';
import type { FrameWriter } from './frame-writer.js';
import type { LineReader } from './protocol.js';

/** One client connection. */
export interface Connection {
  readonly socket: Socket;
  /** `address:port` of the client, for log lines. */
  readonly peer: string;
  /** Requests received and not yet answered or cancelled: id -> the job that will answer it. */
  readonly inFlight: Map<number, Job>;
  /** Answers produced since the last write; written once per batch of due answers. */
  readonly outbox: FrameWriter;
  /** Answers in `outbox`. */
  boxed: number;
  /** Answers produced whose bytes the kernel has not yet taken (in `outbox` or the socket's buffer). */
  unsent: number;
  /** Splits the received bytes into frames; stopped while the connection is at `maxInFlight`. */
  reader: LineReader;
  /** Closes the connection when it has been idle for `idleTimeout`; undefined without one. */
  idle: NodeJS.Timeout | undefined;
  /** True once the socket closed: late write callbacks find nothing to do. */
  closed: boolean;
  /** Frames read since the connection's share was last renewed; at most {@link TURN_FRAMES}. */
  turnFrames: number;
  /** True while reading waits for the next event-loop turn (the share is used up). */
  turnPending: boolean;
}

/**
 * Frames one connection may have read before it waits for the next event-loop turn. A client
 * that pipelines thousands of requests per chunk would otherwise have its whole chunk parsed
 * and queued before any other connection's frame, and take the server's time in proportion to
 * its pipeline depth; with the share, every connection with bytes waiting gets a turn.
 */
export const TURN_FRAMES = 64;

/** A request held in the delay line until its answer is due. */
export interface Job extends DelayedJob {
  readonly connection: Connection;
  readonly id: number;
  readonly y: number;
  readonly x: number;
  readonly state: CellState;
  readonly neighbors: number;
}

/** Requests of `connection` not answered yet, or answered and not yet taken by the kernel. */
export function unanswered(connection: Connection): number {
  return connection.inFlight.size + connection.unsent;
}
