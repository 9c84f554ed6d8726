/**
 * `npm run photos -- --redis URL`: the photo pipeline with its resize stage on two `loom
 * worker` processes through BullMQ, end to end in quick mode. Asserted: every upload of both
 * runs arrived exactly once at the thumbnail size, and the resize stage saw every photo; never
 * timings. Also the `--redis` option's own checks.
 */

import { setMaxListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/photos.js';
import { parsePhotosArgs, UsageError } from '../../examples/photos/args.js';
import { redisUrl } from '../bullmq/support.js';

describe('npm run photos -- --redis: the option', () => {
  it('takes a redis:// URL', () => {
    expect(parsePhotosArgs(['--quick', '--redis', 'redis://127.0.0.1:6379'], 2)).toMatchObject({ redis: 'redis://127.0.0.1:6379' });
    expect(parsePhotosArgs(['--redis=rediss://cache:6380/1'], 2)).toMatchObject({ redis: 'rediss://cache:6380/1' });
    expect(parsePhotosArgs([], 2)).toMatchObject({ redis: undefined });
  });

  it.each([
    [['--redis'], 'Expected `--redis` to be followed by a redis:// URL, got `undefined`'],
    [['--redis', 'http://127.0.0.1'], 'Expected `--redis` to be a redis:// or rediss:// URL of at most 2048 characters, got `"http://127.0.0.1"` (string)'],
    [['--redis', 'redis://a', '--redis', 'redis://b'], 'Option --redis given twice'],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parsePhotosArgs(argv, 2)).toThrow(new UsageError(message));
  });
});

describe.skipIf(redisUrl === undefined)('npm run photos -- --redis: the run', () => {
  it('makes every thumbnail on two loom workers, each upload exactly once', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const io = { out: (line: string) => lines.push(line), err: (line: string) => errors.push(line), progress: { isTTY: false, write: () => true }, signal: controller.signal };
    const status = await main(['--quick', '--redis', redisUrl as string], io);
    expect({ status, errors }).toEqual({ status: 0, errors: [] });
    expect(lines).toContain(`Thumbnails on 2 loom worker processes (1 thread each) through BullMQ at ${redisUrl}`);
    expect(lines).toContain('Check, serial run: 6 uploads, each exactly once, each 80x60: ok');
    expect(lines).toContain('Check, pipelined run: 6 uploads, each exactly once, each 80x60: ok');
    expect(lines.find((line) => line.trimStart().startsWith('resize '))).toMatch(/^\s+resize\s+2\s+6\s+6\s/);
  }, 120_000);
});
