import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../src/core/errors.js';
import { spawn, SubprocessError, TimeoutExpired } from '../../src/subprocess/index.js';
import { abortListeners, settle } from '../helpers.js';
import { checkLeaksAfterEach, openFds } from './leaks.js';
import { allDead, alive } from './procs.js';

/** Copies stdin to both stdout and stderr, with backpressure on both. */
const ECHO_BOTH = `
(async () => {
  for await (const chunk of process.stdin) {
    const out = process.stdout.write(chunk);
    const err = process.stderr.write(chunk);
    if (!out) await new Promise((resolve) => process.stdout.once('drain', resolve));
    if (!err) await new Promise((resolve) => process.stderr.once('drain', resolve));
  }
})();
`;

describe('Subprocess', () => {
  checkLeaksAfterEach();

  it('poll() is undefined while running, then the status (the seed polls sleep while working)', async () => {
    await using proc = spawn(['sleep', '0.2'], { stdout: 'ignore', stderr: 'ignore', stdin: 'ignore' });
    expect(proc.pid).toBeGreaterThan(0);
    let polls = 0;
    while (proc.poll() === undefined) {
      polls++;
      await sleep(20);
    }
    expect(polls).toBeGreaterThan(2);
    expect(proc.poll()).toBe(0);
    expect(proc.returncode).toBe(0);
    expect(await proc.wait()).toBe(0);
  });

  it('communicate(timeout) then terminate gives Exit status -15 (the seed)', async () => {
    await using proc = spawn(['sleep', '10']);
    const outcome = await settle(proc.communicate({ timeout: 100 }));
    expect((outcome as { error: unknown }).error).toBeInstanceOf(TimeoutExpired);
    expect((outcome as { error: Error }).error.message).toBe('Command timed out after 100 milliseconds: sleep 10');
    expect(proc.terminate()).toBe(true);
    expect(await proc.wait()).toBe(-15);
    expect(proc.poll()).toBe(-15);
    // Reaped: never signals a pid that may have been reused.
    expect(proc.kill()).toBe(false);
    expect(proc.terminate()).toBe(false);
    expect(proc.sendSignal('SIGINT')).toBe(false);
  });

  it('keeps the output of a child that exited before anyone read it', async () => {
    await using proc = spawn(['sh', '-c', 'echo out; echo err >&2']);
    expect(await proc.wait()).toBe(0);
    await sleep(50);
    expect(await proc.communicate()).toEqual({ stdout: 'out\n', stderr: 'err\n' });
  });

  it('communicate is retryable: no output or input lost across a timeout', async () => {
    const input = randomBytes(1024 * 1024);
    await using proc = spawn(['sh', '-c', 'echo before >&2; sleep 0.3; cat; echo after >&2'], { encoding: 'buffer' });
    const first = await settle(proc.communicate({ input, timeout: 100 }));
    const timeout = (first as { error: TimeoutExpired }).error;
    expect(timeout).toBeInstanceOf(TimeoutExpired);
    expect(timeout.stderr.toString()).toBe('before\n');
    expect(() => proc.communicate({ input })).toThrow(new InvalidStateError('Cannot send input after starting communication'));
    const { stdout, stderr } = await proc.communicate();
    expect(stderr.toString()).toBe('before\nafter\n');
    expect(stdout.equals(input)).toBe(true);
    const again = await proc.communicate();
    expect(again.stdout).toBe(stdout);
    expect(again.stderr).toBe(stderr);
  });

  it('moves 4 MiB + 1 byte each way through a child without deadlock', async () => {
    const input = randomBytes(4 * 1024 * 1024 + 1);
    // Both stdout and stderr are socket pairs, which tee cannot open by name: a node script copies.
    await using proc = spawn([process.execPath, '-e', ECHO_BOTH], { encoding: 'buffer' });
    const { stdout, stderr } = await proc.communicate({ input, timeout: 15_000 });
    expect(stdout.equals(input)).toBe(true);
    expect(stderr.equals(input)).toBe(true);
  });

  it('writing to a child that exits at once never throws EPIPE', async () => {
    const input = randomBytes(8 * 1024 * 1024);
    await using proc = spawn(['true']);
    expect(await proc.communicate({ input })).toEqual({ stdout: '', stderr: '' });
    expect(proc.returncode).toBe(0);
    // Writing by hand: the failure reaches the write callback, never an unhandled 'error' event.
    await using direct = spawn(['true']);
    const written = new Promise<unknown>((resolve) => direct.stdin?.write(input, resolve));
    direct.stdin?.end();
    expect(await direct.wait()).toBe(0);
    const error = (await written) as NodeJS.ErrnoException | null | undefined;
    expect([undefined, null, 'EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']).toContain(error?.code ?? error);
  });

  it('a failed start: no pid, wait/communicate reject, poll throws', async () => {
    await using proc = spawn(['frobnicate', '--now']);
    expect(proc.pid).toBeUndefined();
    const outcome = await settle(proc.wait());
    expect((outcome as { error: unknown }).error).toBeInstanceOf(SubprocessError);
    expect((outcome as { error: SubprocessError }).error).toMatchObject({ message: 'command not found: frobnicate --now', code: 'ENOENT' });
    await expect(proc.communicate()).rejects.toThrow('command not found: frobnicate --now');
    expect(() => proc.poll()).toThrow('command not found: frobnicate --now');
    expect(proc.kill()).toBe(false);
  });

  it('1,000 failed spawns leak no file descriptor', async () => {
    const before = openFds();
    for (let batch = 0; batch < 20; batch++) {
      const procs = Array.from({ length: 50 }, () => spawn(['/nonexistent/frobnicate']));
      const outcomes = await Promise.all(procs.map((proc) => settle(proc.wait())));
      expect(outcomes.every((outcome) => !outcome.ok)).toBe(true);
    }
    expect(openFds()).toBeLessThanOrEqual(before);
    // 1,000 real fork attempts: ~4 s on a quiet 2-core machine, past 20 s on a loaded one.
  }, 90_000);

  it('wait(): timeout is a TimeoutExpired, and the three abort phases', async () => {
    await using proc = spawn(['sleep', '10']);
    await expect(proc.wait({ timeout: 50 })).rejects.toThrow('Command timed out after 50 milliseconds: sleep 10');
    const already = new AbortController();
    already.abort(new Error('before'));
    await expect(proc.wait({ signal: already.signal })).rejects.toThrow('before');
    const controller = new AbortController();
    const waiting = proc.wait({ signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort(new Error('while waiting'));
    await expect(waiting).rejects.toThrow('while waiting');
    expect(abortListeners(controller.signal)).toBe(0);
    expect(proc.poll()).toBeUndefined();
    expect(() => proc.wait({ timeout: -5 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-5` (number)'));
  });

  it('sendSignal validates its argument and signals the child', async () => {
    await using proc = spawn(['sleep', '10']);
    expect(() => proc.sendSignal('SIGFOO' as any)).toThrow(new TypeError('Expected `signal` to be a signal name or number, got `"SIGFOO"` (string)'));
    expect(proc.sendSignal('SIGINT')).toBe(true);
    expect(await proc.wait()).toBe(-2);
  });

  it('lines() yields lines as they come and honours timeout', async () => {
    await using proc = spawn(['sh', '-c', 'printf "one\\ntwo\\r\\nthree"']);
    const lines: string[] = [];
    for await (const line of proc.lines()) lines.push(line);
    expect(lines).toEqual(['one', 'two', 'three']);
    await using slow = spawn(['sh', '-c', 'echo first; exec sleep 10']);
    const seen: string[] = [];
    const outcome = await settle((async () => {
      for await (const line of slow.lines({ timeout: 200 })) seen.push(line);
    })());
    expect(seen).toEqual(['first']);
    expect((outcome as { error: Error }).error.message).toBe('Subprocess.lines timed out after 200 milliseconds');
    await using silent = spawn(['true'], { stdout: 'ignore' });
    expect(() => silent.lines()).toThrow(new InvalidStateError('Subprocess.lines needs stdout to be a pipe'));
  });

  it('dispose kills a running child and is idempotent', async () => {
    const proc = spawn(['sleep', '10']);
    const pid = proc.pid as number;
    await Promise.all([proc[Symbol.asyncDispose](), proc[Symbol.asyncDispose]()]);
    expect(proc.returncode).toBe(-15);
    expect(alive(pid)).toBe(false);
  });

  it('forceKillAfter: SIGKILL follows a killSignal the child ignores', async () => {
    const proc = spawn(['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], { forceKillAfter: 200 });
    for await (const line of proc.lines()) if (line === 'ready') break;
    const started = Date.now();
    await proc[Symbol.asyncDispose]();
    expect(proc.returncode).toBe(-9);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('group: dispose kills every descendant', async () => {
    const proc = spawn(['sh', '-c', 'sleep 30 & echo $!; sleep 30 & echo $!; wait'], { group: true });
    const pids: number[] = [];
    for await (const line of proc.lines()) {
      pids.push(Number(line));
      if (pids.length === 2) break;
    }
    await proc[Symbol.asyncDispose]();
    expect(await allDead([...pids, proc.pid as number])).toBe(true);
  });

  it("one Subprocess's stdout is another's stdin (the seed's chain), the parent keeping no copy", async () => {
    const first = spawn(['sh', '-c', 'echo hello; echo world']);
    const second = spawn(['tr', 'a-z', 'A-Z'], { stdin: first.stdout! });
    expect(first.stdout).toBeUndefined();
    expect(await first.wait()).toBe(0);
    expect(await second.communicate()).toEqual({ stdout: 'HELLO\nWORLD\n', stderr: '' });
    await first[Symbol.asyncDispose]();
    await second[Symbol.asyncDispose]();
  });

  it('an already-read stdout is copied through the parent, losing nothing', async () => {
    const first = spawn(['sh', '-c', 'echo one; sleep 0.1; echo two']);
    await new Promise((resolve) => first.stdout!.once('readable', resolve));
    const second = spawn(['cat'], { stdin: first.stdout! });
    expect(second.stdin).toBeUndefined();
    expect((await second.communicate()).stdout).toBe('one\ntwo\n');
    await first[Symbol.asyncDispose]();
    await second[Symbol.asyncDispose]();
  });
});
