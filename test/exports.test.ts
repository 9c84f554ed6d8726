/**
 * The public surface, pinned (after trio's `test_exports.py`): every name `loom` exports, and
 * what each subpath loads. Run against the built package (`npm test` builds first) through
 * the package's own `exports` map, as a user imports it.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, string> };
/** The layers' subpaths (`sync` for `loom/sync`), read from the package's own `exports`. */
const layers = Object.keys(pkg.exports)
  .filter((key) => key !== '.' && key !== './package.json')
  .map((key) => key.slice(2));

/** Runs `source` as an ES module in a fresh node process at the repository root and parses what it prints. */
function inFreshProcess(source: string): unknown {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

describe('the package surface', () => {
  it('exports exactly the public names from the root', () => {
    const names = inFreshProcess(`console.log(JSON.stringify(Object.keys(await import('loom')).sort()))`);
    expect(names).toMatchSnapshot();
  });

  it('offers one subpath per layer', () => {
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './bullmq', './life', './package.json', './parallel', './pipeline', './queue', './subprocess', './sync', './tasks', './workers']);
  });

  it.each(['sync', 'queue', 'tasks', 'pipeline'])('loads neither worker_threads nor child_process with loom/%s', (layer) => {
    const loaded = inFreshProcess(
      `await import('loom/${layer}'); console.log(JSON.stringify(process.moduleLoadList.filter((name) => /worker_threads|child_process/.test(name))))`,
    );
    expect(loaded).toEqual([]);
  });

  // The hook makes `bullmq` and `ioredis` unresolvable, as where they are not installed: a layer
  // that loaded either (even the root, which re-exports loom/bullmq's names) fails to import.
  it.each(['loom', ...layers.map((layer) => `loom/${layer}`)])(
    'loads neither bullmq nor ioredis with %s, and works without them',
    (specifier) => {
      const hook = `export async function resolve(specifier, context, next) {
        if (/^(bullmq|ioredis)(\\/|$)/.test(specifier)) throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' });
        return next(specifier, context);
      }`;
      const loaded = inFreshProcess(`
        import { register } from 'node:module';
        register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
        const layer = await import('${specifier}');
        let construct = 'no BullExecutor here';
        if (layer.BullExecutor !== undefined) {
          try { new layer.BullExecutor({ queue: 'q', connection: 'redis://127.0.0.1:1' }); } catch (error) { construct = error.message; }
        }
        console.log(JSON.stringify({ names: Object.keys(layer).length > 0, construct }));
      `);
      const construct = ['loom', 'loom/bullmq'].includes(specifier)
        ? 'BullExecutor needs the optional peer dependency "bullmq": install it with `npm install bullmq ioredis`'
        : 'no BullExecutor here';
      expect(loaded).toEqual({ names: true, construct });
    },
  );

  it('re-exports every subpath name from the root, as the same object', () => {
    const missing = inFreshProcess(`
      const root = await import('loom');
      const missing = [];
      for (const layer of ${JSON.stringify(layers)}) {
        const sub = await import('loom/' + layer);
        for (const [name, value] of Object.entries(sub)) if (root[name] !== value) missing.push(layer + '.' + name);
      }
      console.log(JSON.stringify(missing));
    `);
    expect(missing).toEqual([]);
  });
});
