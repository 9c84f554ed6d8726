/**
 * Decides once, for the whole run, whether the Redis suites can run: Redis must answer `PING`
 * at `LOOM_REDIS_URL` (default `redis://127.0.0.1:6379`). Without it the suites are skipped
 * and one line says so, unless `LOOM_REQUIRE_REDIS=1` (set by `.ci/run`), which makes its
 * absence an error, so CI cannot pass with the suites skipped.
 */

import { createConnection } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis the suites use, or `undefined` when none answered. */
    redisUrl: string | undefined;
  }
}

/** The suites that need Redis, as the skip line names them. */
const SUITES = 'test/bullmq/executor and faults, test/cli/worker SIGTERM, test/examples/photos-redis run';

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

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.LOOM_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const available = await pingRedis(url);
  if (!available) {
    if (process.env.LOOM_REQUIRE_REDIS === '1') throw new Error(`Redis does not answer at ${url}, and LOOM_REQUIRE_REDIS=1 requires it for ${SUITES}`);
    console.log(`Skipping the Redis suites (${SUITES}): no Redis answers at ${url} (start one, or set LOOM_REDIS_URL; LOOM_REQUIRE_REDIS=1 makes this an error)`);
  }
  project.provide('redisUrl', available ? url : undefined);
}
