/**
 * What a job started by each way of spawning finds, GNU parallel's `sh -c` being the reference:
 * SIGINT and SIGQUIT at their default disposition, its own process group (so that killing it
 * kills its tree), `$0` and `$@`, its exit status or signal, and nothing from the helper in its
 * stderr. The shell spawner's fallback (one `/bin/sh` helper per slot) is reached through a
 * `PATH` without `perl`. Orders are forced with FIFOs, never with sleeps.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canRunMany, dashPwd, execsDirectly, ManyHelper } from '../../src/parallel/helpers.js';
import { JobResult, parallel, type ParallelRunOptions } from '../../src/parallel/index.js';
import { checkLeaksAfterEach } from '../subprocess/leaks.js';
import { alive, closedByAll, fifo } from './processes.js';

checkLeaksAfterEach();

const dir = mkdtempSync(join(tmpdir(), 'loom-spawner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `PATH` with the tools the jobs below use, and no `perl`. */
const bare = join(dir, 'bin');
mkdirSync(bare);
for (const tool of ['cat', 'cut', 'grep', 'sh', 'sleep']) symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bare, tool));

const ways: [string, ParallelRunOptions][] = [
  ['shell spawner, helpers running many jobs', { spawner: 'shell' }],
  ['shell spawner, one helper per slot (no perl)', { spawner: 'shell', env: { PATH: bare } }],
  ['direct', { spawner: 'direct' }],
];

async function collect(command: string, values: string[], opts: ParallelRunOptions): Promise<JobResult[]> {
  const jobs: JobResult[] = [];
  for await (const job of parallel(command, [values], opts)) jobs.push(job);
  return jobs;
}

/** The process group of this test process. */
const ownGroup = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[2]);

