/**
 * `loom/workers`: CPU parallelism on worker threads (the seed's item 53, past what Python
 * threads can do) and locks in shared memory for threads that really race (item 54 across
 * threads). Names are re-exported one by one; the pool's internals (the thread wrapper, the
 * message protocol, the shared-memory layout) stay private. The code that runs inside a worker
 * lives in `worker/` and is loaded by the pool, never from here.
 *
 * @module
 */

export { WorkerPool, type WorkerTaskOptions, type WorkerPoolShutdownOptions } from './pool.js';
export type { WorkerPoolOptions } from './options.js';
export type { MapOptions as WorkerPoolMapOptions } from './pool-map.js';
export { WorkerError } from './errors.js';
export { withTransfer, type Transfer } from './transfer.js';
export { SharedMutex, type SharedMutexHandle } from './shared-mutex.js';
export { SharedSemaphore, type SharedSemaphoreHandle } from './shared-semaphore.js';
export { SharedBarrier, type SharedBarrierHandle } from './shared-barrier.js';
export { AtomicCounter, type AtomicCounterHandle } from './atomic-counter.js';
export type { SharedHandle, SharedPlacement } from './shared-memory.js';
export type { Lock } from '../sync/lock.js';
export { TimeoutError, CancelledError, InvalidStateError, QueueFull, BrokenBarrierError } from '../core/errors.js';
export type { WaitOptions } from '../core/deadline.js';
