/**
 * The kinds of helper process behind the shell spawner (see `spawner.ts`): a few helpers that
 * each run many jobs at once (the default): `python3` ones where a Python of 3.8 or later is
 * on the `PATH`, else `perl` ones; and, where neither runs, one `/bin/sh` helper per job slot
 * running one job at a time (the fallback). The Python and Perl helpers speak the same
 * protocol and start jobs alike; Python's are faster because `os.posix_spawn` starts a job
 * without copying the helper's memory map (glibc uses `vfork` semantics), where Perl can only
 * `fork`.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { spawn } from '../subprocess/process/spawn.js';
import type { Subprocess } from '../subprocess/process/subprocess.js';
import { FORCE_KILL_AFTER } from './attempt.js';
import { dashPwd, execsDirectly } from './dash.js';
import { readStart, removeOptional } from './files.js';
import { shellQuote } from './quote.js';
import { envOf, type Where } from './where.js';

/** How a job ended, as GNU's job log tells it: its exit code, or 0 and the signal that killed it. */
export interface Exit {
  readonly exitCode: number;
  readonly signal: number;
}

/** A job handed to a helper: how it ended (`undefined` if the helper died), and how to signal it. */
export interface Started {
  readonly done: Promise<Exit | undefined>;
  kill(signal: NodeJS.Signals): void;
  /** Called once the job has ended: removes the helper's own files. */
  ended(): void;
}

/**
 * Reads jobs from stdin, each a header `ID PATHBYTES COMMANDBYTES MODE` and a newline, then
 * the path and the command, and forks each job: `setpgrp` (its own process group, as GNU's
 * jobs get `setpgrp(0,0)`, so that killing the group kills its tree), stdin from /dev/null,
 * stdout and stderr into `PATH.out` and `PATH.err`, then `exec /bin/sh -c COMMAND` with `$0`
 * `/bin/sh`, exactly GNU's `sh -c`, signals at their default dispositions. In mode `D` (a
 * command that dash would run by exec'ing its program, see {@link execsDirectly}) it first
 * does what dash would do, without dash: execs the program found on `PATH`, with `PWD` as
 * dash would export it (the helper's first argument, exported to every job: dash keeps that
 * value as it finds it right); only if that fails does it exec `/bin/sh`,
 * whose search then fails the same way and reports it in dash's words. It answers
 * `S ID PID` once forked (having made the group itself too, so that a signal sent to it at
 * once finds it) and `E ID CODE SIGNAL` once it reaped the job: the real wait status,
 * so death by signal N is told apart from `exit 128+N`. Before answering it kills what the job
 * left running in its group (`cmd &`); a group id is not reused while the group has a member.
 * A job that cannot be started (no fork, no output file, no `/bin/sh`) ends with code 127.
 * At the end of stdin (the engine done, or its process gone) it kills the jobs still running.
 *
 * Reaping: SIGCHLD writes to a pipe that `select` watches with stdin. Perl runs a signal
 * handler only between statements, so a SIGCHLD landing in the few statements between the
 * last `waitpid` and `select` wakes nothing; while jobs run, `select` therefore also times out
 * every 50 ms, which bounds how late such a job is reported (none was in 5,000 short jobs).
 * Rejected: a waiter process forking each job and blocking in `waitpid` (no timeout needed,
 * but a fork more a job: 637–870 against 792–1,104 jobs/s on 1,000 `true` jobs at `-j 4`,
 * alternating). No module is loaded: `POSIX` alone costs 15 ms of start-up here.
 */
