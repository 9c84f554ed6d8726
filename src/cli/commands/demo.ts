/**
 * `loom demo [item...] [--quick]`: runs the seed's examples from `examples/` (the list in
 * `examples/index.ts`), all of them or the items named, with a header per item and the time
 * the item took. Several demos may share an item (53 has blocking I/O and parallelism); they
 * run one after the other, in the list's order, each under its own header when its title
 * differs, with one time for the whole item.
 *
 * The examples are imported when the command runs, not when the CLI starts, so that
 * `loom --help` does not load child processes and worker threads it will never use.
 *
 * @module
 */

import type { Demo, DemoContext } from '../../../examples/harness.js';
import { seconds } from '../../../examples/harness.js';
import { UsageError, type Command } from '../command.js';

/**
 * The demo command.
 *
 * @example
 * ```ts
 * await demoCommand.run({ positionals: ['54'], values: { quick: true }, out: console.log, err: console.error, signal });
 * ```
 */
export const demoCommand: Command = {
  name: 'demo',
  usage: '[item...] [--quick]',
  summary: 'Runs the seed\'s examples and prints what each shows, with measured times next to the seed\'s.',
  details: [
    'Items are the seed\'s item numbers (e.g. `loom demo 54 55`); without any, every item runs in order.',
  ],
  options: {
    quick: { type: 'boolean', short: 'q', description: 'Smaller sizes: every item finishes in a second or two.' },
  },
  async run({ positionals, values, out, signal }) {
    const { demos } = await import('../../../examples/index.js');
    await runDemos(selectItems(positionals, demos), { quick: values.quick === true, out, signal });
  },
};

/**
 * Runs the selected groups in order: a header `== Item N: <title>` per item (and per later
 * demo of the item with another title), the demos' own lines, then `(item N took S seconds)`,
 * with a blank line between items. Rejects with the first demo's failure; later demos do not run.
 *
 * @example
 * ```ts
 * await runDemos(selectItems(['54'], demos), { quick: true, out: console.log, signal });
 * ```
 */
export async function runDemos(groups: ReadonlyMap<number, readonly Demo[]>, ctx: DemoContext): Promise<void> {
  const { out } = ctx;
  for (const [index, [item, group]] of [...groups].entries()) {
    if (index > 0) out('');
    const [first] = group;
    out(`== Item ${item}: ${first?.title ?? ''}`);
    const start = performance.now();
    for (const demo of group) {
      if (demo !== first && demo.title !== first?.title) {
        out('');
        out(`== Item ${item}: ${demo.title}`);
      }
      await demo.run(ctx);
    }
    out(`(item ${item} took ${seconds(performance.now() - start)} seconds)`);
  }
}

/**
 * The demos to run, grouped by item in the order the items were named (duplicates once), or
 * every item in list order when none was named. Throws {@link UsageError} for a word that is
 * not one of the listed item numbers.
 *
 * @example
 * ```ts
 * const groups = selectItems(['55', '53'], demos); // Map { 55 => [queue demo], 53 => [blocking I/O, parallelism] }
 * ```
 */
export function selectItems(words: readonly string[], demos: readonly Demo[]): Map<number, Demo[]> {
  const byItem = new Map<number, Demo[]>();
  for (const demo of demos) byItem.set(demo.item, [...(byItem.get(demo.item) ?? []), demo]);
  if (words.length === 0) return byItem;
  const known = [...byItem.keys()].sort((a, b) => a - b);
  const selected = new Map<number, Demo[]>();
  for (const word of words) {
    const group = /^\d+$/.test(word) ? byItem.get(Number(word)) : undefined;
    if (group === undefined) throw new UsageError(`Unknown item ${word}: expected one of ${known.join(', ')}`);
    selected.set(Number(word), group);
  }
  return selected;
}
