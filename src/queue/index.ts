/**
 * `loom/queue`: bounded, closable producer-consumer queues (the seed's item 55), FIFO, LIFO
 * and priority, all parked on the one fair wait queue of `core/`. The errors their calls
 * throw are re-exported here so that `loom/queue` alone is enough to handle them. Nothing
 * here loads `worker_threads` or `child_process`.
 *
 * @module
 */

export { Queue } from './queue.js';
export { LifoQueue } from './lifo-queue.js';
export { PriorityQueue, type PriorityQueueOptions } from './priority-queue.js';
export type { QueueOptions, CloseOptions } from './base-queue.js';
export type { Comparator } from './heap.js';
export { QueueEmpty, QueueFull, QueueClosed } from '../core/errors.js';
