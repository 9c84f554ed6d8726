/**
 * The photo example's command line: defaults per mode, every option in both spellings, and
 * hostile argv (unknown, repeated, out of range, not a number, too many, too long) answered by
 * a `UsageError` in the house template, never by anything else.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ARG_LENGTH, MAX_ARGS, parsePhotosArgs, USAGE, UsageError, type PhotosOptions } from '../../examples/photos/args.js';

function parsed(argv: readonly string[], cores = 4): PhotosOptions {
  const result = parsePhotosArgs(argv, cores);
  if (result === 'help') throw new Error('unexpected help');
  return result;
}

function usageError(argv: readonly string[]): string {
  try {
    parsePhotosArgs(argv, 4);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`no error for ${JSON.stringify(argv)}`);
}

describe('parsePhotosArgs', () => {
  it('has defaults for a full run, threads taken from the cores', () => {
    expect(parsed([], 4)).toEqual({
      quick: false,
      count: 24,
      latency: 20,
      threads: 4,
      workers: { download: 3, resize: 4, upload: 5 },
      seed: 55,
      photo: { width: 1024, height: 768 },
      thumbnail: { width: 160, height: 120 },
    });
  });

  it('has small defaults in quick mode, at most 2 threads', () => {
    expect(parsed(['--quick'], 8)).toEqual({
      quick: true,
      count: 6,
      latency: 2,
      threads: 2,
      workers: { download: 3, resize: 2, upload: 5 },
      seed: 55,
      photo: { width: 320, height: 240 },
      thumbnail: { width: 80, height: 60 },
    });
    expect(parsed(['--quick'], 1).threads).toBe(1);
  });

  it('reads every option, as `--name value` or `--name=value`', () => {
    const options = parsed(['--count', '7', '--latency=0', '--threads', '3', '--download-workers=2', '--resize-workers', '6', '--upload-workers', '9', '--seed=4294967295']);
    expect(options).toMatchObject({ count: 7, latency: 0, threads: 3, workers: { download: 2, resize: 6, upload: 9 }, seed: 4294967295 });
  });

  it('takes the resize workers from --threads unless given', () => {
    expect(parsed(['--threads', '3']).workers.resize).toBe(3);
    expect(parsed(['--threads', '3', '--resize-workers', '1']).workers.resize).toBe(1);
  });

  it('accepts the bounds of each range', () => {
    expect(parsed(['--count', '1']).count).toBe(1);
    expect(parsed(['--count', '1000']).count).toBe(1000);
    expect(parsed(['--latency', '60000']).latency).toBe(60_000);
    expect(parsed(['--seed', '0']).seed).toBe(0);
  });

  it('answers help', () => {
    expect(parsePhotosArgs(['--count', '3', '--help'], 2)).toBe('help');
    expect(parsePhotosArgs(['-h'], 2)).toBe('help');
    expect(USAGE).toContain('--download-workers N');
  });

  it('refuses values out of range or not decimal integers', () => {
    expect(usageError(['--count', '0'])).toBe('Expected `--count` to be an integer from 1 to 1000, got `"0"` (string)');
    expect(usageError(['--count', '1001'])).toBe('Expected `--count` to be an integer from 1 to 1000, got `"1001"` (string)');
    expect(usageError(['--threads', '-1'])).toBe('Expected `--threads` to be an integer from 1 to 256, got `"-1"` (string)');
    expect(usageError(['--latency', '1.5'])).toBe('Expected `--latency` to be an integer from 0 to 60000, got `"1.5"` (string)');
    expect(usageError(['--latency', '1e3'])).toBe('Expected `--latency` to be an integer from 0 to 60000, got `"1e3"` (string)');
    expect(usageError(['--count=', '3'])).toBe('Expected `--count` to be an integer from 1 to 1000, got `""` (string)');
    expect(usageError(['--seed', ' 1'])).toBe('Expected `--seed` to be an integer from 0 to 4294967295, got `" 1"` (string)');
    expect(usageError(['--seed', '4294967296'])).toBe('Expected `--seed` to be an integer from 0 to 4294967295, got `"4294967296"` (string)');
    expect(usageError(['--upload-workers', '99999999999'])).toBe('Expected `--upload-workers` to be an integer from 1 to 1000, got `"99999999999"` (string)');
  });

  it('refuses an option without its value', () => {
    expect(usageError(['--count'])).toBe('Expected `--count` to be followed by an integer from 1 to 1000, got `undefined`');
  });

  it('refuses unknown options, stray arguments and repeats', () => {
    const known = 'expected one of --quick, --count, --latency, --threads, --download-workers, --resize-workers, --upload-workers, --seed, --redis, --help';
    expect(usageError(['--workers', '3'])).toBe(`Unknown option \`"--workers"\` (string): ${known}`);
    expect(usageError(['--count', '3', '4'])).toBe(`Unexpected argument \`"4"\` (string): ${known}`);
    expect(usageError(['--Count=3'])).toBe(`Unknown option \`"--Count=3"\` (string): ${known}`);
    expect(usageError(['--count', '3', '--count=4'])).toBe('Option --count given twice');
    expect(usageError(['--quick', '--quick'])).toBe('Option --quick given twice');
  });

  it('bounds argv before reading it', () => {
    expect(usageError(Array.from({ length: MAX_ARGS + 1 }, () => '--quick'))).toBe(`Expected at most ${MAX_ARGS} arguments, got ${MAX_ARGS + 1}`);
    expect(usageError(['--count', '1'.repeat(MAX_ARG_LENGTH + 1)])).toBe(`Expected each argument to be at most ${MAX_ARG_LENGTH} characters, got one of ${MAX_ARG_LENGTH + 1}`);
    expect(usageError(['x'.repeat(10_000_000)])).toBe(`Expected each argument to be at most ${MAX_ARG_LENGTH} characters, got one of 10000000`);
  });

  it('fuzz: any argv either parses within the ranges or throws a UsageError', () => {
    const token = fc.oneof(
      fc.constantFrom('--quick', '--count', '--latency', '--threads', '--download-workers', '--resize-workers', '--upload-workers', '--seed', '--help', '-h', '--', '='),
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -5, max: 70_000 }).map(String),
      fc.tuple(fc.constantFrom('--count=', '--seed=', '--threads='), fc.string({ maxLength: 11 })).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (argv, cores) => {
        let result: PhotosOptions | 'help';
        try {
          result = parsePhotosArgs(argv, cores);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          return;
        }
        if (result === 'help') return;
        expect(result.count).toBeGreaterThanOrEqual(1);
        expect(result.count).toBeLessThanOrEqual(1000);
        expect(result.latency).toBeLessThanOrEqual(60_000);
        expect(result.threads).toBeGreaterThanOrEqual(1);
        expect(result.threads).toBeLessThanOrEqual(256);
        for (const workers of Object.values(result.workers)) expect(workers).toBeGreaterThanOrEqual(1);
        expect(Number.isInteger(result.seed)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
