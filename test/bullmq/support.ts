/**
 * Shared pieces of the `loom/bullmq` tests: the Redis to use (or none: the suites are then
 * skipped, see `global-setup.ts`), a key prefix unique to each test so that runs never see
 * each other's jobs, and the cleanup that deletes every key under it.
 */

import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** The Redis URL, or `undefined` when no Redis answered. */
export const redisUrl = inject('redisUrl');

/** The task module the workers run. */
export const TASKS = fileURLToPath(new URL('../fixtures/bullmq/tasks.ts', import.meta.url));

/** A prefix no other test or run uses. */
export function uniquePrefix(): string {
  return `loomtest-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under `prefix` on `url`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
