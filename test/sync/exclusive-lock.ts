/** What the shared lock suite (`lock-suite.ts`) needs from a lock, and a helper to queue tasks on one. */

import type { WaitOptions } from '../../src/core/deadline.js';
import type { ExclusiveFn, Lock } from '../../src/sync/index.js';
import { settle } from '../helpers.js';

/** The surface every exclusive lock shares. */
export interface ExclusiveLock {
  acquire(opts?: WaitOptions): Promise<Lock>;
  tryAcquire(): Lock | undefined;
  runExclusive<R>(fn: ExclusiveFn<R>, opts?: WaitOptions): Promise<Awaited<R>>;
  readonly locked: boolean;
}

/** Records the order in which tasks get the lock; each task holds it until told to let go. */
export function queueUp(lock: ExclusiveLock, names: readonly string[], opts?: WaitOptions) {
  const order: string[] = [];
  const holds = new Map<string, Lock>();
  for (const name of names) {
    void settle(
      lock.acquire(opts).then((held) => {
        order.push(name);
        holds.set(name, held);
      }),
    );
  }
  return { order, holds };
}
