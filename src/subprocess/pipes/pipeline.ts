/**
 * `runPipeline`: `a | b | c` as a shell runs it, with every stage's status (like bash's
 * `PIPESTATUS`) and pipefail on request (like bash's `set -o pipefail`).
 *
 * The stages are connected by real pipes (see `fifo.ts`), each descriptor handed to exactly one
 * child and closed in the parent right after that child started, so the parent holds no pipe
 * end: a reader that exits early ends its writer with SIGPIPE, as in a shell, and the parent
 * never sees an EPIPE. Only the last stage's stdout is captured; each stage's stderr is captured
 * separately. Like execa's `lib/pipe/sequence.js`, a timeout or abort ends every stage.
 *
 * @module
 */

import type { WaitOptions } from '../../core/deadline.js';
import { checkOptions, checkWaitOptions, expectation } from '../../core/validate.js';
import { checkArgv, formatCommand } from '../arguments/command.js';
import { checkSpawnOptions, type SpawnOptions } from '../arguments/options.js';
import { spawn } from '../process/spawn.js';
import type { Subprocess } from '../process/subprocess.js';
import { CompletedProcess } from '../results/completed.js';
import { CalledProcessError, TimeoutExpired } from '../results/errors.js';
import type { Encoding, Output } from '../stdio/collect.js';
import { checkInput, type Input } from '../stdio/input.js';
import { within } from '../termination/watch.js';
import { closePipes, makePipes, type PipeEnds } from './fifo.js';

/**
 * Options of {@link runPipeline}; the spawn options apply to every stage.
 *
 * @example
 * ```ts
 * import { runPipeline } from 'loom/subprocess';
 * const { returncode } = await runPipeline([['false'], ['cat']], { pipefail: true, timeout: 5000 });
 * console.log(returncode); // 1, as `set -o pipefail; false | cat` gives
 * ```
 */
export interface PipelineOptions<E extends Encoding = 'utf8'> extends Omit<SpawnOptions<E>, 'stdin' | 'stdout'>, WaitOptions {
  /** Written to the first stage's stdin (which is otherwise `'ignore'`). */
  readonly input?: Input | undefined;
  /** The pipeline's status is the rightmost non-zero stage status, like bash's `set -o pipefail`. Default false: the last stage's. */
  readonly pipefail?: boolean | undefined;
  /** Throw a `CalledProcessError` (for the stage that set the status) when the pipeline's status is non-zero. */
  readonly check?: boolean | undefined;
}

/**
 * The result of a pipeline.
 *
 * @example
 * ```ts
 * import { runPipeline } from 'loom/subprocess';
 * const { pipestatus, stages } = await runPipeline([['sh', '-c', 'echo a; exit 3'], ['cat']]);
 * console.log(pipestatus, stages[1]?.stdout); // [3, 0] 'a\n'
 * ```
 */
export interface PipelineResult<E extends Encoding = 'utf8'> {
  /** Each stage's result, in order; only the last has `stdout`. */
  readonly stages: readonly CompletedProcess<E>[];
  /** Each stage's `returncode`, like bash's `PIPESTATUS` (`-N` for signal N where bash says `128 + N`). */
  readonly pipestatus: readonly number[];
  /** The pipeline's status: the last stage's, or with `pipefail` the rightmost non-zero one (0 if none). */
  readonly returncode: number;
  /** The last stage's output. */
  readonly stdout: Output<E>;
}

/**
 * Runs `commands` as one pipeline and returns every stage's status.
 *
 * @example
 * ```ts
 * import { runPipeline } from 'loom/subprocess';
 * const { pipestatus, stdout } = await runPipeline([['yes'], ['head', '-n', '1']]);
 * console.log(stdout, pipestatus); // 'y\n' [-13, 0]: yes ended by SIGPIPE, as in a shell
 * ```
 */
