/**
 * The errors of the game server's client (`client.ts`): the connection failed, or the server's
 * logic failed for one cell.
 *
 * @module
 */

/**
 * The connection to the game server failed or was closed while requests were in flight.
 *
 * @example
 * ```ts
 * import { LifeConnectionError, connectLifeServer } from 'loom/life';
 * const client = connectLifeServer({ port: 1 });
 * await client.decide(0, 0, '*', 2).catch((error: unknown) => {
 *   if (error instanceof LifeConnectionError) console.log(error.message);
 * });
 * ```
 */
export class LifeConnectionError extends Error {
  /** Always `'LifeConnectionError'`. */
  override name = 'LifeConnectionError';
}

/**
 * The game server answered a request with an error (`E <id> <message>`); `message` is the
 * server's description of its failure.
 *
 * @example
 * ```ts
 * import { RemoteLogicError, SimulationError } from 'loom/life';
 * const isRemote = (error: SimulationError): boolean => error.cause instanceof RemoteLogicError;
 * ```
 */
export class RemoteLogicError extends Error {
  /** Always `'RemoteLogicError'`. */
  override name = 'RemoteLogicError';
}
