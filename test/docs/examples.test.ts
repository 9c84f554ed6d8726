/**
 * No example can rot: every TypeScript block of `README.md` and `docs/*.md` (pages added later
 * included) is type-checked against the built package and, unless its fence says `no-run`,
 * run as a program with a time limit; every `@example` in the TSDoc of the public API (the
 * modules the package's subpaths export from) is type-checked. `npm test` builds the package first; run
 * `npm run build` before running this file alone.
 */

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownBlocks, tsdocBlocks, type Block } from './blocks.js';
import { buildProject, type BuiltProject, type PlacedBlock } from './project.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Wall-clock limit for one block: examples finish in a couple of seconds; the machine may be loaded. */
const RUN_LIMIT_MS = 20_000;

function read(path: string): string {
  return readFileSync(new URL(path, `file://${ROOT}`), 'utf8');
}

function pages(): string[] {
  const docs = readdirSync(new URL('docs/', `file://${ROOT}`)).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

/**
 * The source files that make up the public API: the entry point of every subpath in
 * `package.json` `exports` and, transitively, every module they re-export from. Their TSDoc is
 * what the API reference renders; internal modules' comments speak of names a user cannot import.
 */
function publicSourceFiles(): string[] {
  const pkg = JSON.parse(read('package.json')) as { exports: Record<string, string> };
  const pending = Object.values(pkg.exports)
    .filter((target) => target.startsWith('./dist/src/'))
    .map((target) => target.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
  const seen = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, from = ''] of read(file).matchAll(/^export\s[^;]*?\sfrom\s+'(\.[^']+)'/gm)) {
      pending.push(posix.join(posix.dirname(file), from).replace(/\.js$/, '.ts'));
    }
  }
  return [...seen].sort();
}

const pageBlocks = pages().flatMap((page) => markdownBlocks(page, read(page)));
const tsdoc = publicSourceFiles().flatMap((file) => tsdocBlocks(file, read(file)));
const runnable = pageBlocks.filter((block) => block.mode === 'run');

let project: BuiltProject;
const placedOf = new Map<Block, PlacedBlock>();

beforeAll(() => {
  if (!existsSync(`${ROOT}dist/src/index.d.ts`)) throw new Error('The package is not built: run `npm run build` first');
  project = buildProject(ROOT, [...pageBlocks, ...tsdoc]);
  for (const entry of project.blocks) placedOf.set(entry.block, entry);
}, 120_000);

afterAll(() => {
  project?.remove();
  const count = (mode: Block['mode']): number => pageBlocks.filter((block) => block.mode === mode).length;
  console.log(
    `doc examples in ${pages().length} pages: ${count('run')} type-checked and executed, ` +
      `${count('check')} type-checked only (no-run), ${count('module')} companion modules; ` +
      `${tsdoc.length} TSDoc @example blocks type-checked`,
  );
});

describe('documentation examples', () => {
  it('finds the pages\' examples', () => {
    expect(runnable.length).toBeGreaterThan(0);
    expect(tsdoc.length).toBeGreaterThan(0);
  });

  it('type-check against the built package', () => {
    expect(project.errors).toEqual([]);
  });

  describe.concurrent('run', () => {
    for (const block of runnable) {
      it(`${block.source}:${block.line}`, async () => {
        const placed = placedOf.get(block);
        if (placed === undefined) throw new Error('block was not placed');
        const result = await runNode(placed);
        expect(result.error, result.output).toBeUndefined();
      }, RUN_LIMIT_MS + 5_000);
    }
  });
});

/** Runs a block's JavaScript in a fresh node process, in its page's folder, with no stdin. */
function runNode(placed: PlacedBlock): Promise<{ error: string | undefined; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [placed.jsFile],
      { cwd: placed.dir, timeout: RUN_LIMIT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error === null) resolve({ error: undefined, output });
        else if (error.killed) resolve({ error: `timed out after ${RUN_LIMIT_MS} ms`, output });
        else resolve({ error: `exited with ${String(error.code ?? error.signal)}`, output });
      },
    );
    child.stdin?.end();
  });
}
