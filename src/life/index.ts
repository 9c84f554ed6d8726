/**
 * `loom/life`: the seed's Game of Life case study (items 56–60). The domain as the seed writes
 * it (`Grid`, `countNeighbors`, `gameLogic`, `stepCell`, `simulate`, `ColumnPrinter`), every
 * fan-out strategy of the seed built on loom's primitives (`simulateThreaded` on a `TaskGroup`,
 * the pipelines on `Queue`s, `simulatePool` on an `Executor`, `simulateAsync` on plain
 * promises), the two kinds of I/O (a timer latency, a real game server over TCP), and a
 * large-grid engine stepped by worker threads over shared memory.
 *
 * @module
 */

export { ALIVE, EMPTY, isCellState, type CellState } from './cell.js';
export { Grid } from './grid.js';
export { countNeighbors, gameLogic, stepCell, simulate, type CellGetter, type CellSetter } from './rules.js';
export { ColumnPrinter } from './column-printer.js';
export { SimulationError } from './errors.js';
export type { CellContext, CellLogic, NeighborCounter, SimulateOptions, BoundedSimulateOptions, PipelineSimulateOptions } from './strategies/types.js';
export { startLifeServer, type LifeServer, type LifeServerOptions, type ServerLogic } from './net/server.js';
export { LifeClient, connectLifeServer, type LifeClientOptions } from './net/client.js';
export { LifeConnectionError, RemoteLogicError } from './net/errors.js';
export { LifeEngine } from './engine/engine.js';
export { simulateAsync } from './strategies/async.js';
export { simulatePool } from './strategies/pool.js';
export { delayedGameLogic, delayedCountNeighbors } from './strategies/latency.js';
export { simulateThreaded } from './strategies/threaded.js';
export { simulatePipeline } from './strategies/pipeline.js';
export { simulatePhasedPipeline } from './strategies/phased-pipeline.js';
export { ParallelLifeEngine, type ParallelLifeEngineOptions } from './engine/parallel-engine.js';
export { seedGlider, randomGrid, parseRle, place, type RleOptions } from './patterns.js';
