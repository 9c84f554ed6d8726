import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readVersion } from '../../src/cli/version.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('readVersion', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('finds loom\'s package.json above the module', async () => {
    expect(await readVersion()).toBe(version);
  });

  it('skips a package.json of another name on the way up', async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-version-'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'loom', version: '9.8.7' }));
    await mkdir(join(dir, 'node_modules', 'other', 'lib'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'other', 'package.json'), JSON.stringify({ name: 'other', version: '1.0.0' }));
    expect(await readVersion(pathToFileURL(join(dir, 'node_modules', 'other', 'lib') + '/'))).toBe('9.8.7');
  });

  it('rejects, naming where it looked, when no package.json named loom is above', async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-version-'));
    const from = pathToFileURL(dir + '/');
    await expect(readVersion(from)).rejects.toThrow(`No package.json named loom above ${from.pathname}`);
  });
});
