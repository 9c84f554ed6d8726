import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, spawn, type Subprocess } from '../../src/subprocess/index.js';
import { flush } from '../helpers.js';
import { checkLeaksAfterEach, processListeners } from './leaks.js';
import { allDead } from './procs.js';

const parent = fileURLToPath(new URL('../fixtures/subprocess/parent.ts', import.meta.url));

/** Starts the fixture parent with 50 children and returns it with their pids once it is ready. */
async function startParent(mode: string, group = false): Promise<{ proc: Subprocess; pids: number[] }> {
  const proc = spawn([process.execPath, '--import', 'tsx', parent, mode, '50', ...(group ? ['group'] : [])]);
  const lines = proc.lines({ timeout: 15_000 });
  const first = await lines.next();
  await lines.return();
  const pids = JSON.parse(first.value as string) as number[];
  return { proc, pids };
}

describe('children are killed when the parent process ends', () => {
  checkLeaksAfterEach();

  it('no process listener is installed while no child runs, one of each while children run', async () => {
    const before = processListeners();
    const proc = spawn(['sleep', '10']);
    const other = spawn(['sleep', '10']);
    expect(processListeners()).toBe(before + 3);
    await proc[Symbol.asyncDispose]();
    await flush();
    expect(processListeners()).toBe(before + 3);
    await other[Symbol.asyncDispose]();
    // Removed at the end of the event-loop turn, unless another child starts in it.
    expect(processListeners()).toBe(before + 3);
    await flush();
    expect(processListeners()).toBe(before);
    const first = run(['true']);
    expect(processListeners()).toBe(before + 3);
    await first;
    const second = run(['true']);
    expect(processListeners()).toBe(before + 3);
    await second;
    await flush();
    expect(processListeners()).toBe(before);
    await run(['true'], { cleanup: false });
    expect(processListeners()).toBe(before);
  });

  it.each([
    ['SIGTERM', 'wait', false, { returncode: -15 }],
    ['SIGINT', 'wait', true, { returncode: -2 }],
    ['exit', 'exit', false, { returncode: 0 }],
    ['uncaught exception', 'throw', false, { returncode: 1 }],
  ] as const)('on %s, all 50 children die', async (_how, mode, group, expected) => {
    const { proc, pids } = await startParent(mode, group);
    expect(pids).toHaveLength(50);
    if (mode === 'wait') proc.sendSignal(_how);
    const { stderr } = await proc.communicate({ input: 'go\n', timeout: 15_000 });
    expect(proc.returncode).toBe(expected.returncode);
    if (mode === 'throw') expect(stderr).toContain('uncaught in the parent');
    expect(await allDead(pids)).toBe(true);
    await proc[Symbol.asyncDispose]();
  });
});
