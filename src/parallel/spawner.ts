/**
 * The shell spawner: small long-lived `/bin/sh` processes that start the jobs, so that the
 * fork of each job is a fork of a 1 MiB shell instead of this whole Node process.
 *
 * Why: Node's `child_process.spawn` forks this process on the event-loop thread (about 7 ms
 * here, growing with this process's memory map), and forks of one process serialize. A shell
 * forks in a fraction of that, and several shells fork at once on several cores. Measured on
 * 500 `true N` jobs, 4 at a time, on a shared 2-core machine: 324 to 573 jobs/s against 97 to
 * 138 for the raw Node spawn loop (see `bench/parallel.ts` and docs/parallel.md). Rejected:
 * small Node spawner processes (`--max-old-space-size=16`): 75 to 91 jobs/s, no better than
 * spawning directly, as a fresh Node process still has a large map to copy.
 *
 * Helpers: by default a few (`MANY_HELPERS` at most), each running many jobs at once, so that
 * `-j 100` costs a few Node spawns rather than one per job slot; where `setsid` or
 * `env --default-signal` is missing, one helper per job slot running one job at a time (see
 * `helpers.ts`). Each helper is `sh -c HELPER` in its own process group (loom/subprocess,
 * `group: true`). The engine writes the job's command into a script file in a private
 * temporary directory and the file's path to a helper's stdin; the helper runs it as
 * `/bin/sh -c '. FILE'` with `$0` set to `/bin/sh` and the script's first line dropping FILE
 * from `$1`, so the command sees what GNU's `sh -c COMMAND` would, and answers with the exit
 * status on its stdout. The script sends stdout and stderr into `FILE.out` and `FILE.err` and
 * sets an EXIT trap that writes the job shell's own exit code to `FILE.code`: a shell reports
 * death by signal N as status 128 + N, like an `exit 128+N`, and only the code file (written on
 * exit, never on death by signal) tells them apart, as GNU's job log needs.
 *
 * Killing a job (timeout, `halt now`, an abort): SIGTERM to its process group, then SIGKILL
 * 200 ms later if it still runs.
 *
 * Output is spooled in files, as GNU parallel spools it; `maxOutput` is applied when the files
 * are read. `--line-buffer`, `-u` and function commands start their jobs directly instead.
 *
 * @module
 */

import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, openSync, readSync, closeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttemptResult } from './attempt.js';
import { OutputLimitError } from './attempt.js';
import { canRunMany, FORCE_KILL_AFTER, ManyHelper, OneHelper, type Where } from './helpers.js';

export type { Where } from './helpers.js';

/**
 * Helpers that run many jobs at once, at most: enough that forking jobs is spread over the
 * cores, few enough that starting them (one Node spawn each) stays a few tens of ms.
 */
const MANY_HELPERS = 4;

/** The helpers of one run. */
export class ShellSpawner implements AsyncDisposable {
  readonly #where: Where;
  readonly #many: boolean;
  /** Created with the first job, so a run that starts none makes no directory. */
  #directory: string | undefined;
  /** By job slot (one job at a time each), or by slot modulo `MANY_HELPERS`. */
  readonly #helpers = new Map<number, OneHelper | ManyHelper>();
  readonly #all = new Set<OneHelper | ManyHelper>();
  #files = 0;

  constructor(where: Where) {
    this.#where = where;
    this.#many = canRunMany(where);
  }

  #helper(slot: number): OneHelper | ManyHelper {
    const key = this.#many ? slot % MANY_HELPERS : slot;
    let helper = this.#helpers.get(key);
    if (helper === undefined || helper.dead) {
      helper = this.#many ? new ManyHelper(this.#where) : new OneHelper(this.#where);
      this.#helpers.set(key, helper);
      this.#all.add(helper);
    }
    return helper;
  }

  /** Runs `command` in a helper; see the module comment. Rejects with `signal.reason` when aborted. */
  async run(command: string, slot: number, timeout: number | undefined, signal: AbortSignal, maxOutput: number): Promise<AttemptResult> {
    signal.throwIfAborted();
    const helper = this.#helper(slot);
    this.#directory ??= mkdtempSync(join(tmpdir(), 'loom-parallel-'));
    const path = join(this.#directory, String(++this.#files));
    const prologue = helper instanceof ManyHelper ? ManyHelper.prologue(path) : '';
    await writeFile(path, `shift\n${prologue}exec >${path}.out 2>${path}.err </dev/null\ntrap 'echo $? >${path}.code' EXIT\n${command}\n`);
    const startTime = Date.now();
    const started = performance.now();
    const job = helper.start(path);
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
    let line: string | undefined;
    try {
      line = await job.done;
    } finally {
      clearTimeout(timer);
      clearTimeout(force);
      signal.removeEventListener('abort', onAbort);
      job.ended();
    }
    const runtime = performance.now() - started;
    const code = readOptional(`${path}.code`);
    const stdout = readBounded(`${path}.out`, maxOutput);
    const stderr = readBounded(`${path}.err`, maxOutput);
    for (const suffix of ['', '.code', '.out', '.err', '.pid', '.kill']) removeOptional(`${path}${suffix}`);
    if (signal.aborted) throw signal.reason;
    const status = line === undefined ? 128 + constants.signals.SIGKILL : Number(line);
    const exited = code !== undefined || status <= 128;
    const exitCode = timedOut ? -1 : exited ? (code === undefined ? status : Number(code.toString().trim())) : 0;
    const sig = timedOut ? constants.signals.SIGTERM : exited ? 0 : status - 128;
    if (stdout.over || stderr.over) {
      // Reported as the directly started path reports it, where the job is killed at the bound.
      const error = new OutputLimitError(`Job wrote more than maxOutput (${maxOutput} bytes) to ${stdout.over ? 'stdout' : 'stderr'}: ${command}`);
      return { exitCode: 0, signal: constants.signals.SIGTERM, timedOut, stdout: stdout.bytes, stderr: stderr.bytes, startTime, runtime, error };
    }
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

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function removeOptional(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Not written: the job was killed before its shell opened it.
  }
}

/** A spooled output file, read up to `max` bytes. */
function readBounded(path: string, max: number): { bytes: Buffer; over: boolean } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { bytes: Buffer.alloc(0), over: false };
  }
  if (size <= max) return { bytes: readFileSync(path), over: false };
  const bytes = Buffer.alloc(max);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, bytes, 0, max, 0);
  } finally {
    closeSync(fd);
  }
  return { bytes, over: true };
}
