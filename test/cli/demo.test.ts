import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { runDemos, selectItems } from '../../src/cli/commands/demo.js';
import type { Demo, DemoContext } from '../../examples/harness.js';
import { settle } from '../helpers.js';

function fakeDemo(item: number, title = `Item ${item}`): Demo {
  return { item, title, run: async () => {} };
}
const a53 = fakeDemo(53);
const b53 = fakeDemo(53, 'Parallelism');
const d54 = fakeDemo(54);
const d60 = fakeDemo(60);
const demos = [a53, b53, d54, d60];

describe('selectItems', () => {
  it('without items, groups every demo by item in list order', () => {
    expect([...selectItems([], demos)]).toEqual([
      [53, [a53, b53]],
      [54, [d54]],
      [60, [d60]],
    ]);
  });

  it('keeps the order the items were named in, once each', () => {
    expect([...selectItems(['60', '53', '60'], demos)]).toEqual([
      [60, [d60]],
      [53, [a53, b53]],
    ]);
  });

  it.each([['99'], ['fifty'], ['5x'], ['-1'], ['53.0'], ['']])('rejects %j, listing the known items', (word) => {
    expect(() => selectItems([word], demos)).toThrow(new UsageError(`Unknown item ${word}: expected one of 53, 54, 60`));
  });
});

/** A demo that prints its name and what it was given. */
function printing(item: number, title: string, name: string): Demo {
  return { item, title, run: async ({ out, quick }) => out(`${name} ran${quick ? ' quick' : ''}`) };
}

describe('runDemos', () => {
  it('prints a header per item, a second header for a demo with another title, and the item\'s time', async () => {
    const lines: string[] = [];
    const groups = new Map([
      [53, [printing(53, 'Threads', 'io'), printing(53, 'Threads: parallelism', 'cpu'), printing(53, 'Threads', 'again')]],
      [60, [printing(60, 'Coroutines', 'co')]],
    ]);
    await runDemos(groups, { quick: true, out: (line) => lines.push(line), signal: new AbortController().signal });
    expect(lines.map((line) => line.replace(/\d+\.\d{3}/, 'S'))).toEqual([
      '== Item 53: Threads',
      'io ran quick',
      '',
      '== Item 53: Threads: parallelism',
      'cpu ran quick',
      'again ran quick',
      '(item 53 took S seconds)',
      '',
      '== Item 60: Coroutines',
      'co ran quick',
      '(item 60 took S seconds)',
    ]);
  });

  it('hands every demo the same context and stops at the first failure', async () => {
    const seen: DemoContext[] = [];
    const failure = new Error('demo broke');
    const failing: Demo = { item: 54, title: 'Lock', run: async (ctx) => { seen.push(ctx); throw failure; } };
    const never: Demo = { item: 55, title: 'Queue', run: async (ctx) => { seen.push(ctx); } };
    const ctx: DemoContext = { quick: false, out: () => {}, signal: new AbortController().signal };
    expect(await settle(runDemos(new Map([[54, [failing]], [55, [never]]]), ctx))).toEqual({ ok: false, error: failure });
    expect(seen).toEqual([ctx]);
  });
});
