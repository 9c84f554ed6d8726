/**
 * The options of the game server (`server.ts`), checked once, synchronously, before a socket
 * exists: every bound the server enforces on its clients is here, with its default.
 *
 * - `maxConnections` (1024): like Redis's `maxclients`; one more is closed as soon as it is accepted.
 * - `maxInFlight` (65,536 per connection): requests received and not answered, or answered and
 *   not yet taken by the kernel; at the bound the server stops reading that connection.
 * - `idleTimeout` (60,000 ms): a connection with nothing in flight that sends nothing that long is closed.
 *
 * Times are capped at 2^31 - 1 ms, the longest `setTimeout` delay: a longer one would fire after
 * 1 ms (Node clamps it, with a warning) and turn a wait into a busy loop.
 *
 * @module
 */

import { checkFunction, checkInteger, checkOptions, expectation } from '../../core/validate.js';
import type { CellState } from '../cell.js';
import { gameLogic } from '../rules.js';

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
 * const opts: LifeServerOptions = { host: '127.0.0.1', port: 0, latency: 100, maxConnections: 64, idleTimeout: 5_000 };
 * ```
 */
export interface LifeServerOptions {
  /** Interface to listen on. Default `'127.0.0.1'`. */
  readonly host?: string;
  /** TCP port; `0` (the default) picks a free ephemeral port, read it back from `server.port`. */
  readonly port?: number;
  /** Milliseconds each answer is held back, an integer from 0 to 2^31 - 1. Default `100` (the seed's round trip). */
  readonly latency?: number;
  /** How the server decides a cell. Default: {@link gameLogic}. */
  readonly logic?: ServerLogic;
  /** Connections open at once, an integer >= 1 or `Infinity`; one more is closed at once. Default `1024`. */
  readonly maxConnections?: number;
  /**
   * Requests one connection may have unanswered (an answer the client has not read counts),
   * an integer >= 1 or `Infinity`; at the bound the connection is not read from until answers
   * go out. Default `65_536`.
   */
  readonly maxInFlight?: number;
  /**
   * Milliseconds a connection with nothing in flight may stay silent before it is closed, an
   * integer from 1 to 2^31 - 1, or `Infinity` for never. Default `60_000`.
   */
  readonly idleTimeout?: number;
  /**
   * Receives one line for each connection the server closes or refuses because of a bound or
   * a bad frame (`life-server: closed 127.0.0.1:50312: frame longer than 64 bytes`). Default:
   * nothing is logged. `loom life-server` logs to standard error.
   */
  readonly log?: (line: string) => void;
}

/** {@link LifeServerOptions} with every default applied, checked. */
export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly latency: number;
  readonly logic: ServerLogic;
  readonly maxConnections: number;
  readonly maxInFlight: number;
  readonly idleTimeout: number;
  readonly log: ((line: string) => void) | undefined;
}

/** The longest delay `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Reads and checks `opts` (each property read once, so a getter runs once).
 *
 * @throws TypeError/RangeError in the STYLE 13 template for any bad value.
 */
export function serverSettings(opts: LifeServerOptions): ServerSettings {
  checkOptions('options', opts);
  const {
    host = '127.0.0.1',
    port = 0,
    latency = 100,
    logic = gameLogic,
    maxConnections = 1024,
    maxInFlight = 65_536,
    idleTimeout = 60_000,
    log,
  } = opts;
  if (typeof host !== 'string') throw new TypeError(expectation('host', 'a string', host));
  checkInteger('port', port, 0);
  if (port > 65_535) throw new RangeError(expectation('port', 'an integer between 0 and 65535', port));
  checkInteger('latency', latency, 0);
  if (latency > MAX_TIMER_MS) throw new RangeError(expectation('latency', `an integer between 0 and ${MAX_TIMER_MS}`, latency));
  checkFunction('logic', logic);
  checkInteger('maxConnections', maxConnections, 1, true);
  checkInteger('maxInFlight', maxInFlight, 1, true);
  checkInteger('idleTimeout', idleTimeout, 1, true);
  if (idleTimeout > MAX_TIMER_MS && idleTimeout !== Infinity) {
    throw new RangeError(expectation('idleTimeout', `an integer between 1 and ${MAX_TIMER_MS}, or Infinity`, idleTimeout));
  }
  if (log !== undefined) checkFunction('log', log);
  return { host, port, latency, logic, maxConnections, maxInFlight, idleTimeout, log };
}
