/**
 * `pingRedis(url)`: whether a Redis answers at `url`, asked over a bare socket so that the
 * suites that need one can say so (or fail, under `LOOM_REQUIRE_REDIS=1`) before loading
 * BullMQ. Used by the `bullmq` and `photos` benchmarks and by the Redis test suites' setup.
 *
 * @module
 */

import { createConnection } from 'node:net';

/** True when something at `url` answers PING with PONG within a second. */
export function pingRedis(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    let reply = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}
