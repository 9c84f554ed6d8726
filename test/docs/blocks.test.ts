/** The block finder the documentation runner relies on: which fences it takes, and where they are. */

import { describe, expect, it } from 'vitest';
import { markdownBlocks, tsdocBlocks } from './blocks.js';

describe('markdownBlocks', () => {
  it('takes ts fences with their mode and the line of their first code line', () => {
    const page = ['# Title', '', '```ts', 'run();', '```', '```sh', 'npm test', '```', '```ts no-run', 'forever();', '```', '```ts file=task.ts', 'export const x = 1;', '```'].join('\n');
    expect(markdownBlocks('docs/page.md', page)).toEqual([
      { source: 'docs/page.md', line: 4, code: 'run();', mode: 'run' },
      { source: 'docs/page.md', line: 10, code: 'forever();', mode: 'check' },
      { source: 'docs/page.md', line: 13, code: 'export const x = 1;', mode: 'module', file: 'task.ts' },
    ]);
  });

  it('does not read fences inside a longer fence', () => {
    const page = ['````md', '```ts', 'shown();', '```', '````'].join('\n');
    expect(markdownBlocks('README.md', page)).toEqual([]);
  });

  it('fails on an unknown marker or a companion name that is not a plain .ts file', () => {
    expect(() => markdownBlocks('docs/a.md', '```ts norun\nx();\n```')).toThrow('docs/a.md:1: unknown fence marker `norun` (known: `no-run`, `file=NAME.ts`)');
    expect(() => markdownBlocks('docs/a.md', '```ts file=../up.ts\nx();\n```')).toThrow('unknown fence marker `file=../up.ts`');
  });

  it('fails on a fence that is never closed', () => {
    expect(() => markdownBlocks('docs/a.md', 'text\n```ts\nx();')).toThrow('docs/a.md:2: the fence opened here is never closed');
  });
});

describe('tsdocBlocks', () => {
  it('strips comment prefixes, keeps indentation, and checks without running', () => {
    const source = ['const a = 1;', '/**', ' * Sums.', ' *', ' * @example', ' * ```ts', ' * if (a) {', ' *   sum();', ' * }', ' * ```', ' */', 'export function sum() {}'].join('\n');
    expect(tsdocBlocks('src/sum.ts', source)).toEqual([{ source: 'src/sum.ts', line: 7, code: 'if (a) {\n  sum();\n}', mode: 'check' }]);
  });
});
