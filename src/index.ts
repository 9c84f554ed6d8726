/**
 * loom: concurrency and parallelism for Node.js with one cancellation model.
 *
 * Every public name is re-exported here one by one (`test/exports.test.ts` snapshots the
 * list); each layer also has its own subpath (`loom/sync`, `loom/queue`, `loom/tasks`, ...),
 * and importing one layer loads nothing of the others.
 *
 * @module loom
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

export {
  run,
  spawn,
  Subprocess,
  runPipeline,
  CompletedProcess,
  SubprocessError,
  CalledProcessError,
  TimeoutExpired,
  type RunOptions,
  type SpawnOptions,
  type CommunicateOptions,
  type Outputs,
  type PipelineOptions,
  type PipelineResult,
  type OutputValue,
  type Encoding,
  type Output,
  type Input,
  type StdioOption,
} from './subprocess/index.js';

export {
  WorkerPool,
  WorkerError,
  withTransfer,
  SharedMutex,
  SharedSemaphore,
  SharedBarrier,
  AtomicCounter,
  type WorkerTaskOptions,
  type WorkerPoolShutdownOptions,
  type WorkerPoolOptions,
  type WorkerPoolMapOptions,
  type Transfer,
  type SharedMutexHandle,
  type SharedSemaphoreHandle,
  type SharedBarrierHandle,
  type AtomicCounterHandle,
  type SharedHandle,
  type SharedPlacement,
} from './workers/index.js';

export {
  pipeline,
  Pipeline,
  StageError,
  type PipelineRunOptions,
  type StageOptions,
  type BatchOptions,
  type PipelineStats,
  type StageStats,
  type LatencyStats,
} from './pipeline/index.js';

export {
  ALIVE,
  EMPTY,
  isCellState,
  Grid,
  countNeighbors,
  gameLogic,
  stepCell,
  simulate,
  ColumnPrinter,
  SimulationError,
  simulateThreaded,
  simulatePipeline,
  simulatePhasedPipeline,
  simulatePool,
  simulateAsync,
  delayedGameLogic,
  delayedCountNeighbors,
  startLifeServer,
  connectLifeServer,
  LifeClient,
  LifeConnectionError,
  RemoteLogicError,
  LifeEngine,
  ParallelLifeEngine,
  seedGlider,
  randomGrid,
  parseRle,
  place,
  type CellState,
  type CellGetter,
  type CellSetter,
  type CellContext,
  type CellLogic,
  type NeighborCounter,
  type SimulateOptions,
  type BoundedSimulateOptions,
  type PipelineSimulateOptions,
  type LifeServer,
  type LifeServerOptions,
  type ServerLogic,
  type LifeClientOptions,
  type ParallelLifeEngineOptions,
  type RleOptions,
} from './life/index.js';