describe.each(ways)('a job started by the %s', (name, way) => {
  const tag = name.replace(/\W+/g, '-');

  it('has SIGINT and SIGQUIT at their default disposition and a process group of its own, not shared with a job running beside it', async () => {
    const gate = fifo(dir, `group-${tag}`);
    // The first job waits on the gate until the second has reported, so both run at once.
    const command = `if [ {} = 1 ]; then cat ${gate} >/dev/null; else echo go >${gate}; fi; grep '^SigIgn' /proc/$$/status | cut -f2; cut -d' ' -f5 /proc/$$/stat`;
    const jobs = await collect(command, ['1', '2'], { jobs: 2, ...way });
    const seen = jobs.map((job) => job.stdout.trim().split('\n'));
    for (const [ignored] of seen) expect(BigInt(`0x${ignored}`) & 0x6n).toBe(0n);
    const groups = seen.map(([, group]) => Number(group));
    expect(groups.every((group) => Number.isInteger(group) && group > 1 && group !== ownGroup)).toBe(true);
    expect(groups[0]).not.toBe(groups[1]);
  });

  it('sees $0 and $@ as under sh -c, and reports its exit status or its signal, with nothing in stderr but its own', async () => {
    const jobs = await collect('echo "$0|$#|$*"; echo err >&2; exit {}', ['0', '3', '143'], { jobs: 1, keepOrder: true, ...way });
    expect(jobs.map((job) => [job.stdout, job.stderr, job.exitCode, job.signal])).toEqual([
      ['/bin/sh|0|\n', 'err\n', 0, 0],
      ['/bin/sh|0|\n', 'err\n', 3, 0],
      ['/bin/sh|0|\n', 'err\n', 143, 0],
    ]);
    const killed = await collect('kill -{} $$', ['INT', 'QUIT', 'TERM'], { jobs: 3, keepOrder: true, ...way });
    expect(killed.map((job) => [job.exitCode, job.signal, job.stderr])).toEqual([[0, 2, ''], [0, 3, ''], [0, 15, '']]);
  });

  it('runs a command of several lines and multi-byte characters as written, with its files under a TMPDIR holding spaces and quotes', async () => {
    const temporary = join(dir, `tmp ${tag} 'q" $x`);
    mkdirSync(temporary);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = temporary;
    try {
      const jobs = await collect("printf '%s\\n' 'é€ {}'\nprintf 'line 2\\n'", ['1', '🙂'], { jobs: 2, keepOrder: true, ...way });
      expect(jobs.map((job) => [job.stdout, job.exitCode])).toEqual([['é€ 1\nline 2\n', 0], ['é€ 🙂\nline 2\n', 0]]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('is killed with its whole tree under halt now, and the job\'s stderr gets no report of its death', async () => {
    const gate = fifo(dir, `halt-${tag}`);
    const marker = `loom-spawner-halt-${tag}-${process.pid}`;
    const command = `if [ {} = fail ]; then cat ${gate} >/dev/null; exit 4; else sh -c 'sleep 30; : ${marker}' & echo go >${gate}; wait; fi`;
    const started = Date.now();
    const jobs = await collect(command, ['sleeper', 'fail'], { jobs: 2, halt: 'now,fail=1', ...way });
    expect(jobs.map((job) => [job.args[0], job.exitCode, job.stderr])).toEqual([['fail', 4, '']]);
    expect(alive(marker)).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('killed by a timeout, reports -1 and SIGTERM and keeps its stderr free of the shell\'s "Terminated"', async () => {
    const jobs = await collect('echo start >&2; sleep 30 & wait; : {}', ['x'], { timeout: 200, ...way });
    expect(jobs.map((job) => [job.exitCode, job.signal, job.timedOut, job.stderr])).toEqual([[-1, 15, true, 'start\n']]);
  });
});

// Debian's perl-base is Essential, so the CI machines have perl; elsewhere the fallback above is what runs.
describe.skipIf(!canRunMany({}))('a helper running many jobs (perl)', () => {
  const where = {};

  it('delivers a signal asked for before it knows the job\'s process group', async () => {
    const helper = new ManyHelper(where);
    const job = helper.start('sleep 30', join(dir, 'early-kill'));
    job.kill('SIGTERM');
    expect(await job.done).toEqual({ exitCode: 0, signal: 15 });
    helper.proc.stdin?.end();
    expect(await helper.proc.wait()).toBe(0);
    await helper.proc[Symbol.asyncDispose]();
  });

  it('settles its jobs with undefined when it dies, and ends what they started', async () => {
    const marker = `loom-helper-died-${process.pid}`;
    const [gate, held] = [fifo(dir, 'helper-died'), fifo(dir, 'helper-died-held')];
    const helper = new ManyHelper(where);
    const job = helper.start(`echo go >${gate}; sh -c 'sleep 30; : ${marker}' >${held}`, join(dir, 'died'));
    const gone = closedByAll(held);
    await readFile(gate);
    expect(alive(marker)).toBe(true);
    helper.signalGroup('SIGKILL');
    expect(await job.done).toBeUndefined();
    await helper.proc[Symbol.asyncDispose]();
    await gone;
    expect(alive(marker)).toBe(false);
  });
});

describe('which commands a helper may exec in dash\'s place', () => {
  it('takes simple commands whose first word names a program', () => {
    for (const command of ['sleep 0.5', '  /bin/sleep 1\t', 'ls a=b -l', 'gzip -k ./photos/1.jpg', 'x-y_z.sh +1 ,:@%']) expect(execsDirectly(command), command).toBe(true);
  });

  it('leaves to the shell builtins, reserved words, assignments and anything quoted, expanded or redirected', () => {
    const commands = ['true 1', 'echo -e a', 'pwd', 'kill -9 1', '. ./env', ': x', 'if true', 'FOO=1 env', 'sleep $x', "sleep '1'", 'sleep 1 >x', 'a;b', 'a|b', 'a && b', 'ls *', 'cd ~', 'a\nb', 'ls #x', 'ls a\\b', '', '  '];
    for (const command of commands) expect(execsDirectly(command), command).toBe(false);
  });
});

// What a job exec'd in dash's place sees must be what `sh -c` would have shown it.
const dash = basename(realpathSync('/bin/sh')) === 'dash';
/** Removes what in this process's environment would keep helpers from exec'ing in dash's place. */
const clean = Object.fromEntries(Object.keys(process.env).filter((name) => !/^[A-Za-z_]\w*$/.test(name) || ['IFS', 'OPTIND', 'PPID'].includes(name)).map((name) => [name, undefined]));

describe.skipIf(!dash)('the PWD that dash exports', () => {
  const real = join(dir, 'pwd-real');
  const link = join(dir, 'pwd-link');
  mkdirSync(real);
  symlinkSync(real, link);

  it('is the inherited PWD when it names the working directory, else its physical path', () => {
    expect(dashPwd({ cwd: link, env: { PWD: link } })).toBe(link);
    expect(dashPwd({ cwd: link, env: { PWD: dir } })).toBe(realpathSync(real));
    expect(dashPwd({ cwd: link, env: { PWD: 'pwd-link' } })).toBe(realpathSync(real));
    expect(dashPwd({ cwd: link, env: { PWD: undefined } })).toBe(realpathSync(real));
  });

  it('is not given where the search of PATH would not be execvp\'s', () => {
    expect(dashPwd({ env: { PATH: undefined } })).toBeUndefined();
    expect(dashPwd({ env: { PATH: `/usr/bin:%builtin` } })).toBeUndefined();
    expect(dashPwd({ cwd: join(dir, 'no-such-directory') })).toBeUndefined();
  });

  it('is not given where dash would drop or change a variable of the environment', () => {
    expect(dashPwd({ env: clean })).toBeDefined();
    for (const env of [{ IFS: ':' }, { OPTIND: '3' }, { PPID: '1' }, { 'A-B': '1' }, { 'X.Y': '' }]) expect(dashPwd({ env: { ...clean, ...env } }), Object.keys(env)[0]).toBeUndefined();
  });
});

describe.skipIf(!dash || !canRunMany({}))('a job exec\'d by a perl helper in dash\'s place', () => {
  const real = join(dir, 'exec-real');
  const link = join(dir, 'exec-link');
  const tools = join(dir, 'exec-bin');
  mkdirSync(real);
  mkdirSync(tools);
  symlinkSync(real, link);
  writeFileSync(join(tools, 'no-shebang'), 'echo "$0|$*"\n');
  chmodSync(join(tools, 'no-shebang'), 0o755);
  writeFileSync(join(tools, 'not-executable'), 'echo never\n');
  const path = `${tools}:${process.env.PATH ?? ''}`;

  const bySh = (command: string, env: Record<string, string | undefined>): [string, string, number | null] => {
    const { stdout, stderr, status } = spawnSync('/bin/sh', ['-c', command], { cwd: link, env: Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined)), encoding: 'utf8' });
    return [stdout, stderr, status];
  };

  // PWD naming the working directory through a link is kept; one naming another directory is replaced by the physical path.
  it.each([['kept', link, link], ['replaced', dir, realpathSync(real)]])('sees the environment (PWD %s), working directory, script name and arguments that sh -c gives it, and fails in the shell\'s words', async (_, pwd, exported) => {
    const env = { ...clean, PATH: path, PWD: pwd, LOOM_PROBE: 'a b' };
    const commands = ['env LOOM_ARG={}', 'pwd {}', 'echo -e {}', 'no-shebang a {}', 'not-executable {}', 'no-such-program {}', '/bin/pwd -L {}'];
    const jobs = (await Promise.all(commands.map((command) => collect(command, ['x'], { cwd: link, env })))).flat();
    const sorted = (text: string): string => text.split('\n').sort().join('\n');
    const seen = jobs.map((job) => [sorted(job.stdout), job.stderr, job.exitCode]);
    const expected = commands.map((command) => bySh(command.replace('{}', 'x'), env)).map(([stdout, stderr, code]) => [sorted(stdout), stderr, code]);
    expect(seen).toEqual(expected);
    expect(jobs[0]?.stdout).toContain(`PWD=${exported}\n`);
    expect(jobs[2]?.stdout).toBe('-e x\n');
    expect(jobs[5]?.exitCode).toBe(127);
  });

  it('leads a process group of its own, has SIGINT and SIGQUIT at their default disposition, and is killed by a timeout', async () => {
    const [stat, status] = await collect('cat', ['/proc/self/stat', '/proc/self/status'], { keepOrder: true });
    const group = stat?.stdout.split(') ')[1]?.split(' ')[2];
    expect(group).toBe(stat?.stdout.split(' ')[0]);
    expect(BigInt(`0x${/^SigIgn:\s*(\w+)$/m.exec(status?.stdout ?? '')?.[1] ?? 'ff'}`) & 0x6n).toBe(0n);
    const timedOut = await collect('sleep', ['30'], { timeout: 200 });
    expect(timedOut.map((job) => [job.exitCode, job.signal, job.timedOut, job.stderr])).toEqual([[-1, 15, true, '']]);
  });
});
