/**
 * `loom/parallel`: GNU parallel's job runner as a library, the engine behind `loom parallel`.
 *
 * @module
 */

export { parallel, ParallelRun, type ParallelCommand, type ParallelRunOptions } from './parallel.js';
export type { ParallelOptions, JobStart } from './options.js';
export { JobResult } from './result.js';
export { shellQuote } from './quote.js';
export type { InputSource, InputValues } from './inputs.js';
export { readArguments, type ReadArgumentsOptions } from './read-arguments.js';
export { parseHalt, HaltSpecError, type HaltSpec } from './halt.js';
export { JOBLOG_HEADER, formatJoblogLine, parseJoblogLine, readJoblog, type JoblogEntry } from './joblog.js';
export { InputLimitError, type InputLimits } from './limits.js';
export { OutputLimitError } from './attempt.js';