const PERL = String.raw`my $pwd = shift;
$ENV{PWD} = $pwd if defined $pwd;
pipe my $woken, my $wake;
$SIG{CHLD} = sub { syswrite $wake, 'x' };
my ($in, $at, $open, %jobs) = ('', 0, 1);
while ($open) {
  my $ready = '';
  vec($ready, 0, 1) = 1;
  vec($ready, fileno $woken, 1) = 1;
  $ready = '' if select($ready, undef, undef, %jobs ? 0.05 : undef) <= 0;
  sysread $woken, my $drop, 4096 if vec($ready, fileno $woken, 1);
  my $out = '';
  while ((my $pid = waitpid -1, 1) > 0) {
    my $id = delete $jobs{$pid};
    next unless defined $id;
    kill 'KILL', -$pid;
    $out .= ($? & 127) ? "E $id 0 " . ($? & 127) . "\n" : "E $id " . ($? >> 8) . " 0\n";
  }
  if (vec($ready, 0, 1)) {
    my $got = sysread STDIN, $in, 65536, length $in;
    $open = 0 if defined $got && $got == 0 || !defined $got && !$!{EINTR};
    while (substr($in, $at, 64) =~ /\A(\d+) (\d+) (\d+) ([SD])\n/) {
      my ($id, $start, $direct) = ($1, $at + $+[0], $4 eq 'D');
      last if length($in) < $start + $2 + $3;
      my ($path, $command) = (substr($in, $start, $2), substr($in, $start + $2, $3));
      $at = $start + $2 + $3;
      my $pid = fork;
      if (!defined $pid) { $out .= "E $id 127 0\n"; next }
      if ($pid == 0) {
        $SIG{CHLD} = 'DEFAULT';
        setpgrp 0, 0;
        open(STDIN, '<', '/dev/null') && open(STDOUT, '>', "$path.out") && open(STDERR, '>', "$path.err") or exit 127;
        if ($direct) {
          my @argv = split ' ', $command;
          { exec { $argv[0] } @argv }
        }
        { exec { '/bin/sh' } '/bin/sh', '-c', $command }
        exit 127;
      }
      setpgrp $pid, $pid;
      $jobs{$pid} = $id;
      $out .= "S $id $pid\n";
    }
    substr($in, 0, $at) = '';
    $at = 0;
  }
  syswrite STDOUT, $out if $out ne '';
}
kill 'KILL', -$_ for keys %jobs;
`;

/**
 * The Python helper: the protocol, answers and behaviour of {@link PERL}, with each job
 * started by `os.posix_spawn` (`posix_spawnp` for a `D` job, with the `/bin/sh -c` fallback
 * when it fails): its own process group (`setpgroup=0`), every signal at its default
 * disposition and none blocked (but glibc's own signals 32 and 33, which its `posix_spawn`
 * leaves ignored and a glibc program sets at start-up), stdin from /dev/null and its output
 * in the spool files. The jobs get the environment the helper was started with, read from
 * `/proc/self/environ`: Python's own start-up may change `os.environ` (PEP 538 sets
 * `LC_CTYPE` in a C locale).
 * SIGCHLD wakes `select` through `signal.set_wakeup_fd`, written by the C-level handler, so
 * no job end can slip between the last `waitpid` and `select`: no timeout is needed.
 * `-I -S`: no user site, no `PYTHON*` variables, no `site` module (start-up ~20 ms here).
 */
const PYTHON = String.raw`import os, select, signal, sys
with open('/proc/self/environ', 'rb') as f:
    environ = dict(entry.split(b'=', 1) for entry in f.read().split(b'\0') if b'=' in entry)
direct_environ = {**environ, b'PWD': os.fsencode(sys.argv[1])} if len(sys.argv) > 1 else None
defaults = [s for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP)]
woken, wake = os.pipe()
os.set_blocking(woken, False)
os.set_blocking(wake, False)
signal.set_wakeup_fd(wake)
signal.signal(signal.SIGCHLD, lambda *_: None)
signal.signal(signal.SIGINT, signal.SIG_DFL)
WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
jobs = {}
def spawn(path, argv, env, search):
    actions = [(os.POSIX_SPAWN_OPEN, 0, b'/dev/null', os.O_RDONLY, 0), (os.POSIX_SPAWN_OPEN, 1, path + b'.out', WRITE, 0o666), (os.POSIX_SPAWN_OPEN, 2, path + b'.err', WRITE, 0o666)]
    return (os.posix_spawnp if search else os.posix_spawn)(argv[0], argv, env, file_actions=actions, setpgroup=0, setsigmask=(), setsigdef=defaults)
def start(path, command, direct):
    env = direct_environ if direct else environ
    if direct:
        try:
            return spawn(path, command.split(), env, True)
        except OSError:
            pass
    return spawn(path, [b'/bin/sh', b'-c', command], env, False)
def end(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
buf, at, opened = b'', 0, True
try:
    while opened:
        ready = select.select([0, woken], [], [])[0]
        if woken in ready:
            try:
                os.read(woken, 4096)
            except BlockingIOError:
                pass
        out = []
        while jobs:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            job = jobs.pop(pid, None)
            if job is None:
                continue
            end(pid)
            out.append(b'E %s 0 %d\n' % (job, os.WTERMSIG(status)) if os.WIFSIGNALED(status) else b'E %s %d 0\n' % (job, os.WEXITSTATUS(status)))
        if 0 in ready:
            chunk = os.read(0, 65536)
            opened = chunk != b''
            buf, at = buf[at:] + chunk, 0
            while True:
                nl = buf.find(b'\n', at, at + 64)
                fields = buf[at:nl].split(b' ') if nl >= 0 else []
                if len(fields) != 4:
                    break
                job, paths, commands, mode = fields[0], int(fields[1]), int(fields[2]), fields[3]
                begin, end_at = nl + 1, nl + 1 + paths + commands
                if len(buf) < end_at:
                    break
                path, command, at = buf[begin:begin + paths], buf[begin + paths:end_at], end_at
                try:
                    pid = start(path, command, mode == b'D')
                except OSError:
                    out.append(b'E %s 127 0\n' % job)
                    continue
                jobs[pid] = job
                out.append(b'S %s %d\n' % (job, pid))
        data = b''.join(out)
        while data:
            data = data[os.write(1, data):]
finally:
    for pid in jobs:
        end(pid)
`;

