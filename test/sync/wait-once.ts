/** A Condition test helper shared by `condition.test.ts` and `condition-cancellation.test.ts`. */

import type { Condition } from '../../src/sync/index.js';
import { settle } from '../helpers.js';

/** A task that takes the lock, waits once, and logs how the wait ended and whether it held the lock then. */
export async function waitOnce(cond: Condition, name: string, log: string[], signal?: AbortSignal): Promise<void> {
  using _lock = await cond.acquire();
  const result = await settle(cond.wait({ signal }));
  log.push(`${name} ${result.ok ? 'notified' : 'aborted'}${cond.locked ? '' : ' WITHOUT THE LOCK'}`);
}
