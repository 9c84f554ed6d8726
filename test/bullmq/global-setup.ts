/**
 * Decides once, for the whole run, whether the Redis suites can run: Redis must answer `PING`
 * at `LOOM_REDIS_URL` (default `redis://127.0.0.1:6379`). Without it the suites are skipped
 * and one line says so, unless `LOOM_REQUIRE_REDIS=1` (set by `.ci/run`), which makes its
 * absence an error, so CI cannot pass with the suites skipped.
 */

import type { TestProject } from 'vitest/node';
import { pingRedis } from '../../bench/redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis the suites use, or `undefined` when none answered. */
    redisUrl: string | undefined;
  }
}

/** The suites that need Redis, as the skip line names them. */
const SUITES = 'test/bullmq/executor and faults, test/cli/worker SIGTERM, test/examples/photos-redis run';

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.LOOM_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const available = await pingRedis(url);
  if (!available) {
    if (process.env.LOOM_REQUIRE_REDIS === '1') throw new Error(`Redis does not answer at ${url}, and LOOM_REQUIRE_REDIS=1 requires it for ${SUITES}`);
    console.log(`Skipping the Redis suites (${SUITES}): no Redis answers at ${url} (start one, or set LOOM_REDIS_URL; LOOM_REQUIRE_REDIS=1 makes this an error)`);
  }
  project.provide('redisUrl', available ? url : undefined);
}
