import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError, type Command, type CommandInput } from '../../src/cli/command.js';
import { execute } from '../../src/cli/execute.js';
import { TaskGroupError } from '../../src/core/errors.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** A one-command table whose command does `behaviour` with what it was given. */
function table(behaviour: (input: CommandInput) => Promise<void>): Command[] {
  return [{ name: 'work', usage: '[thing]', summary: 'Works.', details: [], options: { fast: { type: 'boolean', description: 'Fast.' } }, run: behaviour }];
}

/** Runs `argv` against `commands` and returns the status and both outputs. */
async function run(argv: string[], commands: Command[], signal = new AbortController().signal): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await execute(argv, commands, { out: (line) => out.push(line), err: (line) => err.push(line) }, signal);
  return { status, out, err };
}

describe('execute', () => {
  it('runs the command with its positionals, values, output and signal, and returns 0', async () => {
    const controller = new AbortController();
    let seen: CommandInput | undefined;
    const commands = table(async (input) => {
      seen = input;
      input.out('worked');
      input.err('note');
    });
    expect(await run(['work', 'x', '--fast'], commands, controller.signal)).toEqual({ status: 0, out: ['worked'], err: ['note'] });
    expect(seen).toMatchObject({ positionals: ['x'], values: { fast: true }, signal: controller.signal });
  });

  it('prints the overview, a command\'s help and the version, with status 0', async () => {
    const commands = table(async () => {});
    expect((await run(['--help'], commands)).out[0]).toBe('Usage: loom <command> [options]');
    expect((await run(['work', '--help'], commands)).out[0]).toBe('Usage: loom work [thing]');
    expect(await run(['--version'], commands)).toEqual({ status: 0, out: [version], err: [] });
  });

  it('returns 2 for a usage error, from the parser or from the command', async () => {
    expect(await run(['play'], table(async () => {}))).toEqual({ status: 2, out: [], err: ['Unknown command play: expected one of work', 'Run `loom --help` for usage.'] });
    const picky = table(async ({ positionals }) => {
      throw new UsageError(`Unknown thing ${positionals[0] ?? ''}: expected one of a, b`);
    });
    expect(await run(['work', 'z'], picky)).toEqual({ status: 2, out: [], err: ['Unknown thing z: expected one of a, b', 'Run `loom --help` for usage.'] });
  });

  it('returns 1 for a failure and prints its message and causes, without a stack', async () => {
    const failing = table(async () => {
      throw new Error('disk full', { cause: new Error('ENOSPC', { cause: 'the device' }) });
    });
    expect(await run(['work'], failing)).toEqual({ status: 1, out: [], err: ['loom: disk full', '  caused by: Error: ENOSPC', '  caused by: the device'] });
    const several = table(async () => {
      throw new TaskGroupError([new TypeError('first'), new Error('second')], 'TaskGroup failed');
    });
    expect(await run(['work'], several)).toEqual({ status: 1, out: [], err: ['loom: TaskGroup failed', '  error: TypeError: first', '  error: Error: second'] });
  });

  it('prints the stack of a programming error or a thrown non-error, and says it is a bug', async () => {
    for (const thrown of [new TypeError('x is not a function'), new RangeError('Invalid array length'), 'a string']) {
      // A thrown string is exactly the case under test.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      const buggy = table(() => Promise.reject(thrown));
      const { status, err } = await run(['work'], buggy);
      expect(status).toBe(1);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^loom: a bug in loom \(please report it with this output\): /);
      if (thrown instanceof Error) expect(err[0]).toContain(`${thrown.name}: ${thrown.message}\n    at `);
    }
  });

  it('is silent about the interruption itself, and about Node\'s AbortError carrying it', async () => {
    for (const wrap of [(reason: Error) => reason, (reason: Error) => Object.assign(new Error('The operation was aborted', { cause: reason }), { name: 'AbortError' })]) {
      const controller = new AbortController();
      const interrupted = table(async ({ signal }) => {
        controller.abort(new Error('Interrupted by SIGINT'));
        throw wrap(signal.reason as Error);
      });
      expect(await run(['work'], interrupted, controller.signal)).toEqual({ status: 1, out: [], err: [] });
    }
  });

  it('prints errors raised while being interrupted: they are not the interruption', async () => {
    const controller = new AbortController();
    const messy = table(async ({ signal }) => {
      controller.abort(new Error('Interrupted by SIGINT'));
      throw new TaskGroupError([new Error('cleanup failed')], 'TaskGroup failed', { cause: signal.reason });
    });
    const { status, err } = await run(['work'], messy, controller.signal);
    expect({ status, err }).toEqual({ status: 1, err: ['loom: TaskGroup failed', '  error: Error: cleanup failed', '  caused by: Error: Interrupted by SIGINT'] });
  });

  it('prints a failure that is not the interruption even when the signal was aborted', async () => {
    const controller = new AbortController();
    const failing = table(async () => {
      controller.abort(new Error('Interrupted by SIGTERM'));
      throw new RangeError('bad state');
    });
    const { status, err } = await run(['work'], failing, controller.signal);
    expect(status).toBe(1);
    expect(err[0]).toMatch(/^loom: a bug in loom \(please report it with this output\): RangeError: bad state\n/);
  });
});
