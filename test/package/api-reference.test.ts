/**
 * The API reference (`npm run docs`, TypeDoc) documents every subpath of the package: its entry
 * points are exactly the sources of `package.json` `exports`, so a new subpath cannot ship
 * undocumented. CI builds the reference itself, with warnings as errors.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function json<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as T;
}

describe('typedoc.json', () => {
  it('has one entry point per subpath of the package', () => {
    const { exports } = json<{ exports: Record<string, string> }>('package.json');
    const { entryPoints } = json<{ entryPoints: string[] }>('typedoc.json');
    const sources = Object.values(exports)
      .filter((target) => target.startsWith('./dist/src/'))
      .map((target) => target.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
    expect([...entryPoints].sort()).toEqual(sources.sort());
  });

  it('treats warnings as errors and leaves internals out', () => {
    const config = json<{ treatWarningsAsErrors: boolean; excludeInternal: boolean; validation: Record<string, boolean> }>('typedoc.json');
    expect(config.treatWarningsAsErrors).toBe(true);
    expect(config.excludeInternal).toBe(true);
    expect(config.validation).toMatchObject({ notExported: true, notDocumented: true, invalidLink: true });
  });
});
