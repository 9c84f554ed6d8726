/**
 * The package as a user installs it: `npm pack`, then the tarball installed into a fresh project
 * outside the repository (offline: loom has no runtime dependencies; TypeScript and
 * `@types/node` are linked from this repository's `node_modules`, as the project's
 * devDependencies would be, and so is each peer dependency, as a user of that layer installs
 * it). There every subpath of `exports` is imported from TypeScript under `nodenext` and
 * type-checked, a small program runs, `require('loom')` works from CommonJS (Node >= 20.19
 * loads ES modules through `require`), and the `loom` command answers. publint and
 * arethetypeswrong check the same tarball. `npm test` builds the package first.
 */

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
/** Every importable subpath: `loom`, `loom/sync`, ... (`./package.json` is metadata, not code). */
const SUBPATHS = Object.keys(pkg.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
const MAX_PACKED_BYTES = 1_000_000;

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

interface Ran {
  code: number;
  stdout: string;
  /** stdout and stderr, for messages. */
  output: string;
}

/** Runs a command to its end and reports its exit code and everything it printed; never rejects. */
function exec(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd, env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false', ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, output: `${stdout}${stderr}` });
      },
    );
    child.stdin?.end();
  });
}

/** Runs a command that must succeed and returns its stdout (npm writes notices and warnings to stderr). */
async function ok(command: string, args: readonly string[], cwd: string): Promise<string> {
  const ran = await exec(command, args, cwd);
  if (ran.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${ran.code}:\n${ran.output}`);
  return ran.stdout;
}

let work: string;
let app: string;
let packed: Packed;
let tarball: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'index.js'))) throw new Error('The package is not built: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'loom-package-'));
  const [first] = JSON.parse(await ok('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT)) as Packed[];
  if (first === undefined) throw new Error('npm pack reported no package');
  packed = first;
  tarball = join(work, packed.filename);

  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'loom-user', private: true, type: 'module' }));
  await ok('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], app);
  const linked = ['typescript', '@types/node', ...Object.keys(pkg.peerDependencies ?? {})];
  for (const name of linked) {
    const from = join(ROOT, 'node_modules', name);
    if (!existsSync(from)) continue;
    mkdirSync(join(app, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(from, join(app, 'node_modules', name), 'dir');
  }
}, 240_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it(`is under ${MAX_PACKED_BYTES} bytes`, () => {
    console.log(`packed ${packed.filename}: ${packed.size} bytes (${packed.unpackedSize} unpacked, ${packed.files.length} files)`);
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
  });

  it('holds the built library, its types and the demos, and no tests, benchmarks or source maps', () => {
    const paths = packed.files.map((file) => file.path);
    const unexpected = paths.filter(
      (path) => !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/.test(path) && !/^dist\/(src|examples)\/.+\.(js|d\.ts)$/.test(path),
    );
    expect(unexpected).toEqual([]);
    for (const target of Object.values(pkg.exports)) {
      const shipped = target.replace(/^\.\//, '');
      expect(paths).toContain(shipped);
      if (shipped.endsWith('.js')) expect(paths).toContain(shipped.replace(/\.js$/, '.d.ts'));
    }
  });

  it('passes publint, warnings included', async () => {
    const ran = await exec(join(BIN, 'publint'), ['run', '--strict', tarball], work);
    expect(ran.code, ran.output).toBe(0);
  });

  it('passes arethetypeswrong as an ESM-only package', async () => {
    const ran = await exec(join(BIN, 'attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], work);
    expect(ran.code, ran.output).toBe(0);
  });
});

describe('installed into a fresh project', () => {
  it('type-checks an import of every subpath under moduleResolution nodenext, and runs', async () => {
    const names = SUBPATHS.map((_path, i) => `layer${i}`);
    const program = [
      `import { Mutex, map } from '${pkg.name}';`,
      ...SUBPATHS.map((path, i) => `import * as ${names[i]} from '${path}';`),
      `const layers: Record<string, object> = { ${SUBPATHS.map((path, i) => `'${path}': ${names[i]}`).join(', ')} };`,
      'const mutex = new Mutex();',
      'let count = 0;',
      'await Promise.all(Array.from({ length: 5 }, () => mutex.runExclusive(async () => {',
      '  const seen = count;',
      '  await new Promise((resolve) => setTimeout(resolve, 1));',
      '  count = seen + 1;',
      '})));',
      'const squares: number[] = await map([1, 2, 3], async (n: number) => n * n, { concurrency: 2 });',
      'const exported = Object.fromEntries(Object.entries(layers).map(([path, layer]) => [path, Object.keys(layer).length > 0]));',
      'console.log(JSON.stringify({ count, squares, exported }));',
    ].join('\n');
    writeFileSync(join(app, 'main.ts'), program);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'ESNext.Disposable'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          types: ['node'],
          strict: true,
          skipLibCheck: true,
        },
        files: ['main.ts'],
      }),
    );
    await ok(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], app);
    const printed = JSON.parse(await ok(process.execPath, ['main.js'], app)) as unknown;
    expect(printed).toEqual({ count: 5, squares: [1, 4, 9], exported: Object.fromEntries(SUBPATHS.map((path) => [path, true])) });
  });

  it('loads from CommonJS with require() (require(esm), Node >= 20.19)', async () => {
    const script = `const loom = require('loom'); const sync = require('loom/sync'); console.log(typeof loom.Mutex, loom.Mutex === sync.Mutex);`;
    const ran = await exec(process.execPath, ['--input-type=commonjs', '-e', script], app);
    expect(ran.code, ran.output).toBe(0);
    expect(ran.output).toMatch(/^function true$/m);
  });

  it('answers `npx loom --version` with the package version', async () => {
    expect((await ok('npx', ['loom', '--version'], app)).trim()).toBe(pkg.version);
  });

  it('runs `npx loom demo 54 --quick`', async () => {
    const output = await ok('npx', ['loom', 'demo', '54', '--quick'], app);
    expect(output).toMatch(/^\(item 54 took [\d.]+ seconds\)$/m);
  });
});
