/**
 * The photo example needs jimp, a devDependency: nothing the published `loom` command loads
 * (its entry point, and `examples/index.ts`, the demo list) may reach it. Found by walking,
 * from those entry points through the sources, the static and dynamic relative imports and
 * the `new URL('./…', import.meta.url)` references (the modules a `WorkerPool` loads).
 */

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);

/**
 * `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')` specifiers of
 * `source`, and the relative paths of `new URL('./…'` (up to a template's first `${`).
 */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"`](\.[^'"`$]*)/gm;
  for (const match of source.matchAll(pattern)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (specifier !== undefined) found.push(specifier);
  }
  return found;
}

/** The source file a relative specifier names: `.js` is compiled from `.ts`; no extension, a `.ts` file. */
function sourceOf(specifier: string, from: URL): URL | undefined {
  const url = new URL(/\.js$/.test(specifier) ? specifier.replace(/\.js$/, '.ts') : /\.[a-z]+$/.test(specifier) ? specifier : `${specifier}.ts`, from);
  return existsSync(url) && url.pathname.endsWith('.ts') ? url : undefined;
}

/** Every source file reached from `entries` (paths relative to the repository), and every bare specifier met. */
function reach(entries: readonly string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = entries.map((entry) => new URL(entry, ROOT));
  for (let url = pending.pop(); url !== undefined; url = pending.pop()) {
    const path = url.href.slice(ROOT.href.length);
    if (files.has(path)) continue;
    files.add(path);
    for (const specifier of specifiers(readFileSync(url, 'utf8'))) {
      if (!specifier.startsWith('.')) packages.add(specifier);
      else {
        const file = sourceOf(specifier, url);
        if (file !== undefined) pending.push(file);
      }
    }
  }
  return { files, packages };
}

describe('what the loom command loads', () => {
  const { files, packages } = reach(['src/cli/main.ts', 'examples/index.ts']);

  it('is found by the walk (the demos and the CLI commands)', () => {
    expect(files).toContain('examples/55-queue.ts');
    expect(files).toContain('src/cli/commands.ts');
    expect(files).toContain('src/workers/pool.ts');
  });

  it('reaches neither the photo example nor jimp', () => {
    expect([...files].filter((file) => file.startsWith('examples/photos'))).toEqual([]);
    expect([...packages].filter((name) => name === 'jimp' || name.startsWith('@jimp/'))).toEqual([]);
  });

  it('would notice if it did', () => {
    const photos = reach(['examples/photos.ts']);
    expect(photos.files).toContain('examples/photos/thumbnail.ts');
    expect(photos.packages).toContain('jimp');
  });
});
