/**
 * Replacement strings and quoting, with the values GNU parallel 20221122 printed for the same
 * templates and arguments (`parallel --dry-run`, `PARALLEL_SHELL=/bin/sh`).
 */

import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/parallel/index.js';
import { expandTemplate, parseTemplate } from '../../src/parallel/template.js';

const expand = (template: string, args: string[], seq = 1, slot = 1): string => expandTemplate(parseTemplate(template), { args, seq, slot }, shellQuote);

describe('shellQuote (GNU parallel\'s quoting)', () => {
  it.each([
    ['ok-_.+/9', 'ok-_.+/9'],
    ['a b', "'a b'"],
    ["it's", `'it'"'"'s'`],
    ['$(touch PWNED)', "'$(touch PWNED)'"],
    ['', "''"],
    ['x=y', "'x=y'"],
    ['é', "'é'"],
    ['~x', "'~x'"],
    ['a\nb', "'a\nb'"],
  ])('quotes %j as %s, as GNU does', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });

  it('round-trips arbitrary strings through /bin/sh (a sample of 200, run for real)', () => {
    const samples = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\0', '')), { numRuns: 200, seed: 11 });
    // One shell run for the whole sample: printf prints each word NUL-terminated.
    const script = `printf '%s\\0' ${samples.map(shellQuote).join(' ')}`;
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(samples);
  });

  it('never leaves a shell metacharacter bare', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      const quoted = shellQuote(value);
      expect(quoted === value ? /^[-_.+A-Za-z0-9/]+$/.test(value) : quoted.startsWith("'") && quoted.endsWith("'")).toBe(true);
    }));
  });
});

describe('parseTemplate / expandTemplate', () => {
  it('expands every replacement string as GNU does', () => {
    expect(expand('echo {} {.} {/} {//} {/.} {#} {%}', ['dir/sub/file.tar.gz'], 7, 3)).toBe('echo dir/sub/file.tar.gz dir/sub/file.tar file.tar.gz dir/sub file.tar 7 3');
    expect(expand('{.} {/.}', ['.hidden'])).toBe("'' ''");
    expect(expand('{//}', ['/'])).toBe('/');
    expect(expand('{//}', ['/a'])).toBe('/');
    expect(expand('{//}', ['a/'])).toBe('.');
    expect(expand('{//}', ['a//b'])).toBe('a');
    expect(expand('{/}', ['a/'])).toBe("''");
  });

  it('addresses arguments by position, empty past the last; {0} is {}', () => {
    expect(expand('{2}-{1}', ['a', 'x'])).toBe('x-a');
    expect(expand('{1.} {1/} {2//} {2/.}', ['a.b/c.d', '/x/y.z'])).toBe('a.b/c c.d /x y');
    expect(expand("echo {x} {} {0} {3} {1}", ['a b'])).toBe("echo {x} 'a b' 'a b'  'a b'");
  });

  it('appends the arguments when there is no replacement string; {#} and {%} count as one', () => {
    expect(expand('echo', ['a b', 'c'])).toBe("echo 'a b' c");
    expect(expand('echo {#}', ['a'])).toBe('echo 1');
    expect(expand('echo x{%}', ['a'], 1, 2)).toBe('echo x2');
    expect(parseTemplate('echo {x}').appends).toBe(true);
  });

  it('quotes inside double quotes too (GNU does)', () => {
    expect(expand('echo "{}"', ['a b'])).toBe(`echo "'a b'"`);
  });

  it('parses any template in linear time, and text without replacement strings is kept whole', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.array(fc.string(), { maxLength: 3 }), (template, args) => {
      const parsed = parseTemplate(template);
      const out = expandTemplate(parsed, { args, seq: 1, slot: 1 }, shellQuote);
      if (!template.includes('{')) expect(out).toBe(args.length === 0 ? template : `${template}${template === '' ? '' : ' '}${args.map(shellQuote).join(' ')}`);
    }));
    const long = '{'.repeat(200_000);
    const start = performance.now();
    parseTemplate(long);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
