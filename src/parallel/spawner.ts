/**
 * The shell spawner: small long-lived helper processes that start the jobs, so that starting
 * a job costs a spawn from a few-MiB `python3` or `perl` instead of a fork of this whole Node
 * process. The jobs still run as GNU's do, `/bin/sh -c COMMAND`, but for simple commands that
 * dash would exec, which a helper execs in dash's place (see `execsDirectly`).
 *
 * Why: Node's `child_process.spawn` forks this process on the event-loop thread (about 7 ms
 * here, growing with this process's memory map), and forks of one process serialize. A small
 * process forks in a fraction of that, and several fork at once on several cores; Python's
 * `posix_spawn` does not copy the helper's memory map at all. Measured on 1,000 `true N` jobs,
 * 4 at a time, and 100 `sleep 0.5` at `-j 100`: see docs/parallel.md, "How jobs are started,
 * and speed". Rejected: small Node spawner processes (`--max-old-space-size=16`): 75 to 91
 * jobs/s, no better than spawning directly, as a fresh Node process still has a large map to
 * copy.
 *
 * Helpers: by default a few helpers (`MANY_HELPERS` at most), each running many jobs at once,
 * so that `-j 100` costs a few Node spawns rather than one per job slot: `python3` ones where
 * a Python 3.8 or later is on the `PATH`, else `perl` ones. Each starts the job itself and
 * reads its real wait status: a job costs one process and one exec (`/bin/sh`, or the program
 * for a simple command), where a shell helper needed four forks and three execs (a subshell,
 * a background list, `setsid`, `env --default-signal`) and an EXIT trap to tell death by a
 * signal from `exit 128+N`. Where neither runs, one `/bin/sh` helper per job slot runs one job
 * at a time (see `helpers.ts`). Each helper runs in its own process group (loom/subprocess,
 * `group: true`); each job in its own. A job's stdout and stderr go to `N.out` and `N.err` in
 * a private temporary directory.
 *
 * Killing a job (timeout, `halt now`, an abort): SIGTERM to its process group, then SIGKILL
 * 200 ms later if it still runs.
 *
 * Output is spooled in files, as GNU parallel spools it; `maxOutput` is applied when the files
 * are read. `--line-buffer`, `-u` and function commands start their jobs directly instead.
 *
 * @module
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttemptResult } from './attempt.js';
import { FORCE_KILL_AFTER, OutputLimitError } from './attempt.js';
import { readStart, removeOptional } from './files.js';
import { type Exit, type Interpreter, KILLED, ManyHelper, manyJobsInterpreter, OneHelper } from './helpers.js';
import type { Where } from './where.js';

/**
 * Helpers that run many jobs at once, at most: enough that forking jobs is spread over the
 * cores, few enough that starting them (one Node spawn each) stays a few tens of ms.
 */
const MANY_HELPERS = 4;

/** The helpers of one run. */
export class ShellSpawner implements AsyncDisposable {
  readonly #where: Where;
  /** How to start helpers that run many jobs at once; `undefined`: one `/bin/sh` helper per slot. */
  readonly #many: Interpreter | undefined;
  /** Created with the first job, so a run that starts none makes no directory. */
  #directory: string | undefined;
  /** By job slot (one job at a time each), or by slot modulo `MANY_HELPERS`. */
  readonly #helpers = new Map<number, OneHelper | ManyHelper>();
  readonly #all = new Set<OneHelper | ManyHelper>();
  #files = 0;

  constructor(where: Where) {
    this.#where = where;
    this.#many = manyJobsInterpreter(where);
  }

  #helper(slot: number): OneHelper | ManyHelper {
    const key = this.#many === undefined ? slot : slot % MANY_HELPERS;
    let helper = this.#helpers.get(key);
    if (helper === undefined || helper.dead) {
      helper = this.#many === undefined ? new OneHelper(this.#where) : new ManyHelper(this.#where, this.#many);
      this.#helpers.set(key, helper);
      this.#all.add(helper);
    }
    return helper;
  }

  /** Runs `command` in a helper; see the module comment. Rejects with `signal.reason` when aborted. */
  async run(command: string, slot: number, timeout: number | undefined, signal: AbortSignal, maxOutput: number): Promise<AttemptResult> {
    signal.throwIfAborted();
    this.#directory ??= mkdtempSync(join(tmpdir(), 'loom-parallel-'));
    const path = join(this.#directory, String(++this.#files));
    const startTime = Date.now();
    const started = performance.now();
    const job = this.#helper(slot).start(command, path);
    let timedOut = false;
    let force: NodeJS.Timeout | undefined;
    const kill = (): void => {
      job.kill('SIGTERM');
      force = setTimeout(() => job.kill('SIGKILL'), FORCE_KILL_AFTER);
    };
    const timer = timeout === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      kill();
    }, Math.min(timeout, 2 ** 31 - 1));
    const onAbort = (): void => kill();
    signal.addEventListener('abort', onAbort, { once: true });
    let exit: Exit | undefined;
    try {
      exit = await job.done;
    } finally {
      clearTimeout(timer);
      clearTimeout(force);
      signal.removeEventListener('abort', onAbort);
      job.ended();
    }
    const runtime = performance.now() - started;
    const stdout = readBounded(`${path}.out`, maxOutput);
    const stderr = readBounded(`${path}.err`, maxOutput);
    removeOptional(`${path}.out`);
    removeOptional(`${path}.err`);
    if (signal.aborted) throw signal.reason;
    const { exitCode, signal: sig } = exit ?? KILLED;
    if (stdout.over || stderr.over) {
      // Reported as the directly started path reports it, where the job is killed at the bound.
      const error = new OutputLimitError(`Job wrote more than maxOutput (${maxOutput} bytes) to ${stdout.over ? 'stdout' : 'stderr'}: ${command}`);
      return { exitCode: 0, signal: constants.signals.SIGTERM, timedOut, stdout: stdout.bytes, stderr: stderr.bytes, startTime, runtime, error };
    }
    if (timedOut) return { exitCode: -1, signal: constants.signals.SIGTERM, timedOut, stdout: stdout.bytes, stderr: stderr.bytes, startTime, runtime };
    return { exitCode, signal: sig, timedOut, stdout: stdout.bytes, stderr: stderr.bytes, startTime, runtime };
  }

  /** Ends every helper and what its jobs left running, and removes the directory. */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const helper of this.#all) helper.proc.stdin?.end();
    await Promise.all([...this.#all].map((helper) => helper.proc[Symbol.asyncDispose]()));
    for (const helper of this.#all) helper.signalGroup('SIGKILL');
    if (this.#directory !== undefined) rmSync(this.#directory, { recursive: true, force: true });
  }
}

/** A spooled output file, read up to `max` bytes (none if the job never wrote it). */
function readBounded(path: string, max: number): { bytes: Buffer; over: boolean } {
  try {
    return readStart(path, max);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { bytes: Buffer.alloc(0), over: false };
  }
}
