import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as sync from '../../src/sync/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every module specifier `file` imports or re-exports, statically or dynamically. */
function specifiers(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((match) => match[1] as string);
}

/** The files reachable from `entry` through relative imports, and every other specifier they name. */
function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of specifiers(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier).replace(/\.js$/, '.ts'));
      else external.add(specifier);
    }
  };
  visit(entry);
  return { files, external };
}

describe('loom/sync', () => {
  it('exports exactly its public names and the errors they throw (types aside)', () => {
    expect(Object.keys(sync).sort()).toEqual([
      'Barrier',
      'BoundedSemaphore',
      'BrokenBarrierError',
      'Condition',
      'Event',
      'InvalidStateError',
      'Mutex',
      'Semaphore',
      'TimeoutError',
    ]);
  });

  it('loads neither worker_threads nor child_process, directly or through core', () => {
    const { files, external } = importGraph(resolve(root, 'src/sync/index.ts'));
    expect(files.size).toBeGreaterThan(5);
    expect([...files].every((file) => file.includes('/src/sync/') || file.includes('/src/core/'))).toBe(true);
    expect([...external].filter((name) => /worker_threads|child_process/.test(name))).toEqual([]);
    expect(specifiers(resolve(root, 'src/core/wait-queue.ts'))).toContain('./deadline.js');
  });
});
