/**
 * `loom parallel` end to end, through the built CLI in real processes: quoting of hostile
 * arguments, `-k`, `--group`, `--halt now` reaching a grandchild, `--timeout`, resuming an
 * interrupted run from its job log, SIGINT and SIGKILL leaving nothing behind, and bad usage. Orders are
 * forced with FIFOs; the expected statuses and lines are GNU parallel 20221122's.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manyJobsInterpreter } from '../../src/parallel/helpers.js';
import { CLI, runCli, startCli } from '../cli/spawn-cli.js';
import { alive, closedByAll, fifo } from './processes.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-parallel-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parallel = (...args: string[]): ReturnType<typeof runCli> => runCli(['parallel', ...args]);

describe('loom parallel', () => {
  it('passes hostile arguments literally, never runs them', async () => {
    const pwned = join(dir, 'PWNED');
    const hostile = [`$(touch ${pwned})`, `\`touch ${pwned}\``, `'; touch ${pwned}; '`, `a\\nb`, '"', '*'];
    const { code, stdout } = await parallel('-k', "printf '%s\\n'", ':::', ...hostile);
    expect(code).toBe(0);
    expect(stdout).toBe(hostile.map((value) => `${value}\n`).join(''));
    expect(existsSync(pwned)).toBe(false);
  });

  it('a newline inside a ::: value makes two arguments (not with -0)', async () => {
    expect((await parallel('-k', 'echo', '[{}]', ':::', 'a\nb')).stdout).toBe('[a]\n[b]\n');
    expect((await parallel('-k', '-0', 'echo', '[{}]', ':::', 'a\nb')).stdout).toBe('[a\nb]\n');
  });

  it('-k prints, and logs, in input order when the jobs finish out of order', async () => {
    const gate = fifo(dir, 'keep-order');
    const joblog = join(dir, 'keep-order.log');
    const { code, stdout } = await parallel('-k', '-j2', '--joblog', joblog, `if [ {} = 1 ]; then cat ${gate} >/dev/null; else echo go > ${gate}; fi; echo {}`, ':::', '1', '2');
    expect({ code, stdout }).toEqual({ code: 0, stdout: '1\n2\n' });
    // GNU parallel 20221122 writes a -k run's job log lines as it prints the jobs.
    expect(readFileSync(joblog, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t')[0])).toEqual(['1', '2']);
  });

  it('--group prints each job whole even when their lines alternate in time', async () => {
    const [ab, ba] = [fifo(dir, 'group-ab'), fifo(dir, 'group-ba')];
    const { stdout } = await parallel(
      '-j2',
      `if [ {} = A ]; then echo A1; echo > ${ab}; cat ${ba} >/dev/null; echo A2; else cat ${ab} >/dev/null; echo B1; echo > ${ba}; echo B2; fi`,
      ':::', 'A', 'B',
    );
    expect(['A1\nA2\nB1\nB2\n', 'B1\nB2\nA1\nA2\n']).toContain(stdout);
  });

  it('--halt now,fail=1 kills a running job\'s grandchild and exits with the failing job\'s status', async () => {
    const marker = `loom-cli-halt-${process.pid}`;
    const gate = fifo(dir, 'halt');
    const { code, stdout, stderr } = await parallel(
      '-j2', '--halt', 'now,fail=1',
      `if [ {} = fail ]; then cat ${gate} >/dev/null; exit 3; else sh -c 'echo go > ${gate}; sleep 30; : ${marker}' & echo never; wait; fi`,
      ':::', 'sleeper', 'fail',
    );
    expect({ code, stdout }).toEqual({ code: 3, stdout: '' });
    expect(stderr).toMatch(/^loom parallel: This job failed:\nif \[ fail = fail \]/);
    expect(alive(marker)).toBe(false);
  });

  it('prints a halt notice after the output of the job that caused it, as GNU does', () => {
    // One pipe for stdout and stderr, as a terminal shows them.
    const both = spawnSync('/bin/sh', ['-c', `"$0" "$1" parallel -k -j1 --halt soon,fail=1 'echo {}; exit {}' ::: 0 2 0 2>&1`, process.execPath, CLI], { encoding: 'utf8' });
    expect([both.status, both.stdout]).toEqual([2, '0\n2\nloom parallel: This job failed:\necho 2; exit 2\n']);
  });

  it('--timeout kills a job, keeps its partial output and logs -1 and 15', async () => {
    const joblog = join(dir, 'timeout.log');
    const { code, stdout, stderr } = await parallel('--timeout', '0.2', '--joblog', joblog, 'echo start {}; sleep 30', ':::', 'x');
    expect({ code, stdout }).toEqual({ code: 1, stdout: 'start x\n' });
    expect(stderr).toBe('loom parallel: Warning: This job was killed because it timed out:\nloom parallel: Warning: echo start x; sleep 30\n');
    expect(readFileSync(joblog, 'utf8')).toMatch(/\t0\t8\t-1\t15\techo start x; sleep 30\n$/);
  });

  it('resumes an interrupted run from its job log', async () => {
    const joblog = join(dir, 'resume.log');
    const marker = `loom-cli-resume-${process.pid}`;
    const script = `if [ {} = slow ]; then sleep 30; : ${marker}; else echo {}; fi`;
    const first = startCli(['parallel', '-k', '-j2', '--joblog', joblog, script, ':::', 'a', 'slow', 'b']);
    await first.lineOnStdout('a');
    first.child.kill('SIGTERM');
    const interrupted = await first.finished;
    expect(interrupted.code).toBe(255);
    expect(alive(marker)).toBe(false);
    const logged = readFileSync(joblog, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t')[0]);
    expect(logged).not.toContain('2');
    const resumed = await parallel('-k', '--resume', '--joblog', joblog, `if [ {} = slow ]; then echo slow-now; else echo {}; fi`, ':::', 'a', 'slow', 'b');
    expect(resumed.code).toBe(0);
    const rerun = ['a', 'slow-now', 'b'].filter((_, index) => !logged.includes(String(index + 1)));
    expect(resumed.stdout).toBe(rerun.map((line) => `${line}\n`).join(''));
    const seqs = readFileSync(joblog, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t')[0]).sort();
    expect(seqs).toEqual(['1', '2', '3']);
  });

  it('SIGINT ends every job\'s process tree and exits 255, as GNU does', async () => {
    const marker = `loom-cli-sigint-${process.pid}`;
    // `--line-buffer` prints each line as it comes: once all three are out, every grandchild was forked.
    const cli = startCli(['parallel', '--line-buffer', '-j3', `sh -c 'sleep 30; : ${marker}' & echo started {}; wait`, ':::', '1', '2', '3']);
    await Promise.all(['started 1', 'started 2', 'started 3'].map((line) => cli.lineOnStdout(line)));
    expect(alive(marker, cli.child.pid)).toBe(true);
    cli.child.kill('SIGINT');
    const { code } = await cli.finished;
    expect(code).toBe(255);
    expect(alive(marker)).toBe(false);
  });

  // Only the python3 and perl helpers see their engine go; without them a job lives on (docs/parallel.md).
  it.skipIf(manyJobsInterpreter({}) === undefined)('killed with SIGKILL, leaves no job behind: its helpers end their jobs when it is gone', async () => {
    const marker = `loom-cli-sigkill-${process.pid}`;
    const [gate, held] = [fifo(dir, 'sigkill-gate'), fifo(dir, 'sigkill-held')];
    const cli = startCli(['parallel', `sh -c 'echo go >${gate}; sleep 30; : ${marker}' >${held} & wait; : {}`, ':::', '1']);
    const gone = closedByAll(held);
    await readFile(gate);
    expect(alive(marker, cli.child.pid)).toBe(true);
    cli.child.kill('SIGKILL');
    expect((await cli.finished).code).toBeNull();
    await gone;
    expect(alive(marker)).toBe(false);
  });

  it.each([
    [['--foo', 'echo', ':::', 'a'], 'loom parallel: Error: Unknown option: foo'],
    [['--halt', 'sometimes', 'echo', ':::', 'a'], "loom parallel: Error: --halt must have 'never', 'soon', or 'now'."],
    [['echo', '::::', '/nonexistent/file'], "loom parallel: Error: Cannot open input file `/nonexistent/file': No such file or directory."],
    [[':::', 'a'], 'loom parallel: Error: No command given: loom parallel runs a command for each argument (running the arguments themselves is not supported)'],
    [['-j', 'lots', 'echo', ':::', 'a'], 'loom parallel: Error: Parsing of --jobs/-j/--max-procs/-P failed.'],
    [['--resume', 'echo', ':::', 'a'], 'loom parallel: Error: --resume, --resume-failed and --retry-failed need --joblog'],
  ])('bad usage %j: one line on stderr, status 255, nothing run', async (args, message) => {
    expect(await parallel(...args)).toEqual({ code: 255, stdout: '', stderr: `${message}\n` });
  });

  it('exits with the number of failed jobs, reads stdin with no source, and writes --json', async () => {
    expect((await parallel('exit {}', ':::', '0', '1', '2')).code).toBe(2);
    const input = join(dir, 'args');
    writeFileSync(input, 'a\nb c\n');
    const cli = startCli(['parallel', '-k', '--json', 'echo']);
    cli.child.stdin.end(readFileSync(input));
    const { code, stdout } = await cli.finished;
    expect(code).toBe(0);
    const jobs = stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; command: string; stdout: string; exitCode: number });
    expect(jobs.map(({ seq, command, stdout: out, exitCode }) => ({ seq, command, out, exitCode }))).toEqual([
      { seq: 1, command: 'echo a', out: 'a\n', exitCode: 0 },
      { seq: 2, command: "echo 'b c'", out: 'b c\n', exitCode: 0 },
    ]);
  });

  it('--tag, --dry-run and --summary', async () => {
    expect((await parallel('-k', '--tag', 'echo', ':::', 'a', 'b c')).stdout).toBe('a\ta\nb c\tb c\n');
    expect((await parallel('--dry-run', 'echo', ':::', 'a b')).stdout).toBe("echo 'a b'\n");
    const { stderr } = await parallel('--summary', 'true', ':::', '1', '2');
    expect(stderr).toMatch(/^loom parallel: 2 jobs, 0 failed, 0 retries, \d+\.\d{3} s total; runtime p50 \d+\.\d{3} s, p95 \d+\.\d{3} s, max \d+\.\d{3} s\n$/);
  });
});
