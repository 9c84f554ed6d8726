/**
 * `bullmq` and `ioredis` are optional peer dependencies: only `loom/bullmq` uses them, and it
 * loads them on first use, never at import time. So `import 'loom'` (which re-exports the
 * names of this layer) works where they are not installed, and importing any other layer
 * never loads them; only constructing a `BullExecutor` or starting a worker does. Everything
 * else in this folder imports them as types only (erased at compile time).
 *
 * Rejected: a static `import { Queue } from 'bullmq'` here and no re-export from the root
 * (DESIGN wants every public name in `loom`), and a second root entry (two import paths for
 * one class). The price of the lazy load is that the first call that needs BullMQ is
 * asynchronous, which every call that talks to Redis is anyway.
 *
 * @module
 */

import type * as BullMQ from 'bullmq';
import type * as IORedis from 'ioredis';

/** The two packages, loaded. */
export interface Peers {
  readonly bullmq: typeof BullMQ;
  readonly Redis: typeof IORedis.Redis;
}

/** The first load, shared by every executor and worker of the process. */
let loading: Promise<Peers> | undefined;

/**
 * Throws at once, with what to install, when `bullmq` or `ioredis` cannot be found from
 * here (synchronous, so that `new BullExecutor(…)` fails where it is called).
 *
 * @example
 * ```ts
 * checkPeersInstalled('BullExecutor');
 * ```
 */
export function checkPeersInstalled(what: string): void {
  for (const name of ['bullmq', 'ioredis']) {
    try {
      import.meta.resolve(name);
    } catch (error) {
      throw new Error(`${what} needs the optional peer dependency "${name}": install it with \`npm install bullmq ioredis\``, { cause: error });
    }
  }
}

/**
 * Loads `bullmq` and `ioredis` (once per process).
 *
 * @example
 * ```ts
 * const { bullmq, Redis } = await loadPeers();
 * ```
 */
export function loadPeers(): Promise<Peers> {
  loading ??= Promise.all([import('bullmq'), import('ioredis')]).then(([bullmq, ioredis]) => ({ bullmq, Redis: ioredis.Redis }));
  return loading;
}
