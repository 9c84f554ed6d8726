import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { CalledProcessError, CompletedProcess, run, SubprocessError, TimeoutExpired } from '../../src/subprocess/index.js';
import { abortListeners, settle } from '../helpers.js';
import { checkLeaksAfterEach } from './leaks.js';
import { allDead, alive } from './procs.js';

const fixtures = fileURLToPath(new URL('../fixtures/subprocess/', import.meta.url));

describe('run', () => {
  checkLeaksAfterEach();

  it('captures output like the seed (echo, checkReturncode)', async () => {
    const result = await run(['echo', 'Hello from the child!']);
    expect(result).toBeInstanceOf(CompletedProcess);
    result.checkReturncode();
    expect(result.stdout).toBe('Hello from the child!\n');
    expect(result.stderr).toBe('');
    expect([result.returncode, result.exitCode, result.signal]).toEqual([0, 0, undefined]);
    expect(result.argv).toEqual(['echo', 'Hello from the child!']);
  });

  it('reports exit codes and signals as Python does', async () => {
    const failed = await run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect([failed.returncode, failed.exitCode, failed.signal]).toEqual([3, 3, undefined]);
    expect(() => failed.checkReturncode()).toThrow("Command failed with exit code 3: sh -c 'echo out; echo err >&2; exit 3'");
    const killed = await run(['sh', '-c', 'kill -TERM $$']);
    expect([killed.returncode, killed.exitCode, killed.signal]).toEqual([-15, undefined, 'SIGTERM']);
    expect(() => killed.checkReturncode()).toThrow("Command was killed with SIGTERM: sh -c 'kill -TERM $$'");
  });

  it('check: true rejects with a CalledProcessError holding the output', async () => {
    const outcome = await settle(run(['sh', '-c', 'echo out; echo err >&2; exit 3'], { check: true }));
    const error = (outcome as { error: CalledProcessError }).error;
    expect(error).toBeInstanceOf(CalledProcessError);
    expect(error).toMatchObject({ name: 'CalledProcessError', returncode: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('accepts every kind of input', async () => {
    const cat = (input: Parameters<typeof run>[1]) => run(['cat'], input).then((r) => r.stdout);
    expect(await cat({ input: 'text' })).toBe('text');
    expect(await cat({ input: new TextEncoder().encode('bytes') })).toBe('bytes');
    expect(await cat({ input: Readable.from(['a', 'b']) })).toBe('ab');
    expect(await cat({ input: (async function* () { yield 'x'; yield new Uint8Array([121]); })() })).toBe('xy');
    expect(await cat({ input: { file: `${fixtures}not-executable.sh` } })).toBe('#!/bin/sh\necho never runs\n');
    expect(await cat({ input: createReadStream(`${fixtures}not-executable.sh`) })).toContain('never runs');
  });

  it('returns Buffers with encoding: buffer', async () => {
    const { stdout, stderr } = await run(['printf', '\\377\\000'], { encoding: 'buffer' });
    expect(stdout).toEqual(Buffer.from([255, 0]));
    expect(stderr).toEqual(Buffer.alloc(0));
  });

  it('returns a large binary output through cat byte for byte (encoding: buffer)', async () => {
    const input = randomBytes(3 * 1024 * 1024 + 17);
    const { stdout } = await run(['cat'], { input, encoding: 'buffer' });
    expect(stdout.length).toBe(input.length);
    expect(stdout.equals(input)).toBe(true);
  });

  it('merges env over process.env unless extendEnv is false, and honours cwd', async () => {
    process.env.LOOM_TEST_INHERITED = 'yes';
    try {
      const merged = await run(['sh', '-c', 'echo $password-$LOOM_TEST_INHERITED'], { env: { password: 'pw' } });
      expect(merged.stdout).toBe('pw-yes\n');
      const replaced = await run(['/bin/sh', '-c', 'echo $password-$LOOM_TEST_INHERITED'], { env: { password: 'pw' }, extendEnv: false });
      expect(replaced.stdout).toBe('pw-\n');
      const removed = await run(['sh', '-c', 'echo ${LOOM_TEST_INHERITED:-gone}'], { env: { LOOM_TEST_INHERITED: undefined } });
      expect(removed.stdout).toBe('gone\n');
    } finally {
      delete process.env.LOOM_TEST_INHERITED;
    }
    expect((await run(['pwd'], { cwd: '/tmp' })).stdout).toBe('/tmp\n');
    expect((await run(['pwd'], { cwd: new URL('file:///tmp') })).stdout).toBe('/tmp\n');
  });

  it('never uses a shell unless asked', async () => {
    expect((await run(['echo', '$HOME; echo no'])).stdout).toBe('$HOME; echo no\n');
    expect((await run(['echo a | tr a b'], { shell: true })).stdout).toBe('b\n');
    expect((await run(['echo "$0 $1"', 'zero', 'one'], { shell: '/bin/sh' })).stdout).toBe('zero one\n');
  });

  it('rejects with SubprocessError when the command cannot start', async () => {
    const notFound = await settle(run(['frobnicate']));
    expect((notFound as { error: SubprocessError }).error).toBeInstanceOf(SubprocessError);
    expect((notFound as { error: SubprocessError }).error).toMatchObject({ message: 'command not found: frobnicate', code: 'ENOENT', argv: ['frobnicate'] });
    await expect(run([`${fixtures}not-executable.sh`])).rejects.toThrow(`permission denied: ${fixtures}not-executable.sh`);
    await expect(run(['ls'], { cwd: '/no/such/dir' })).rejects.toThrow('no such directory: /no/such/dir (cwd of ls)');
  });

  it('throws synchronously on bad arguments, with the exact message', () => {
    expect(() => run('ls' as any)).toThrow(new TypeError('Expected `argv` to be a non-empty array of strings, got `"ls"` (string)'));
    expect(() => run([])).toThrow(new RangeError('Expected `argv` to be a non-empty array of strings, got `[object Array]` (Array)'));
    expect(() => run(['ls', 1 as any])).toThrow(new TypeError('Expected `argv[1]` to be a string, got `1` (number)'));
    expect(() => run(['ls'], { timeout: -1 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'));
    expect(() => run(['ls'], { encoding: 'latin1' as any })).toThrow(new TypeError('Expected `encoding` to be \'utf8\' or \'buffer\', got `"latin1"` (string)'));
    expect(() => run(['ls'], { input: 5 as any })).toThrow(
      new TypeError('Expected `input` to be a string, a Uint8Array, a readable stream, an iterable or { file }, got `5` (number)'),
    );
    expect(() => run(['ls'], { maxBuffer: -1 })).toThrow(new RangeError('Expected `maxBuffer` to be a number of bytes >= 0, got `-1` (number)'));
    expect(() => run(['ls'], { killSignal: 'SIGNOPE' as any })).toThrow(new TypeError('Expected `killSignal` to be a signal name or number, got `"SIGNOPE"` (string)'));
    expect(() => run(['ls'], { stdin: 'pipes' as any })).toThrow(
      new TypeError('Expected `stdin` to be \'pipe\', \'inherit\', \'ignore\', a file descriptor or a stream, got `"pipes"` (string)'),
    );
    expect(() => run(['ls'], { check: 1 as any })).toThrow(new TypeError('Expected `check` to be a boolean, got `1` (number)'));
  });

  it('a timeout kills and reaps the child within timeout + 250 ms, keeping the partial output', async () => {
    const started = Date.now();
    const outcome = await settle(run(['sh', '-c', 'echo partial; echo oops >&2; exec sleep 10'], { timeout: 300 }));
    const elapsed = Date.now() - started;
    const error = (outcome as { error: TimeoutExpired }).error;
    expect(error).toBeInstanceOf(TimeoutExpired);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe("Command timed out after 300 milliseconds: sh -c 'echo partial; echo oops >&2; exec sleep 10'");
    expect([error.stdout, error.stderr, error.timeout]).toEqual(['partial\n', 'oops\n', 300]);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 250);
  });

  it('a grandchild holding the pipes does not make a 100 ms timeout hang', async () => {
    const started = Date.now();
    const outcome = await settle(run(['sh', '-c', 'sleep 30 & echo $!; exec sleep 30'], { timeout: 100 }));
    const elapsed = Date.now() - started;
    const error = (outcome as { error: TimeoutExpired }).error;
    expect(error).toBeInstanceOf(TimeoutExpired);
    const grandchild = Number(error.stdout);
    expect(alive(grandchild)).toBe(true);
    process.kill(grandchild, 'SIGKILL');
    expect(elapsed).toBeLessThan(1500);
  });

  it('group: true kills the whole tree on timeout, leaving no descendant', async () => {
    const outcome = await settle(run(['sh', '-c', 'sleep 30 & echo $!; sh -c "sleep 30 & echo \\$!; wait" & wait'], { timeout: 300, group: true }));
    const error = (outcome as { error: TimeoutExpired }).error;
    expect(error).toBeInstanceOf(TimeoutExpired);
    const pids = error.stdout.toString().trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    expect(await allDead(pids)).toBe(true);
  });

  it('the three abort phases', async () => {
    const already = new AbortController();
    already.abort(new Error('before'));
    await expect(run(['frobnicate'], { signal: already.signal })).rejects.toThrow('before');

    const controller = new AbortController();
    const pending = run(['sh', '-c', 'echo $$; exec sleep 30'], { signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(1);
    setTimeout(() => controller.abort(new Error('while running')), 100);
    await expect(pending).rejects.toThrow('while running');
    expect(abortListeners(controller.signal)).toBe(0);

    const unused = new AbortController();
    await run(['true'], { signal: unused.signal, timeout: 10_000 });
    expect(abortListeners(unused.signal)).toBe(0);
  });

  it('maxBuffer exceeded is a clear error and the child is killed', async () => {
    const started = Date.now();
    const outcome = await settle(run(['yes'], { maxBuffer: 1000 }));
    const error = (outcome as { error: SubprocessError }).error;
    expect(error).toBeInstanceOf(SubprocessError);
    expect(error).toMatchObject({ message: 'Command stdout exceeded maxBuffer of 1000 bytes: yes', code: 'MAXBUFFER' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('many children under one signal add one listener, and no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const runs = Array.from({ length: 40 }, () => run(['sh', '-c', 'exit 0'], { signal: controller.signal, timeout: 20_000 }));
      expect(abortListeners(controller.signal)).toBe(1);
      expect(process.listenerCount('exit')).toBeLessThanOrEqual(2);
      await Promise.all(runs);
      expect(abortListeners(controller.signal)).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
