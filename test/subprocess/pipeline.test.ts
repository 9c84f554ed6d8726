import { describe, expect, it } from 'vitest';
import { CalledProcessError, runPipeline, TimeoutExpired } from '../../src/subprocess/index.js';
import { abortListeners, settle } from '../helpers.js';
import { checkLeaksAfterEach } from './leaks.js';
import { allDead } from './procs.js';

describe('runPipeline', () => {
  checkLeaksAfterEach();

  it('yes | head -n 1 finishes at once, yes ended by SIGPIPE as in a shell', async () => {
    const started = Date.now();
    const result = await runPipeline([['yes'], ['head', '-n', '1']]);
    expect(result.stdout).toBe('y\n');
    expect(result.pipestatus).toEqual([-13, 0]);
    expect(result.returncode).toBe(0);
    expect(result.stages[0]?.signal).toBe('SIGPIPE');
    expect(result.stages[0]?.stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("sh -c 'echo a; exit 3' | cat reports [3, 0], like PIPESTATUS", async () => {
    const result = await runPipeline([['sh', '-c', 'echo a; exit 3'], ['cat']]);
    expect(result).toMatchObject({ stdout: 'a\n', pipestatus: [3, 0], returncode: 0 });
  });

  it('pipefail: the rightmost non-zero status, like set -o pipefail; check throws for that stage', async () => {
    const commands = [['sh', '-c', 'echo a; exit 3'], ['sh', '-c', 'cat; echo err >&2; exit 4'], ['cat']];
    expect((await runPipeline(commands, { pipefail: true })).returncode).toBe(4);
    expect((await runPipeline(commands)).returncode).toBe(0);
    const outcome = await settle(runPipeline(commands, { pipefail: true, check: true }));
    const error = (outcome as { error: CalledProcessError }).error;
    expect(error).toBeInstanceOf(CalledProcessError);
    expect(error).toMatchObject({ returncode: 4, stdout: 'a\n', stderr: 'err\n' });
    expect(error.message).toBe("Command failed with exit code 4: sh -c 'cat; echo err >&2; exit 4'");
  });

  it('feeds input to the first stage, runs three stages, returns buffers', async () => {
    const result = await runPipeline([['cat'], ['tr', 'a-z', 'A-Z'], ['rev']], { input: 'abc\n', encoding: 'buffer' });
    expect(result.stdout).toEqual(Buffer.from('CBA\n'));
    expect(result.pipestatus).toEqual([0, 0, 0]);
    expect(result.stages).toHaveLength(3);
  });

  it('a timeout ends every stage', async () => {
    const started = Date.now();
    const outcome = await settle(runPipeline([['sh', '-c', 'echo $$; exec sleep 30'], ['cat']], { timeout: 200 }));
    const error = (outcome as { error: TimeoutExpired }).error;
    expect(error).toBeInstanceOf(TimeoutExpired);
    expect(error.message).toBe("Command timed out after 200 milliseconds: sh -c 'echo $$; exec sleep 30' | cat");
    expect(await allDead([Number(error.stdout)])).toBe(true);
    expect(Date.now() - started).toBeLessThan(200 + 1000);
  });

  it('the three abort phases', async () => {
    const already = new AbortController();
    already.abort(new Error('before'));
    await expect(runPipeline([['true']], { signal: already.signal })).rejects.toThrow('before');
    const controller = new AbortController();
    const pending = runPipeline([['sleep', '30'], ['cat']], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('while running')), 100);
    await expect(pending).rejects.toThrow('while running');
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('throws synchronously on bad arguments', () => {
    expect(() => runPipeline([])).toThrow(new RangeError('Expected `commands` to be a non-empty array of argv arrays, got `[object Array]` (Array)'));
    expect(() => runPipeline(['ls'] as any)).toThrow(new TypeError('Expected `commands[0]` to be a non-empty array of strings, got `"ls"` (string)'));
    expect(() => runPipeline([['ls']], { pipefail: 'yes' as any })).toThrow(new TypeError('Expected `pipefail` to be a boolean, got `"yes"` (string)'));
  });

  it('a stage that cannot start rejects with its SubprocessError, the others ended', async () => {
    await expect(runPipeline([['yes'], ['frobnicate']])).rejects.toThrow('command not found: frobnicate');
  });
});
