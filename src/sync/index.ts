/**
 * `loom/sync`: locks and signals for async code (the seed's item 54), all parked on the one
 * fair wait queue of `core/`. Names are re-exported one by one; the helpers behind them
 * (`LockHandle`, the internal symbols) stay private; the errors its calls throw are re-exported
 * so that `loom/sync` alone is enough to handle them. Nothing here loads `worker_threads` or
 * `child_process`.
 *
 * @module
 */

export { Mutex } from './mutex.js';
export { Semaphore } from './semaphore.js';
export { BoundedSemaphore } from './bounded-semaphore.js';
export { Event } from './event.js';
export { Condition } from './condition.js';
export { Barrier } from './barrier.js';
export type { Lock } from './lock.js';
export type { ExclusiveFn } from './run-exclusive.js';
export { TimeoutError, InvalidStateError, BrokenBarrierError } from '../core/errors.js';
export type { WaitOptions } from '../core/deadline.js';
