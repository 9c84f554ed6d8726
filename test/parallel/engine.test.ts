/**
 * The engine through real processes: ordering, function commands, halting, timeouts,
 * retries, aborts, the job log, and bad arguments. Orders are forced with FIFOs (a job that
 * reads one blocks until another job writes it), never with sleeps; each test leaves no
 * descriptor, timer or listener behind (`checkLeaksAfterEach`).
 */

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobResult, parallel, type ParallelRunOptions } from '../../src/parallel/index.js';
import { checkLeaksAfterEach } from '../subprocess/leaks.js';
import { alive, fifo } from './processes.js';

checkLeaksAfterEach();

const dir = mkdtempSync(join(tmpdir(), 'loom-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collectWith(command: Parameters<typeof parallel>[0], inputs: Parameters<typeof parallel>[1], opts?: ParallelRunOptions): Promise<{ jobs: JobResult[]; status: number | undefined; notices: string[] }> {
  const notices: string[] = [];
  const run = parallel(command, inputs, { onNotice: (lines) => notices.push(lines.join('\n')), ...opts });
  const jobs: JobResult[] = [];
  for await (const job of run) jobs.push(job);
  return { jobs, status: run.exitStatus, notices };
}

describe.each(['shell', 'direct'] as const)('parallel with spawner: %s', (spawner) => {
  async function collect(command: Parameters<typeof parallel>[0], inputs: Parameters<typeof parallel>[1], opts?: ParallelRunOptions): ReturnType<typeof collectWith> {
    return collectWith(command, inputs, { spawner, ...opts });
  }

  it('runs the combinations through /bin/sh with the arguments quoted', async () => {
    const { jobs, status } = await collect('printf "%s|" {1} {2}', [['a b', '$(touch PWNED)'], ["it's"]], { keepOrder: true });
    expect(jobs.map((job) => job.stdout)).toEqual(["a b|it's|", "$(touch PWNED)|it's|"]);
    expect(jobs.map((job) => job.command)).toEqual([`printf "%s|" 'a b' 'it'"'"'s'`, `printf "%s|" '$(touch PWNED)' 'it'"'"'s'`]);
    expect(existsSync('PWNED')).toBe(false);
    expect(status).toBe(0);
  });

  it('yields in completion order, and in input order with keepOrder', async () => {
    // Job 1 waits until the consumer has seen job 2's result.
    const gate = fifo(dir, `order1-${spawner}`);
    const seen: number[] = [];
    for await (const job of parallel(`if [ {} = 1 ]; then cat ${gate} >/dev/null; fi; echo {}`, [['1', '2']], { jobs: 2, spawner })) {
      seen.push(job.seq);
      if (job.seq === 2) writeFileSync(gate, 'go');
    }
    expect(seen).toEqual([2, 1]);
    const gate2 = fifo(dir, `order2-${spawner}`);
    const kept = await collect(`if [ {} = 1 ]; then cat ${gate2} >/dev/null; else echo go > ${gate2}; fi; echo {}`, [['1', '2']], { jobs: 2, keepOrder: true });
    expect(kept.jobs.map((job) => job.stdout)).toEqual(['1\n', '2\n']);
  });

  it('runs a function command without a shell', async () => {
    const { jobs } = await collect((args) => ['printf', '%s', ...args], [['$HOME;x']]);
    expect(jobs[0]?.stdout).toBe('$HOME;x');
    expect(jobs[0]?.command).toBe(`printf '%s' '$HOME;x'`);
  });

  it('reports exit codes and signals as the job log does, and counts failures', async () => {
    const { jobs, status } = await collect('exit {}', [['0', '3']], { keepOrder: true });
    expect(jobs.map((job) => [job.exitCode, job.signal, job.ok])).toEqual([[0, 0, true], [3, 0, false]]);
    expect(status).toBe(1);
    const killed = await collect('kill -9 $$', [['x']]);
    expect([killed.jobs[0]?.exitCode, killed.jobs[0]?.signal]).toEqual([0, 9]);
    // A shell reports both as status 137; the job log tells them apart, and so must loom.
    const high = await collect('exit 137', [['x']]);
    expect([high.jobs[0]?.exitCode, high.jobs[0]?.signal]).toEqual([137, 0]);
  });

  it('halt now,fail=1 kills the running jobs\' process trees and drops them', async () => {
    const marker = `loom-halt-${process.pid}`;
    const gate = fifo(dir, `halt-${spawner}`);
    const started = Date.now();
    const { jobs, status, notices } = await collect(
      `if [ {} = fail ]; then cat ${gate} >/dev/null; exit 4; else sh -c 'echo go > ${gate}; sleep 30; : ${marker}' & wait; fi`,
      [['sleeper', 'fail']],
      { jobs: 2, halt: 'now,fail=1' },
    );
    expect(jobs.map((job) => job.args[0])).toEqual(['fail']);
    expect(status).toBe(4);
    expect(notices).toEqual([`This job failed:\nif [ fail = fail ]; then cat ${gate} >/dev/null; exit 4; else sh -c 'echo go > ${gate}; sleep 30; : ${marker}' & wait; fi`]);
    expect(alive(marker)).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('halt soon starts nothing new and lets the running jobs finish', async () => {
    const { jobs, status } = await collect('exit {}', [['1', '0', '0']], { jobs: 1, halt: 'soon,fail=1' });
    expect(jobs.map((job) => job.seq)).toEqual([1]);
    expect(status).toBe(1);
  });

  it('a timeout kills the job\'s group, keeps its output and logs -1 and 15', async () => {
    const joblog = join(dir, `timeout-${spawner}.log`);
    const { jobs, notices } = await collect('echo start {}; sleep 30', [['x']], { timeout: 200, joblog });
    expect([jobs[0]?.exitCode, jobs[0]?.signal, jobs[0]?.timedOut, jobs[0]?.stdout]).toEqual([-1, 15, true, 'start x\n']);
    expect(notices).toEqual(['Warning: This job was killed because it timed out:\nWarning: echo start x; sleep 30']);
    expect(readFileSync(joblog, 'utf8').split('\n')[1]).toMatch(/^1\t:\t\d+\.\d{3}\t +\d+\.\d{3}\t0\t8\t-1\t15\techo start x; sleep 30$/);
  });

  it('a percentage timeout is measured against the median runtime of the jobs that succeeded', async () => {
    // The first job has no median to go by; the second gets 50 x the first's runtime, far below 30 s.
    const { jobs } = await collect('if [ {} = slow ]; then sleep 30; fi', [['fast', 'slow']], { jobs: 1, timeout: '5000%', keepOrder: true });
    expect(jobs.map((job) => [job.args[0], job.timedOut])).toEqual([['fast', false], ['slow', true]]);
  });

  it('retries a failing job, keeping only the last attempt\'s output', async () => {
    const counter = join(dir, `count-${spawner}`);
    const { jobs } = await collect(`echo x >> ${counter}; n=$(wc -l < ${counter}); echo try $n {}; [ $n -ge 3 ]`, [['x']], { retries: 3 });
    expect([jobs[0]?.attempts, jobs[0]?.ok, jobs[0]?.stdout]).toEqual([3, true, 'try 3 x\n']);
  });

  it('dry run yields the commands and runs nothing', async () => {
    const { jobs } = await collect('touch {}', [[join(dir, 'never')]], { dryRun: true });
    expect(jobs[0]?.command).toBe(`touch ${join(dir, 'never')}`);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('an abort kills the running jobs and throws its reason; the job log has the finished ones', async () => {
    const marker = `loom-abort-${process.pid}`;
    const joblog = join(dir, `abort-${spawner}.log`);
    const controller = new AbortController();
    const run = parallel(`if [ {} = quick ]; then echo done; else sleep 30; : ${marker}; fi`, [['quick', 'slow']], { jobs: 2, joblog, signal: controller.signal, spawner });
    const seen: number[] = [];
    const reason = new Error('stop');
    await expect((async () => {
      for await (const job of run) {
        seen.push(job.seq);
        controller.abort(reason);
      }
    })()).rejects.toBe(reason);
    expect(seen).toEqual([1]);
    expect(alive(marker)).toBe(false);
    expect(readFileSync(joblog, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(run.exitStatus).toBeUndefined();
  });

  it('resumes from a job log, skipping what it has', async () => {
    const joblog = join(dir, `resume-${spawner}.log`);
    await collect('exit {}', [['0', '1']], { joblog, jobs: 1 });
    const again = await collect('exit {}', [['0', '1', '0']], { joblog, resume: true });
    expect(again.jobs.map((job) => job.seq)).toEqual([3]);
    const failed = await collect('exit 0', [['0', '1', '0']], { joblog, resumeFailed: true });
    expect(failed.jobs.map((job) => job.seq)).toEqual([2]);
    const lines = readFileSync(joblog, 'utf8').trim().split('\n');
    expect(lines.map((line) => line.split('\t')[0])).toEqual(['Seq', '1', '2', '3', '2']);
  });

  it('calls onLine with whole lines under lineBuffer, and tags results', async () => {
    const lines: string[] = [];
    const { jobs } = await collect('printf "a\\nb"', [['x']], { lineBuffer: true, tag: true, onLine: (line, stream) => lines.push(`${stream}:${Buffer.from(line).toString()}`) });
    expect(lines).toEqual(['stdout:a\n', 'stdout:b']);
    expect(jobs[0]?.tag).toBe('x');
  });

  it('throws synchronously for bad arguments, in the house template', () => {
    expect(() => parallel(3 as unknown as string, [])).toThrow(new TypeError('Expected `command` to be a string or a function, got `3` (number)'));
    expect(() => parallel('x', [3 as unknown as string[]])).toThrow(new TypeError('Expected `inputs[0]` to be an iterable or async iterable of strings, got `3` (number)'));
    expect(() => parallel('x', [], { retries: -1 })).toThrow(new RangeError('Expected `retries` to be an integer >= 0, got `-1` (number)'));
    expect(() => parallel('x', [], { halt: 'sometimes' })).toThrow("--halt must have 'never', 'soon', or 'now'.");
    expect(() => parallel('x', [], { resume: true })).toThrow(new TypeError('Expected `joblog` with `resume`, `resumeFailed` or `retryFailed`'));
    expect(() => parallel('x', [], { timeout: '5x' })).toThrow(new RangeError("Expected `timeout` to be milliseconds or a percentage like '200%', got `\"5x\"` (string)"));
    expect(() => parallel('x', [], { lineBuffer: true })).toThrow(new TypeError('Expected `onLine` with `lineBuffer`'));
    expect(() => parallel('x', [], { spawner: 'fast' as 'shell' })).toThrow(new TypeError("Expected `spawner` to be 'shell' or 'direct', got `\"fast\"` (string)"));
  });

  it('leaves no process of a job behind once the run ends, and keeps a job\'s output over maxOutput at the bound', async () => {
    const marker = `loom-leftover-${spawner}-${process.pid}`;
    await collect(`sh -c 'sleep 30; : ${marker}' & echo {}`, [['x']]);
    expect(alive(marker)).toBe(false);
    // The job outlives its output, so the kill at the bound always finds it running (a job that
    // exited at once raced the SIGTERM and sometimes reported no signal).
    const { jobs } = await collect('head -c 5000 /dev/zero; sleep 5; : {}', [['x']], { maxOutput: 1000 });
    expect([jobs[0]?.stdoutBytes.length, jobs[0]?.signal, jobs[0]?.error?.name]).toEqual([1000, 15, 'OutputLimitError']);
  });

  it('can be iterated once', async () => {
    const run = parallel('true', [['x']], { spawner });
    for await (const _ of run) void _;
    await expect(run[Symbol.asyncIterator]().next()).rejects.toThrow('A parallel run can be iterated only once');
  });
});
