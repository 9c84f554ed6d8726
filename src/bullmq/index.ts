/**
 * `loom/bullmq`: the Executor surface and pipeline stages across processes and machines, on
 * BullMQ and Redis (the seed's item 59, past one machine). `bullmq` and `ioredis` are optional
 * peer dependencies, loaded on first use (see `load.ts`), so importing this module, or `loom`,
 * loads neither.
 *
 * @module
 */

export { BullExecutor, type BullExecutorOptions, type BullTaskOptions, type BullMapOptions, type BullShutdownOptions, type BackoffOption } from './executor.js';
export { startWorker, type StartWorkerOptions, type BullWorker, type WorkerCloseOptions } from './worker.js';
export { RemoteTaskError, JobLostError } from './errors.js';
export type { QueueLocation, RedisConnection, RedisConnectionOptions } from './connection.js';
export { TimeoutError, CancelledError, InvalidStateError } from '../core/errors.js';
export type { WaitOptions } from '../core/deadline.js';
