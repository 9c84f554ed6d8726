/** Input sources: combination order, linking, reading lines and records, and the bounds. */

import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputLimitError, readArguments } from '../../src/parallel/index.js';
import { combine, splitColumns } from '../../src/parallel/inputs.js';
import { resolveJobs } from '../../src/parallel/jobs.js';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('combine', () => {
  it('gives every combination, the first source slowest (GNU\'s order)', async () => {
    expect(await all(combine([['a', 'b'], ['1', '2']]))).toEqual([['a', '1'], ['a', '2'], ['b', '1'], ['b', '2']]);
  });

  it('links a :::+ source to the previous one, stopping at the shorter', async () => {
    expect(await all(combine([['a', 'b'], { values: ['1', '2', '3'], linked: true }]))).toEqual([['a', '1'], ['b', '2']]);
    expect(await all(combine([['a', 'b', 'c'], { values: ['1', '2'], linked: true }]))).toEqual([['a', '1'], ['b', '2']]);
    expect(await all(combine([['a', 'b'], ['x', 'y'], { values: ['1', '2'], linked: true }]))).toEqual([['a', 'x', '1'], ['a', 'y', '2'], ['b', 'x', '1'], ['b', 'y', '2']]);
  });

  it('streams the first source and bounds the ones it must hold', async () => {
    await expect(all(combine([['a'], ['1', '2', '3']], { maxArgLength: 10, maxArgs: 2 }))).rejects.toThrow(new InputLimitError('Input sources hold more than maxArgs (2) values to combine'));
    await expect(all(combine([['x'.repeat(11)]], { maxArgLength: 10, maxArgs: 2 }))).rejects.toThrow('Argument 1 of input source 1 is longer than maxArgLength (10 characters)');
    expect(await all(combine([]))).toEqual([]);
    expect(await all(combine([['a'], []]))).toEqual([]);
  });

  it('splits columns on a regular expression (--colsep), keeping empty fields', () => {
    expect(splitColumns(['a,b', 'c'], /,/)).toEqual(['a', 'b', 'c']);
    expect(splitColumns(['a,b,'], /,/)).toEqual(['a', 'b', '']);
    fc.assert(fc.property(fc.array(fc.string().filter((s) => !s.includes(','))), (fields) => {
      expect(splitColumns([fields.join(',')], /,/)).toEqual(fields.length === 0 ? [''] : fields);
    }));
  });
});

describe('readArguments', () => {
  it('reads one argument a line, an empty line an empty argument, a last line without newline too', async () => {
    expect(await all(readArguments(Readable.from(['a\n\nb', 'c\r\n', 'd'])))).toEqual(['a', '', 'bc\r', 'd']);
  });

  it('reads NUL-terminated records with null', async () => {
    expect(await all(readArguments(Readable.from(['a\nb\0c']), { null: true }))).toEqual(['a\nb', 'c']);
  });

  it('keeps multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('é\n');
    expect(await all(readArguments(Readable.from([bytes.subarray(0, 1), bytes.subarray(1)])))).toEqual(['é']);
  });

  it('fails an endless line at the bound, before holding more', async () => {
    async function* endless(): AsyncGenerator<string> {
      for (;;) yield 'x'.repeat(1000);
    }
    await expect(all(readArguments(endless(), { maxArgLength: 5000, name: 'stdin' }))).rejects.toThrow(new InputLimitError('Argument 1 of stdin is longer than maxArgLength (5000 characters)'));
  });

  it('splits any byte stream exactly at the separators', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.string().filter((s) => !s.includes('\n'))), fc.nat({ max: 7 }), async (lines, cut) => {
      const text = lines.map((line) => `${line}\n`).join('');
      const chunks = [text.slice(0, cut), text.slice(cut)];
      expect(await all(readArguments(Readable.from(chunks.filter((c) => c !== ''))))).toEqual(lines);
    }));
  });
});

describe('resolveJobs (-j)', () => {
  it('reads GNU\'s forms', () => {
    expect(resolveJobs(4, 2)).toBe(4);
    expect(resolveJobs('150%', 2)).toBe(3);
    expect(resolveJobs('50%', 2)).toBe(1);
    expect(resolveJobs('+1', 2)).toBe(3);
    expect(resolveJobs('-1', 2)).toBe(1);
    expect(resolveJobs(0, 2)).toBe(1024);
    expect(resolveJobs(undefined, 6)).toBe(6);
  });

  it('rejects what GNU rejects', () => {
    expect(() => resolveJobs('-5', 2)).toThrow(new RangeError('Cannot run any jobs: -j -5 with 2 CPUs gives -3'));
    expect(() => resolveJobs('x', 2)).toThrow(new RangeError('Expected `jobs` to be N, N%, +N, -N or 0 (N an integer >= 0), got `"x"` (string)'));
    expect(() => resolveJobs(-1, 2)).toThrow(RangeError);
  });
});
