/**
 * How a pool starts one worker thread so that it runs TypeScript in development and compiled
 * JavaScript in production, whatever flags the parent process was started with.
 *
 * - The thread starts from a tiny evaluated bootstrap that imports the real entry
 *   (`worker/entry.js` next to this file in `dist/`, `worker/entry.ts` when loom itself runs
 *   from source, as under vitest). The bootstrap is written to be valid both as a script and
 *   as a module, because an inherited `--input-type=module` makes evaluated code a module.
 * - When the entry or the task module is TypeScript (`.ts`, `.mts`, `.cts`), the bootstrap
 *   first calls tsx's `register()` (from `tsx/esm/api`) inside the thread. On Node 20,
 *   `execArgv: ['--import', 'tsx']` on a `Worker` does not work: the thread's entry is loaded
 *   before tsx's hooks apply, and fails with `ERR_UNKNOWN_FILE_EXTENSION` (measured on 20.20,
 *   with or without `--import tsx` on the parent). tsx is resolved from the task module's
 *   folder first, then from the current directory, then from loom's own; it must be installed
 *   (a dev dependency is enough). Compiled `.js` task modules need nothing.
 * - The thread inherits the parent's `execArgv` (so `--conditions`, `--import` and the like
 *   apply), except the flags a worker refuses (`ERR_WORKER_INVALID_EXEC_ARGV`, such as
 *   `--max-old-space-size`: use `resourceLimits`), which are dropped; `node --input-type=module
 *   -e …` and `node --import tsx app.ts` both work.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { WorkerStartData } from './protocol.js';

/** loom's own worker entry, `.ts` when loom runs from source. */
const ENTRY_URL = new URL(`./worker/entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

const TYPESCRIPT = /\.[mc]?ts$/;

/**
 * Evaluated in the new thread. Uses only `import()` so that it runs as a script or as a module.
 * `workerData.bootstrap` holds the entry URL and, when TypeScript is involved, tsx's API URL.
 */
const BOOTSTRAP = `
import('node:worker_threads').then(async ({ workerData }) => {
  const { tsx, entry } = workerData.bootstrap;
  if (tsx !== undefined) (await import(tsx)).register();
  await import(entry);
});
`;

/** What `bootstrap` reads from `workerData`, beside the entry's own {@link WorkerStartData}. */
interface BootstrapData {
  readonly tsx: string | undefined;
  readonly entry: string;
}

/** The options of one thread, computed once per pool. */
export interface SpawnOptions {
  readonly moduleUrl: string;
  readonly resourceLimits: ResourceLimits | undefined;
  /** `undefined`: the parent's flags (filtered); else exactly these. */
  readonly execArgv: readonly string[] | undefined;
}

/** Flags found invalid in workers, by the pool that tried them; shared so each is only tried once. */
const refusedFlags = new Set<string>();

/** Starts one worker thread for a pool. */
export function spawnWorker(options: SpawnOptions): Worker {
  const bootstrap: BootstrapData = { tsx: tsxFor(options.moduleUrl), entry: ENTRY_URL };
  const workerData: WorkerStartData & { bootstrap: BootstrapData } = { moduleUrl: options.moduleUrl, bootstrap };
  for (;;) {
    const execArgv = options.execArgv ?? process.execArgv.filter((flag) => !refusedFlags.has(flag.split('=')[0] as string));
    try {
      return new Worker(BOOTSTRAP, {
        eval: true,
        workerData,
        execArgv: [...execArgv],
        ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
      });
    } catch (error) {
      const refused = refusedIn(error);
      if (options.execArgv !== undefined || refused.length === 0 || refused.every((flag) => refusedFlags.has(flag))) throw error;
      for (const flag of refused) refusedFlags.add(flag);
    }
  }
}

/** The flag names listed by an `ERR_WORKER_INVALID_EXEC_ARGV` ("…execArgv flags: --a=1, --b"). */
function refusedIn(error: unknown): string[] {
  if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return [];
  const list = (error as Error).message.split(': ')[1] ?? '';
  return list
    .split(',')
    .map((flag) => flag.trim().split('=')[0] as string)
    .filter((flag) => flag.startsWith('-'));
}

/** tsx's ESM API as a URL when TypeScript must be loaded in the thread, else `undefined`. */
function tsxFor(moduleUrl: string): string | undefined {
  if (!TYPESCRIPT.test(ENTRY_URL) && !TYPESCRIPT.test(moduleUrl)) return undefined;
  const bases = [moduleUrl.startsWith('file:') ? moduleUrl : undefined, pathToFileURL(`${process.cwd()}/`).href, import.meta.url];
  for (const base of bases) {
    if (base === undefined) continue;
    try {
      // tsx's ESM entry: `require.resolve` would give its CommonJS twin, whose register() cannot
      // load in a thread, and `import.meta.resolve` is not available under every test runner.
      const manifest = createRequire(base).resolve('tsx/package.json');
      const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
      const entry = exports['./esm/api']?.import.default;
      if (entry !== undefined) return new URL(entry, pathToFileURL(manifest)).href;
    } catch {
      // not installed where this base looks; try the next one
    }
  }
  throw new Error(`Loading the TypeScript module ${moduleUrl} in a worker needs tsx (npm install --save-dev tsx), or compile it to JavaScript`);
}
