/**
 * Where the queue lives: the Redis connection, the queue's name and its key prefix, shared by
 * `BullExecutor` and `startWorker`, with their checks.
 *
 * A connection is a `redis://` / `rediss://` URL or an ioredis options object; BullMQ and
 * the cancellation channel each open their own connections from it (BullMQ needs a blocking
 * connection per reader anyway). A URL is outside input (`loom worker --redis URL`): it is
 * read by WHATWG `URL` after a length check ({@link MAX_URL_CHARS}), so parsing is linear and
 * bounded, and anything but `redis:`/`rediss:` is refused with the house message.
 *
 * @module
 */

import { once } from 'node:events';
import type { ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkOptions, expectation } from '../core/validate.js';

/** The longest Redis URL accepted. */
export const MAX_URL_CHARS = 2048;

/** The longest queue name or prefix accepted (they become parts of every Redis key). */
const MAX_NAME_CHARS = 256;

/**
 * ioredis connection options (`host`, `port`, `username`, `password`, `db`, `tls`, …), or
 * `{ url }`; passed as given to BullMQ and to ioredis.
 */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  readonly url?: string | undefined;
  /** The server's host name or address (ioredis's default: `localhost`). */
  readonly host?: string | undefined;
  /** The server's port (ioredis's default: 6379). */
  readonly port?: number | undefined;
  /** The ACL user name (Redis >= 6). */
  readonly username?: string | undefined;
  /** The password (`AUTH`). */
  readonly password?: string | undefined;
  /** The logical database number (ioredis's default: 0). */
  readonly db?: number | undefined;
  /** Any other ioredis option. */
  readonly [option: string]: unknown;
}

/** A Redis URL (`redis://127.0.0.1:6379`) or ioredis options. */
export type RedisConnection = string | RedisConnectionOptions;

/** Where a queue lives, common to `BullExecutor` and `startWorker`. */
export interface QueueLocation {
  /** The BullMQ queue's name (no `:`). */
  readonly queue: string;
  /** The Redis server: a `redis://` URL or ioredis options. */
  readonly connection: RedisConnection;
  /** The prefix of every Redis key of the queue (default `'bull'`, BullMQ's own). */
  readonly prefix?: string | undefined;
}

/** {@link QueueLocation}, checked: the connection as options (a URL became `{ url }`). */
export interface Location {
  readonly queue: string;
  readonly connection: RedisConnectionOptions;
  readonly prefix: string;
}

/**
 * Checks `options`' `queue`, `connection` and `prefix` and applies the default prefix.
 * `locationOf({ queue: 'photos', connection: 'redis://127.0.0.1:6379' })` is
 * `{ queue: 'photos', connection: { url: 'redis://127.0.0.1:6379' }, prefix: 'bull' }`.
 */
export function locationOf(options: unknown): Location {
  if (options === undefined) throw new TypeError(expectation('options', 'an options object with `queue` and `connection`', options));
  checkOptions('options', options);
  const { queue, connection, prefix = 'bull' } = options as QueueLocation;
  checkName('queue', queue, 'a queue name without `:`');
  checkName('prefix', prefix, 'a key prefix');
  if (typeof connection === 'string') return { queue, prefix, connection: { url: checkRedisUrl('connection', connection) } };
  if (typeof connection !== 'object' || connection === null) {
    throw new TypeError(expectation('connection', 'a redis:// URL or ioredis options', connection));
  }
  if (connection.url !== undefined) checkRedisUrl('connection.url', connection.url);
  return { queue, prefix, connection: { ...connection } };
}

/**
 * Returns `text` when it is a `redis://` or `rediss://` URL of at most {@link MAX_URL_CHARS}
 * characters; throws the house `TypeError` otherwise.
 */
export function checkRedisUrl(name: string, text: unknown): string {
  const expected = `a redis:// or rediss:// URL of at most ${MAX_URL_CHARS} characters`;
  if (typeof text !== 'string' || text.length > MAX_URL_CHARS) throw new TypeError(expectation(name, expected, text));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(expectation(name, expected, text));
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') throw new TypeError(expectation(name, expected, text));
  return text;
}

function checkName(name: string, value: unknown, expected: string): asserts value is string {
  const what = `${expected} of 1 to ${MAX_NAME_CHARS} characters`;
  if (typeof value !== 'string' || value === '' || value.length > MAX_NAME_CHARS) throw new TypeError(expectation(name, what, value));
  if (name === 'queue' && value.includes(':')) throw new TypeError(expectation(name, what, value));
}

/**
 * The connection as BullMQ's option. Our options are ioredis's (with `url`), which is what
 * BullMQ takes; ioredis checks their values when it connects.
 */
export function bullConnection(connection: RedisConnectionOptions): ConnectionOptions {
  return connection as ConnectionOptions;
}

/**
 * A new ioredis client on `connection` (for pub/sub and marks, which BullMQ does not offer).
 */
export function openRedis(RedisClass: typeof Redis, connection: RedisConnectionOptions): Redis {
  const { url, ...rest } = connection;
  // ioredis's own options (see bullConnection). `never`: its constructor's option type cannot
  // be named under exactOptionalPropertyTypes (its own RedisOptions does not satisfy it).
  const options = rest as never;
  return url === undefined ? new RedisClass(options) : new RedisClass(url, options);
}

/**
 * Disconnects `redis` and resolves once its socket is closed, so that nothing is left open
 * when a close resolves.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  const ended = once(redis, 'end');
  redis.disconnect();
  await ended;
}
