/**
 * The two kinds of `/bin/sh` helper behind the shell spawner (see `spawner.ts`): a few that
 * each run many jobs at once (the default where `setsid` and `env --default-signal` exist), and
 * one per job slot running one job at a time (the fallback).
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from '../subprocess/process/spawn.js';
import type { Subprocess } from '../subprocess/process/subprocess.js';

/** Where the jobs run. */
export interface Where {
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** A job handed to a helper: its answer (the shell's status line, `undefined` if the helper died) and how to signal it. */
export interface Started {
  readonly done: Promise<string | undefined>;
  kill(signal: NodeJS.Signals): void;
  /** Called once the job has ended: ends what it left running, where the helper can. */
  ended(): void;
}

/** GNU's termseq, shortened, as for directly started jobs. */
export const FORCE_KILL_AFTER = 200;

/**
 * Runs each job in the background: a subshell that exits at once (so that the helper keeps no
 * zombie), whose child runs the job and answers `ID STATUS` (one write, below PIPE_BUF, so the
 * answers of jobs ending together do not interleave). `setsid` puts the job in its own session
 * and process group (dash without a terminal cannot turn job control on, so `set -m` does not),
 * and `env --default-signal` undoes what POSIX makes a shell without job control do to a
 * background job: start it with SIGINT and SIGQUIT ignored, which the job could not undo.
 */
const MANY = `while IFS=' ' read -r id f; do ( { setsid env --default-signal=INT,QUIT /bin/sh -c '. "$1"' /bin/sh "$f"; echo "$id $?"; } & ); done\n`;

/**
 * One job at a time, in the helper's own group. The job's redirections are the script's own
 * (second) line, not the helper's: dash applies a command's redirections in the parent around
 * the wait, so its own "Terminated" report of a job killed by a signal would land in the job's
 * stderr (GNU shows none). `trap : TERM INT`: the helper survives the SIGTERM sent to its
 * group, and a handler, unlike an ignored signal, is not inherited by the job.
 */
const ONE = `trap : TERM INT\nwhile IFS= read -r f; do /bin/sh -c '. "$1"' /bin/sh "$f"; echo "$?"; done\n`;

/** Whether `setsid` and `env --default-signal` run with this `PATH`; asked once per `PATH`. */
const manyWorks = new Map<string, boolean>();

/** True when jobs can run many to a helper with this run's `PATH` (a synchronous probe, the first time a `PATH` is seen). */
export function canRunMany(where: Where): boolean {
  const path = (where.env === undefined ? process.env.PATH : where.env.PATH) ?? '';
  let works = manyWorks.get(path);
  if (works === undefined) {
    const probe = spawnSync('/bin/sh', ['-c', 'setsid env --default-signal=INT,QUIT /bin/sh -c :'], { env: { PATH: path }, stdio: 'ignore' });
    works = probe.status === 0;
    manyWorks.set(path, works);
  }
  return works;
}

/** A helper process and its answer lines. */
abstract class Helper {
  readonly proc: Subprocess<'utf8'>;
  #pending = '';
  #dead = false;

  constructor(script: string, where: Where) {
    this.proc = spawn(['/bin/sh', '-c', script], {
      group: true,
      stderr: 'ignore',
      forceKillAfter: FORCE_KILL_AFTER,
      ...(where.cwd === undefined ? {} : { cwd: where.cwd }),
      ...(where.env === undefined ? {} : { env: where.env }),
    });
    this.proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#pending += chunk;
      for (let end = this.#pending.indexOf('\n'); end !== -1; end = this.#pending.indexOf('\n')) {
        const line = this.#pending.slice(0, end);
        this.#pending = this.#pending.slice(end + 1);
        this.answer(line);
      }
    });
    void this.proc.wait().catch(() => undefined).finally(() => {
      this.#dead = true;
      this.died();
    });
  }

  get dead(): boolean {
    return this.#dead;
  }

  protected abstract answer(line: string): void;
  protected abstract died(): void;

  /** Signals the helper's whole process group. */
  signalGroup(signal: NodeJS.Signals): void {
    if (this.proc.pid !== undefined) signalGroup(this.proc.pid, signal);
  }
}

/** Runs many jobs at once, each in its own process group, whose leader's pid the job's script writes to `FILE.pid`. */
export class ManyHelper extends Helper {
  readonly #waiting = new Map<string, (line: string | undefined) => void>();
  #ids = 0;
  /** Lines not yet written: the jobs started in one turn of the event loop go in one write (each write to the pipe costs ms under load). */
  #unsent = '';

  constructor(where: Where) {
    super(MANY, where);
  }

  /** The lines the job's script starts with, before its redirections (see `start`). */
  static prologue(path: string): string {
    return `echo $$ >${path}.pid\n[ -e ${path}.kill ] && kill -TERM $$\n`;
  }

  protected answer(line: string): void {
    const space = line.indexOf(' ');
    const id = line.slice(0, space);
    const resolve = this.#waiting.get(id);
    this.#waiting.delete(id);
    resolve?.(line.slice(space + 1));
  }

  protected died(): void {
    for (const resolve of this.#waiting.values()) resolve(undefined);
    this.#waiting.clear();
  }

  /**
   * Starts the script at `path`. Killing it before its pid is known is safe: `kill` creates
   * `FILE.kill` before it reads `FILE.pid`, and the script writes `FILE.pid` before it looks
   * for `FILE.kill`, so the signal is sent by one side or the other (or both).
   */
  start(path: string): Started {
    const id = String(++this.#ids);
    const done = new Promise<string | undefined>((resolve) => {
      if (this.dead) return resolve(undefined);
      this.#waiting.set(id, resolve);
      if (this.#unsent === '') {
        setImmediate(() => {
          const lines = this.#unsent;
          this.#unsent = '';
          if (!this.dead) this.proc.stdin?.write(lines);
        });
      }
      this.#unsent += `${id} ${path}\n`;
    });
    const group = (): number | undefined => {
      try {
        const pid = Number(readFileSync(`${path}.pid`, 'utf8'));
        return Number.isInteger(pid) && pid > 1 ? pid : undefined;
      } catch {
        return undefined;
      }
    };
    return {
      done,
      kill: (signal) => {
        writeFileSync(`${path}.kill`, '');
        const pid = group();
        if (pid !== undefined) signalGroup(pid, signal);
      },
      ended: () => {
        // A job's group outlives the job only through what the job left running (`cmd &`),
        // and a group id is not reused while the group has a member.
        const pid = group();
        if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      },
    };
  }
}

/** Runs one job at a time; a killed job is killed with the helper's group, the helper surviving SIGTERM. */
export class OneHelper extends Helper {
  #resolve: ((line: string | undefined) => void) | undefined;

  constructor(where: Where) {
    super(ONE, where);
  }

  protected answer(line: string): void {
    this.#settle(line);
  }

  protected died(): void {
    this.#settle(undefined);
  }

  #settle(line: string | undefined): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.(line);
  }

  start(path: string): Started {
    const done = new Promise<string | undefined>((resolve) => {
      if (this.dead) return resolve(undefined);
      this.#resolve = resolve;
      this.proc.stdin?.write(`${path}\n`);
    });
    // What the job left running lives in the helper's group until the run ends.
    return { done, kill: (signal) => this.signalGroup(signal), ended: () => undefined };
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
