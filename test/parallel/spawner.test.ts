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
import { dashPwd, execsDirectly } from '../../src/parallel/dash.js';
import { type Interpreter, ManyHelper, manyJobsInterpreter } from '../../src/parallel/helpers.js';
import { JobResult, parallel, type ParallelRunOptions } from '../../src/parallel/index.js';
import { checkLeaksAfterEach } from '../subprocess/leaks.js';
import { alive, closedByAll, fifo } from './processes.js';

checkLeaksAfterEach();

const dir = mkdtempSync(join(tmpdir(), 'loom-spawner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `PATH` of links to `tools` only, in a directory of its own. */
function pathOf(name: string, tools: readonly string[]): string {
  const bin = join(dir, name);
  mkdirSync(bin);
  for (const tool of tools) symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
  return bin;
}

/** The tools the jobs below use. */
const TOOLS = ['cat', 'cut', 'env', 'grep', 'sh', 'sleep'];
/** With neither `python3` nor `perl`: one `/bin/sh` helper per slot. */
const bare = pathOf('bin', TOOLS);
/** With `perl` and no `python3`: the `perl` helpers. */
const perlOnly = pathOf('bin-perl', [...TOOLS, 'perl']);

/** The helpers that run many jobs, by interpreter, where this machine has it (Debian's perl-base is Essential; python3 is not everywhere). */
const interpreters = [
  ['python', manyJobsInterpreter({}), process.env.PATH ?? ''],
  ['perl', manyJobsInterpreter({ env: { PATH: perlOnly } }), perlOnly],
] as const;
const many = interpreters.filter(([name, interpreter]) => interpreter?.[0].includes(name) === true);

const ways: [string, ParallelRunOptions][] = [
  ...many.map(([name, , path]): [string, ParallelRunOptions] => [`shell spawner, ${name} helpers running many jobs`, { spawner: 'shell', env: { PATH: path } }]),
  ['shell spawner, one helper per slot (no python3, no perl)', { spawner: 'shell', env: { PATH: bare } }],
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
    const command = `if [ {} = fail ]; then cat ${gate} >/dev/null; exit 4; else sh -c 'echo go >${gate}; sleep 30; : ${marker}' & wait; fi`;
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

describe.each(many)('a %s helper running many jobs', (name, interpreter) => {
  const where = {};
  const helperOf = (): ManyHelper => new ManyHelper(where, interpreter as Interpreter);

  it('delivers a signal asked for before it knows the job\'s process group', async () => {
    const helper = helperOf();
    const job = helper.start('sleep 30', join(dir, `early-kill-${name}`));
    job.kill('SIGTERM');
    expect(await job.done).toEqual({ exitCode: 0, signal: 15 });
    helper.proc.stdin?.end();
    expect(await helper.proc.wait()).toBe(0);
    await helper.proc[Symbol.asyncDispose]();
  });

  it('settles its jobs with undefined when it dies, and ends what they started', async () => {
    const marker = `loom-helper-died-${name}-${process.pid}`;
    const [gate, held] = [fifo(dir, `helper-died-${name}`), fifo(dir, `helper-died-held-${name}`)];
    const helper = helperOf();
    const job = helper.start(`sh -c 'echo go >${gate}; sleep 30; : ${marker}' >${held}`, join(dir, `died-${name}`));
    const gone = closedByAll(held);
    await readFile(gate);
    expect(alive(marker)).toBe(true);
    helper.signalGroup('SIGKILL');
    expect(await job.done).toBeUndefined();
    await helper.proc[Symbol.asyncDispose]();
    await gone;
    expect(alive(marker)).toBe(false);
  });

  it('ends the jobs still running when its stdin ends (the engine gone), and exits', async () => {
    const marker = `loom-helper-eof-${name}-${process.pid}`;
    const [gate, held] = [fifo(dir, `helper-eof-${name}`), fifo(dir, `helper-eof-held-${name}`)];
    const helper = helperOf();
    void helper.start(`sh -c 'echo go >${gate}; sleep 30; : ${marker}' >${held}`, join(dir, `eof-${name}`)).done;
    const gone = closedByAll(held);
    await readFile(gate);
    expect(alive(marker)).toBe(true);
    helper.proc.stdin?.end();
    expect(await helper.proc.wait()).toBe(0);
    await gone;
    expect(alive(marker)).toBe(false);
    await helper.proc[Symbol.asyncDispose]();
  });

  it('reports a job it cannot start (no spool file) as exit code 127, and goes on', async () => {
    const helper = helperOf();
    const [lost, next] = [helper.start('true', join(dir, 'no-such-directory', 'x')), helper.start('exit 3', join(dir, `after-lost-${name}`))];
    expect(await lost.done).toEqual({ exitCode: 127, signal: 0 });
    expect(await next.done).toEqual({ exitCode: 3, signal: 0 });
    helper.proc.stdin?.end();
    await helper.proc[Symbol.asyncDispose]();
  });
});

describe('the interpreter of the helpers that run many jobs', () => {
  const python = many.find(([name]) => name === 'python')?.[1]?.[0];

  it('is looked up on the PATH the helpers get: the run\'s env is merged over this process\'s', () => {
    expect(manyJobsInterpreter({ env: { LOOM_OTHER: '1' } })).toEqual(manyJobsInterpreter({}));
    expect(manyJobsInterpreter({ env: { PATH: undefined } })).toBeUndefined();
  });

  it('is perl where no python3 is on the PATH, and none where perl is missing too', () => {
    expect(manyJobsInterpreter({ env: { PATH: perlOnly } })?.slice(0, 2)).toEqual(['perl', '-e']);
    expect(manyJobsInterpreter({ env: { PATH: bare } })).toBeUndefined();
  });

  it.skipIf(python === undefined)('is the first python3 binary on the PATH, passing over scripts (shims) and relative directories', () => {
    const shims = join(dir, 'py-shims');
    mkdirSync(shims);
    writeFileSync(join(shims, 'python3'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(shims, 'python3'), 0o755);
    const real = pathOf('py-real', []);
    symlinkSync(python as string, join(real, 'python3'));
    expect(manyJobsInterpreter({ env: { PATH: `.:${shims}:${real}:${perlOnly}` } })?.slice(0, 2)).toEqual([join(real, 'python3'), '-I']);
  });

  it('is perl where the python3 found cannot run the helper', () => {
    const fake = pathOf('py-fake', []);
    symlinkSync(execFileSync('/bin/sh', ['-c', 'command -v perl'], { encoding: 'utf8' }).trim(), join(fake, 'python3'));
    expect(manyJobsInterpreter({ env: { PATH: `${fake}:${perlOnly}` } })?.[0]).toBe('perl');
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

describe.skipIf(!dash).each(many)('a job exec\'d by a %s helper in dash\'s place', (name, _, helperPath) => {
  const real = join(dir, `exec-real-${name}`);
  const link = join(dir, `exec-link-${name}`);
  const tools = join(dir, `exec-bin-${name}`);
  mkdirSync(real);
  mkdirSync(tools);
  symlinkSync(real, link);
  writeFileSync(join(tools, 'no-shebang'), 'echo "$0|$*"\n');
  chmodSync(join(tools, 'no-shebang'), 0o755);
  writeFileSync(join(tools, 'not-executable'), 'echo never\n');
  const path = `${tools}:${helperPath}`;

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

  // glibc's posix_spawn leaves its own signals 32 and 33 ignored; a glibc program sets them at start-up.
  it('gets the environment as it was given, in a C locale too (where Python\'s start-up sets LC_CTYPE)', async () => {
    const env = { ...clean, PATH: helperPath, LANG: undefined, LC_ALL: undefined, LC_CTYPE: undefined };
    // The second command is not a simple one (`;`), so it runs through /bin/sh.
    const jobs = (await Promise.all(['env LOOM_ARG={}', 'env LOOM_ARG={};'].map((command) => collect(command, ['1'], { env })))).flat();
    expect(jobs.map((job) => [job.exitCode, /^LC_|^LANG=/m.test(job.stdout), job.stdout.includes('LOOM_ARG=1\n')])).toEqual([[0, false, true], [0, false, true]]);
  });

  it('leads a process group of its own, has no signal of 1 to 31 ignored and none blocked, and is killed by a timeout', async () => {
    const env = { ...clean, PATH: helperPath };
    const [stat, status] = await collect('cat', ['/proc/self/stat', '/proc/self/status'], { keepOrder: true, env });
    const group = stat?.stdout.split(') ')[1]?.split(' ')[2];
    expect(group).toBe(stat?.stdout.split(' ')[0]);
    expect(status?.stdout).toMatch(/^SigBlk:\s*0+$/m);
    expect(BigInt(`0x${/^SigIgn:\s*(\w+)$/m.exec(status?.stdout ?? '')?.[1] ?? 'ff'}`) & 0x7fffffffn).toBe(0n);
    const timedOut = await collect('sleep', ['30'], { timeout: 200, env });
    expect(timedOut.map((job) => [job.exitCode, job.signal, job.timedOut, job.stderr])).toEqual([[-1, 15, true, '']]);
  });
});
