/**
 * Builds the examples into a throwaway project outside the repository, where `'loom'` and
 * `'loom/<layer>'` resolve to the built package through its `exports` map (a `node_modules/loom`
 * link to the repository root, as `npm link` makes), never to `src/`; `@types/node` and the
 * package's peer dependencies are linked from the repository's `node_modules`. Every block is one module
 * file; all of them are type-checked as one TypeScript program, so the cost of loading the
 * package's declarations and `@types/node` is paid once.
 */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import type { Block } from './blocks.js';

/** A block placed in the project: where its source and its compiled JavaScript are. */
export interface PlacedBlock {
  readonly block: Block;
  readonly tsFile: string;
  readonly jsFile: string;
  /** The folder of the block's page: its working directory when it runs. */
  readonly dir: string;
}

export interface BuiltProject {
  readonly root: string;
  readonly blocks: PlacedBlock[];
  /** Type errors, each as `docs/sync.md:12:3 - TS2345: ...` (the line in the page, not in the block file). */
  readonly errors: string[];
  remove(): void;
}

/** The compiler options a careful user would have: strict, NodeNext, `using` available. */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: true,
  noEmitOnError: false,
};

/** A file name for the page a block came from: `docs/sync.md` -> `docs-sync.md`. */
function pageFolder(source: string): string {
  return source.replace(/[/\\]/g, '-');
}

/**
 * Writes `blocks` into a fresh project linked to the package at `packageRoot`, type-checks them
 * together and emits JavaScript next to each block. Emits even when a block has type errors,
 * so the rest still run.
 */
export function buildProject(packageRoot: string, blocks: readonly Block[]): BuiltProject {
  const root = mkdtempSync(join(tmpdir(), 'loom-doc-examples-'));
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(packageRoot, join(root, 'node_modules', 'loom'), 'dir');
  // `@types/node`, and each peer dependency (`bullmq` for `loom/bullmq`), as a user of that layer installs it.
  const { peerDependencies = {} } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
  for (const name of ['@types/node', ...Object.keys(peerDependencies)]) {
    const installed = join(packageRoot, 'node_modules', name);
    if (!existsSync(installed)) continue;
    mkdirSync(join(root, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(installed, join(root, 'node_modules', name), 'dir');
  }
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'loom-doc-examples', private: true, type: 'module' }));

  const placed: PlacedBlock[] = [];
  const origin = new Map<string, Block>();
  for (const block of blocks) {
    const dir = join(root, pageFolder(block.source));
    mkdirSync(dir, { recursive: true });
    const name = block.file ?? `line-${block.line}.ts`;
    const tsFile = join(dir, name);
    // A block without an import or export is a script to TypeScript, where top-level `await`
    // is an error; `export {}` at its end makes it a module without moving any line.
    const isModule = /^\s*(import|export)\s/m.test(block.code);
    writeFileSync(tsFile, isModule ? block.code : `${block.code}\nexport {};\n`);
    placed.push({ block, tsFile, jsFile: tsFile.replace(/\.ts$/, '.js'), dir });
    origin.set(tsFile, block);
  }

  const program = ts.createProgram(placed.map((entry) => entry.tsFile), { ...OPTIONS, rootDir: root, outDir: root });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  program.emit();
  return {
    root,
    blocks: placed,
    errors: diagnostics.map((diagnostic) => describe(diagnostic, origin)),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

function describe(diagnostic: ts.Diagnostic, origin: ReadonlyMap<string, Block>): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const file = diagnostic.file;
  if (file === undefined || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
  const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
  const block = origin.get(file.fileName);
  const where = block === undefined ? `${file.fileName}:${line + 1}` : `${block.source}:${block.line + line}`;
  return `${where}:${character + 1} - TS${diagnostic.code}: ${message}`;
}
