/**
 * `loom/subprocess`: child processes done right (seed item 52). `run` for the simple case, a
 * Popen-like `Subprocess` from `spawn` for the rest, `runPipeline` for `a | b | c`.
 *
 * @module
 */

export { run, type RunOptions } from './process/run.js';
export { spawn } from './process/spawn.js';
export { Subprocess } from './process/subprocess.js';
export type { CommunicateOptions, Outputs } from './process/types.js';
export { runPipeline, type PipelineOptions, type PipelineResult } from './pipes/pipeline.js';
export { CompletedProcess } from './results/completed.js';
export { SubprocessError, CalledProcessError, TimeoutExpired, type OutputValue } from './results/errors.js';
export type { SpawnOptions } from './arguments/options.js';
export type { Encoding, Output } from './stdio/collect.js';
export type { Input } from './stdio/input.js';
export type { StdioOption } from './stdio/handoff.js';