/** What a Python must have to run {@link PYTHON}. */
const PYTHON_CHECK = "import os, select, signal, sys\nassert sys.version_info >= (3, 8)\nos.posix_spawnp\nopen('/proc/self/environ', 'rb').close()";

/**
 * One job at a time, in the helper's own group. The job's redirections are the script's own
 * (second) line, not the helper's: dash applies a command's redirections in the parent around
 * the wait, so its own "Terminated" report of a job killed by a signal would land in the job's
 * stderr (GNU shows none). `trap : TERM INT`: the helper survives the SIGTERM sent to its
 * group, and a handler, unlike an ignored signal, is not inherited by the job.
 */
const ONE = `trap : TERM INT\nwhile IFS= read -r f; do /bin/sh -c '. "$1"' /bin/sh "$f"; echo "$?"; done\n`;

/** How to start a helper that runs many jobs at once: the interpreter and the script. */
export type Interpreter = readonly [string, ...string[]];

/** The interpreter found for each `PATH`; `null` for none. */
const interpreters = new Map<string, Interpreter | null>();

/**
 * How to start helpers that run many jobs at once with this run's `PATH` (see the module
 * comment), or `undefined` where neither Python nor Perl runs. Probed synchronously the first
 * time a `PATH` is seen: `perl -e 1` (2–3 ms), and before it the first `python3` binary in an
 * absolute `PATH` directory (~20 ms). A `python3` that is a script (pyenv's and asdf's shims
 * start in ~280 ms here) is passed over for the next.
 */
export function manyJobsInterpreter(where: Where): Interpreter | undefined {
  const path = envOf(where).PATH ?? '';
  let found = interpreters.get(path);
  if (found === undefined) {
    const python = findPython(path);
    if (python !== undefined) found = [python, '-I', '-S', '-c', PYTHON];
    else found = spawnSync('perl', ['-e', '1'], { env: { PATH: path }, stdio: 'ignore' }).status === 0 ? ['perl', '-e', PERL] : null;
    interpreters.set(path, found);
  }
  return found ?? undefined;
}

/** The first `python3` binary (not a script) in an absolute directory of `path`, if it has what {@link PYTHON} needs. */
function findPython(path: string): string | undefined {
  for (const directory of path.split(':')) {
    if (!isAbsolute(directory)) continue;
    const file = join(directory, 'python3');
    let head: Buffer;
    try {
      accessSync(file, fsConstants.X_OK);
      head = readStart(file, 2).bytes;
    } catch {
      continue;
    }
    if (head.toString('latin1') === '#!') continue;
    return spawnSync(file, ['-I', '-S', '-c', PYTHON_CHECK], { env: { PATH: path }, stdio: 'ignore' }).status === 0 ? file : undefined;
  }
  return undefined;
}

/** A helper process and its answer lines. */
abstract class Helper {
  readonly proc: Subprocess<'utf8'>;
  #pending = '';
  #dead = false;

