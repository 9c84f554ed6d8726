/**
 * `npm run photos` as a shell runs it: the BUILT `dist/examples/photos.js` in a child process
 * (so the compiled task module is the one the threads load), with stdout a pipe. It must write
 * no progress line there (no carriage return, no escape sequence), exit 0 when the checks pass,
 * 2 for a bad command line, and 130 on Ctrl-C once everything is closed.
 */

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PHOTOS = fileURLToPath(new URL('../../dist/examples/photos.js', import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built example with `args`; `onLine` sees each stdout line as it arrives (to send a signal). */
function photos(args: readonly string[], onLine: (line: string, kill: (signal: NodeJS.Signals) => void) => void = () => undefined): Promise<Finished> {
  if (!existsSync(PHOTOS)) throw new Error(`${PHOTOS} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const child = spawn(process.execPath, [PHOTOS, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (stdout.slice(stdout.lastIndexOf('\n') + 1) + chunk).split('\n').slice(0, -1);
    stdout += chunk;
    for (const line of lines) onLine(line, (signal) => child.kill(signal));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('node dist/examples/photos.js', { timeout: 90_000 }, () => {
  it('runs quick with stdout a pipe: checks pass, exit 0, no progress line written', async () => {
    const { code, stdout, stderr } = await photos(['--quick', '--count', '3']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Check, pipelined run: 3 uploads, each exactly once, each 80x60: ok\n');
    expect(stdout).toContain('Check, serial run: 3 uploads, each exactly once, each 80x60: ok\n');
    expect(stdout.includes('\r') || stdout.includes('\x1b')).toBe(false);
  });

  it('exits 2 with the mistake and the usage for a bad command line', async () => {
    const { code, stdout, stderr } = await photos(['--count', 'many']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe('Expected `--count` to be an integer from 1 to 1000, got `"many"` (string)');
    expect(stderr).toContain('Usage: npm run photos');
  });

  it('exits 130 on SIGINT, saying so', async () => {
    const { code, stderr } = await photos(['--quick'], (line, kill) => {
      if (line.startsWith('Server latency')) kill('SIGINT');
    });
    expect(stderr).toBe('Interrupted\n');
    expect(code).toBe(130);
  });
});