export function runPipeline<E extends Encoding = 'utf8'>(commands: readonly (readonly string[])[], opts?: PipelineOptions<E>): Promise<PipelineResult<E>> {
  if (!Array.isArray(commands) || commands.length === 0) {
    throw new (Array.isArray(commands) ? RangeError : TypeError)(expectation('commands', 'a non-empty array of argv arrays', commands));
  }
  const argvs = commands.map((argv, i) => {
    if (!Array.isArray(argv)) throw new TypeError(expectation(`commands[${i}]`, 'a non-empty array of strings', argv));
    return checkArgv(argv);
  });
  checkOptions('options', opts);
  const { input, pipefail, check, timeout, signal, ...spawnOptions } = opts ?? {};
  checkInput(input);
  if (pipefail !== undefined && typeof pipefail !== 'boolean') throw new TypeError(expectation('pipefail', 'a boolean', pipefail));
  if (check !== undefined && typeof check !== 'boolean') throw new TypeError(expectation('check', 'a boolean', check));
  checkSpawnOptions(spawnOptions);
  const wait: WaitOptions = { timeout, signal };
  checkWaitOptions(wait);
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return pipeline(argvs, { input, pipefail: pipefail === true, check: check === true, wait, spawnOptions });
}

interface Plan<E extends Encoding> {
  readonly input: Input | undefined;
  readonly pipefail: boolean;
  readonly check: boolean;
  readonly wait: WaitOptions;
  readonly spawnOptions: SpawnOptions<E>;
}

async function pipeline<E extends Encoding>(argvs: readonly (readonly string[])[], plan: Plan<E>): Promise<PipelineResult<E>> {
  const pipes = await makePipes(argvs.length - 1);
  const procs = startStages(argvs, plan, pipes);
  // A marker, replaced below by a TimeoutExpired that carries the output.
  const timedOut = new Error('pipeline timed out');
  try {
    const outputs = await within(
      Promise.all(procs.map((proc, i) => proc.communicate(i === 0 && plan.input !== undefined ? { input: plan.input } : {}))),
      plan.wait,
      () => timedOut,
    ).catch(async (error: unknown) => {
      if (error !== timedOut) throw error;
      await Promise.all(procs.map((proc) => proc[Symbol.asyncDispose]()));
      // Every stage is dead and its pipes closed: this returns at once with what the last one wrote.
      const { stdout, stderr } = await (procs.at(-1) as Subprocess<E>).communicate();
      const command = argvs.map(formatCommand).join(' | ');
      throw new TimeoutExpired(argvs.flat(), plan.wait.timeout ?? 0, stdout, stderr, command);
    });
    const stages = procs.map((proc, i) => {
      const { stdout, stderr } = outputs[i] as { stdout: Output<E>; stderr: Output<E> };
      // `as`: communicate resolved, so the stage exited and its status is known.
      return new CompletedProcess<E>(proc.argv, proc.returncode as number, stdout, stderr);
    });
    const pipestatus = stages.map((stage) => stage.returncode);
    const deciding = plan.pipefail ? (stages.findLast((stage) => stage.returncode !== 0) ?? stages.at(-1)) : stages.at(-1);
    // `as`: there is at least one stage.
    const last = stages.at(-1) as CompletedProcess<E>;
    const returncode = deciding?.returncode ?? 0;
    if (plan.check && deciding !== undefined && returncode !== 0) {
      throw new CalledProcessError(deciding.argv, returncode, last.stdout, deciding.stderr);
    }
    return { stages, pipestatus, returncode, stdout: last.stdout };
  } finally {
    await Promise.all(procs.map((proc) => proc[Symbol.asyncDispose]()));
  }
}

function startStages<E extends Encoding>(argvs: readonly (readonly string[])[], plan: Plan<E>, pipes: readonly PipeEnds[] | undefined): Subprocess<E>[] {
  const procs: Subprocess<E>[] = [];
  try {
    for (const [i, argv] of argvs.entries()) {
      const first = i === 0;
      const last = i === argvs.length - 1;
      const fromPipe = first ? undefined : pipes?.[i - 1]?.[0];
      const previous = procs.at(-1)?.stdout;
      const stdin = first ? (plan.input === undefined ? 'ignore' : 'pipe') : (fromPipe ?? previous ?? 'ignore');
      const stdout = last ? 'pipe' : (pipes?.[i]?.[1] ?? 'pipe');
      procs.push(spawn(argv, { ...plan.spawnOptions, stdin, stdout }));
    }
  } catch (error) {
    for (const proc of procs) void proc[Symbol.asyncDispose]();
    throw error;
  } finally {
    // Each end now lives in its child; the parent's copy would keep EOF and SIGPIPE from happening.
    if (pipes !== undefined) closePipes(pipes);
  }
  return procs;
}