  constructor(argv: readonly [string, ...string[]], where: Where) {
    this.proc = spawn(argv, {
      group: true,
      stderr: 'ignore',
      forceKillAfter: FORCE_KILL_AFTER,
      ...(where.cwd === undefined ? {} : { cwd: where.cwd }),
      ...(where.env === undefined ? {} : { env: where.env }),
    });
    this.proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#pending += chunk;
      let start = 0;
      for (let end = this.#pending.indexOf('\n'); end !== -1; end = this.#pending.indexOf('\n', start)) {
        this.answer(this.#pending.slice(start, end));
        start = end + 1;
      }
      this.#pending = this.#pending.slice(start);
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

/** A job of a {@link ManyHelper}: how to settle it, and its group once known. */
interface ManyJob {
  readonly resolve: (exit: Exit | undefined) => void;
  pid?: number;
  /** A signal asked for before the pid was known. */
  pending?: NodeJS.Signals;
}

/** Runs many jobs at once, each in its own process group (see `PERL`). */
export class ManyHelper extends Helper {
  readonly #jobs = new Map<string, ManyJob>();
  #ids = 0;
  /** Jobs not yet written: those started in one turn of the event loop go in one write (each write to the pipe costs ms under load). */
  #unsent = '';
  /** Whether jobs that dash would exec directly are exec'd by the helper (see `PERL`). */
  readonly #direct: boolean;

  constructor(where: Where, interpreter: Interpreter) {
    const pwd = dashPwd(where);
    super([...interpreter, ...(pwd === undefined ? [] : [pwd])], where);
    this.#direct = pwd !== undefined;
  }

  protected answer(line: string): void {
    const [kind, id = '', first, second] = line.split(' ');
    const job = this.#jobs.get(id);
    if (job === undefined) return;
    if (kind === 'S') {
      job.pid = Number(first);
      if (job.pending !== undefined) signalGroup(job.pid, job.pending);
    } else {
      this.#jobs.delete(id);
      job.resolve({ exitCode: Number(first), signal: Number(second) });
    }
  }

  /** Settles every job: with the helper gone no answer can come, so what the jobs started is ended here. */
  protected died(): void {
    for (const job of this.#jobs.values()) {
      if (job.pid !== undefined) signalGroup(job.pid, 'SIGKILL');
      job.resolve(undefined);
    }
    this.#jobs.clear();
  }

  /** Starts `command` with its output in `PATH.out` and `PATH.err`. */
  start(command: string, path: string): Started {
    const id = String(++this.#ids);
    let job: ManyJob | undefined;
    const done = new Promise<Exit | undefined>((resolve) => {
      if (this.dead) return resolve(undefined);
      job = { resolve };
      this.#jobs.set(id, job);
      if (this.#unsent === '') {
        setImmediate(() => {
          const jobs = this.#unsent;
          this.#unsent = '';
          if (!this.dead) this.proc.stdin?.write(jobs);
        });
      }
      const mode = this.#direct && execsDirectly(command) ? 'D' : 'S';
      this.#unsent += `${id} ${Buffer.byteLength(path)} ${Buffer.byteLength(command)} ${mode}\n${path}${command}`;
    });
    return {
      done,
      kill: (signal) => {
        if (job?.pid !== undefined) signalGroup(job.pid, signal);
        else if (job !== undefined) job.pending = signal;
      },
      ended: () => undefined,
    };
  }
}

/** Runs one job at a time; a killed job is killed with the helper's group, the helper surviving SIGTERM. */
export class OneHelper extends Helper {
  #resolve: ((line: string | undefined) => void) | undefined;

  constructor(where: Where) {
    super(['/bin/sh', '-c', ONE], where);
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

  /**
   * Starts `command` from a script file at `path`, its output in `PATH.out` and `PATH.err`.
   * The script's EXIT trap writes the job shell's own exit code to `PATH.code`: the helper's
   * `$?` is 128 + N for death by signal N as for an `exit 128+N`, and only the code file
   * (written on exit, never on death by signal) tells them apart.
   */
  start(command: string, path: string): Started {
    const file = shellQuote(path);
    writeFileSync(path, `shift\nexec >${file}.out 2>${file}.err </dev/null\ntrap ${shellQuote(`echo $? >${shellQuote(`${path}.code`)}`)} EXIT\n${command}\n`);
    const line = new Promise<string | undefined>((resolve) => {
      if (this.dead) return resolve(undefined);
      this.#resolve = resolve;
      this.proc.stdin?.write(`${path}\n`);
    });
    // What the job left running lives in the helper's group until the run ends.
    return {
      done: line.then((status) => (status === undefined ? undefined : exitOf(Number(status), readCode(`${path}.code`)))),
      kill: (signal) => this.signalGroup(signal),
      ended: () => {
        for (const file of [path, `${path}.code`]) removeOptional(file);
      },
    };
  }
}

/** The exit of a job whose shell reported `status` and whose EXIT trap wrote `code` (or none: killed). */
function exitOf(status: number, code: number | undefined): Exit {
  if (code !== undefined) return { exitCode: code, signal: 0 };
  return status > 128 ? { exitCode: 0, signal: status - 128 } : { exitCode: status, signal: 0 };
}

function readCode(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** The exit of a job killed with its helper. */
export const KILLED: Exit = { exitCode: 0, signal: constants.signals.SIGKILL };

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
