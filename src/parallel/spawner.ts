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
 * Protocol: each helper is `sh -c HELPER` in its own process group (loom/subprocess, `group:
 * true`), running one job at a time. The engine writes the job's command into a script file in
 * a private temporary directory and the file's path, one line, to the helper's stdin; the helper
 * runs it (see `HELPER`), the script sending stdout and stderr into `FILE.out` and `FILE.err`,
 * and answers with the exit status on its stdout. The script starts with an EXIT trap that writes the job shell's
 * own exit code to `FILE.code`: a shell reports death by signal N as status 128 + N, like an
 * `exit 128+N`, and only the code file (written on exit, never on death by signal) tells them
 * apart, as GNU's job log needs.
 *
 * Killing a job (timeout, `halt now`, an abort): SIGTERM to the helper's whole group, which the
 * helper itself survives (`trap : TERM INT`; a handler, unlike an ignored signal, is not
 * inherited by the job), then SIGKILL 200 ms later if the job still runs, which ends the helper
 * too: the next job then gets a fresh one. Descendants a job left running (`cmd &`) live in the
 * helper's group until the run ends, when every helper's group is killed.
 *
 * Output is spooled in files, as GNU parallel spools it; `maxOutput` is applied when the files
 * are read. `--line-buffer`, `-u` and function commands start their jobs directly instead.
 *
 * @module
 */

import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from '../subprocess/process/spawn.js';
import type { Subprocess } from '../subprocess/process/subprocess.js';
import type { AttemptResult } from './attempt.js';
import { OutputLimitError } from './attempt.js';

/**
 * The helper. The job runs as `/bin/sh -c '. FILE'` with `$0` set to `/bin/sh` and the script's
 * first line dropping FILE from `$1`, so the command sees what GNU's `sh -c COMMAND` would. The
 * job's redirections are the script's own (second) line, not the helper's: dash
 * applies a command's redirections in the parent around the wait, so its own "Terminated"
 * report of a job killed by a signal would land in the job's stderr (GNU shows none).
 */
const HELPER = `trap : TERM INT\nwhile IFS= read -r f; do /bin/sh -c '. "$1"' /bin/sh "$f"; echo "$?"; done\n`;

/** GNU's termseq, shortened, as for directly started jobs. */
const FORCE_KILL_AFTER = 200;

class Helper {
  readonly proc: Subprocess<'utf8'>;
  #pending = '';
  #answer: ((line: string | undefined) => void) | undefined;
  #dead = false;

  constructor(where: Where) {
    this.proc = spawn(['/bin/sh', '-c', HELPER], {
      group: true,
      stderr: 'ignore',
      forceKillAfter: FORCE_KILL_AFTER,
      ...(where.cwd === undefined ? {} : { cwd: where.cwd }),
      ...(where.env === undefined ? {} : { env: where.env }),
    });
    this.proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#pending += chunk;
      const end = this.#pending.indexOf('\n');
      if (end === -1) return;
      const line = this.#pending.slice(0, end);
      this.#pending = this.#pending.slice(end + 1);
      this.#settle(line);
    });
    void this.proc.wait().catch(() => undefined).finally(() => {
      this.#dead = true;
      this.#settle(undefined);
    });
  }

  get dead(): boolean {
    return this.#dead;
  }

  #settle(line: string | undefined): void {
    const answer = this.#answer;
    this.#answer = undefined;
    answer?.(line);
  }

  /** Runs the script at `path`; resolves with the helper's status line, or `undefined` if the helper died. */
  run(path: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      if (this.#dead) return resolve(undefined);
      this.#answer = resolve;
      this.proc.stdin?.write(`${path}\n`);
    });
  }

  signalGroup(signal: NodeJS.Signals): void {
    const pid = this.proc.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/** Where the jobs run. */
export interface Where {
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The helpers of one run, one per job slot. */
export class ShellSpawner implements AsyncDisposable {
  readonly #where: Where;
  /** Created with the first job, so a run that starts none makes no directory. */
  #directory: string | undefined;
  readonly #helpers = new Map<number, Helper>();
  readonly #all = new Set<Helper>();
  #files = 0;

  constructor(where: Where) {
    this.#where = where;
  }

  /** Runs `command` in slot `slot`'s helper; see the module comment. Rejects with `signal.reason` when aborted. */
  async run(command: string, slot: number, timeout: number | undefined, signal: AbortSignal, maxOutput: number): Promise<AttemptResult> {
    signal.throwIfAborted();
    let helper = this.#helpers.get(slot);
    if (helper === undefined || helper.dead) {
      helper = new Helper(this.#where);
      this.#helpers.set(slot, helper);
      this.#all.add(helper);
    }
    this.#directory ??= mkdtempSync(join(tmpdir(), 'loom-parallel-'));
    const path = join(this.#directory, String(++this.#files));
    writeFileSync(path, `shift\nexec >${path}.out 2>${path}.err </dev/null\ntrap 'echo $? >${path}.code' EXIT\n${command}\n`);
    const startTime = Date.now();
    const started = performance.now();
    let timedOut = false;
    let force: NodeJS.Timeout | undefined;
    const kill = (): void => {
      helper.signalGroup('SIGTERM');
      force = setTimeout(() => helper.signalGroup('SIGKILL'), FORCE_KILL_AFTER);
    };
    const timer = timeout === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      kill();
    }, Math.min(timeout, 2 ** 31 - 1));
    const onAbort = (): void => kill();
    signal.addEventListener('abort', onAbort, { once: true });
    let line: string | undefined;
    try {
      line = await helper.run(path);
    } finally {
      clearTimeout(timer);
      clearTimeout(force);
      signal.removeEventListener('abort', onAbort);
    }
    const runtime = performance.now() - started;
    const code = readOptional(`${path}.code`);
    const stdout = readBounded(`${path}.out`, maxOutput);
    const stderr = readBounded(`${path}.err`, maxOutput);
    for (const suffix of ['', '.code', '.out', '.err']) removeOptional(`${path}${suffix}`);
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
