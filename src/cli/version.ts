/**
 * The version `loom --version` prints: the `version` field of loom's own `package.json`.
 *
 * The file is found by walking up from this module rather than by a fixed relative path,
 * because the module runs from three depths: `src/cli/` (through tsx), `dist/src/cli/` (the
 * build) and `node_modules/loom/dist/src/cli/` (installed). Importing the JSON with an import
 * attribute was rejected: `package.json` lies outside `rootDir` for the compiler, and the
 * attribute syntax is still flagged experimental on Node 20.
 *
 * @module
 */

import { readFile } from 'node:fs/promises';

/** The package whose version we report; a `package.json` of another name on the way up is skipped. */
const PACKAGE_NAME = 'loom';

/**
 * Resolves to loom's version, e.g. `0.2.0`. Rejects when no `package.json` named `loom` lies
 * above `from` (a broken installation), naming the folder it started from.
 *
 * @example
 * ```ts
 * console.log(await readVersion()); // 0.2.0
 * ```
 */
export async function readVersion(from: URL = new URL('.', import.meta.url)): Promise<string> {
  for (let dir = from; ; dir = new URL('..', dir)) {
    const manifest = await readManifest(new URL('package.json', dir));
    if (manifest?.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
    if (new URL('..', dir).href === dir.href) {
      throw new Error(`No package.json named ${PACKAGE_NAME} above ${from.pathname}`);
    }
  }
}

/** The parsed manifest at `url`, or `undefined` when there is no file there. */
async function readManifest(url: URL): Promise<{ name?: unknown; version?: unknown } | undefined> {
  let text: string;
  try {
    text = await readFile(url, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A manifest is an object by npm's rules; a file that is not one fails the name check below.
  return JSON.parse(text) as { name?: unknown; version?: unknown };
}
