/**
 * loom: concurrency and parallelism for Node.js with one cancellation model.
 *
 * Every public name is re-exported here one by one (`test/exports.test.ts` snapshots the
 * list); each layer also has its own subpath (`loom/sync`, `loom/queue`, `loom/tasks`, ...),
 * and importing one layer loads nothing of the others.
 *
 * @module
 */

export type { WaitOptions } from './core/deadline.js';
export {
  TimeoutError,
  CancelledError,
  InvalidStateError,
  QueueEmpty,
  QueueFull,
  QueueClosed,
  BrokenBarrierError,
  TaskGroupError,
} from './core/errors.js';

export { Mutex, Semaphore, BoundedSemaphore, Event, Condition, Barrier, type Lock, type ExclusiveFn } from './sync/index.js';

export {
  Queue,
  LifoQueue,
  PriorityQueue,
  type QueueOptions,
  type CloseOptions,
  type PriorityQueueOptions,
  type Comparator,
} from './queue/index.js';

export {
  sleep,
  withTimeout,
  TaskGroup,
  taskGroup,
  Task,
  map,
  mapIter,
  Future,
  Executor,
  asCompleted,
  wait,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
  type WithTimeoutOptions,
  type TaskGroupOptions,
  type TaskState,
  type MapOptions,
  type Mapper,
  type MapIterOptions,
  type ExecutorOptions,
  type ExecutorLike,
  type ShutdownOptions,
  type Completed,
  type ReturnWhen,
  type WaitFuturesOptions,
  type DoneAndNotDone,
} from './tasks/index.js';
