/** The CLI's printing helpers: tags, JSON lines, the summary and the progress line. */

import { describe, expect, it } from 'vitest';
import { parseParallelArgs, ParallelUsageError } from '../../src/cli/commands/parallel/args.js';
import { jsonLine, summaryLine, tagLines } from '../../src/cli/commands/parallel/print.js';
import { Progress } from '../../src/cli/commands/parallel/progress.js';
import { parseSeconds } from '../../src/cli/commands/parallel.js';
import { JobResult } from '../../src/parallel/index.js';

const job = (seq: number, exitCode: number): JobResult => new JobResult({
  seq, slot: 1, args: ['a'], command: `exit ${exitCode}`, exitCode, signal: 0, timedOut: false, startTime: 1500, runtime: 250, attempts: 1,
  stdoutBytes: Buffer.from('out\n'), stderrBytes: new Uint8Array(0), tag: undefined, error: undefined,
});

describe('printing', () => {
  it('tags every line, a last line without newline too', () => {
    expect(tagLines(Buffer.from('a\nb\n'), 'x')).toBe('x\ta\nx\tb\n');
    expect(tagLines(Buffer.from('a\nb'), 'x')).toBe('x\ta\nx\tb');
    expect(tagLines(Buffer.from('\n'), 'x')).toBe('x\t\n');
  });

  it('writes one JSON object per job', () => {
    expect(JSON.parse(jsonLine(job(3, 2)))).toEqual({ seq: 3, command: 'exit 2', args: ['a'], exitCode: 2, signal: 0, start: 1.5, runtime: 0.25, stdout: 'out\n', stderr: '' });
  });

  it('summarises jobs, failures, retries and runtimes', () => {
    expect(summaryLine([100, 200, 300, 4000], 1, 2, 5000)).toBe('loom parallel: 4 jobs, 1 failed, 2 retries, 5.000 s total; runtime p50 0.200 s, p95 4.000 s, max 4.000 s');
  });

  it('draws done/total, failures, rate, ETA and the longest-running job', () => {
    const written: string[] = [];
    const progress = new Progress((text) => written.push(text));
    progress.setTotal(4);
    progress.started({ seq: 1, slot: 1, args: ['a'], command: 'sleep 9' });
    progress.started({ seq: 2, slot: 2, args: ['b'], command: 'exit 1' });
    progress.finished(job(2, 1));
    expect(progress.line()).toMatch(/^1\/4 25% \| 1 failed \| \d+\.\d jobs\/s \| ETA \d+s \| longest \d+\.\ds: sleep 9$/);
    progress.end();
    expect(written.at(-1)).toBe('\n');
    expect(written.every((text) => text === '\n' || text.startsWith('\r'))).toBe(true);
  });
});

describe('the command line', () => {
  it('reads options, the command and the sources as GNU does', () => {
    const args = parseParallelArgs(['-j4', '--halt=now,fail=1', '-k', 'echo', '{}', ':::', 'a', 'b\nc', ':::+', '1', '::::', 'f']);
    expect([...args.flags]).toEqual(['keep-order']);
    expect(Object.fromEntries(args.values)).toEqual({ jobs: '4', halt: 'now,fail=1' });
    expect(args.command).toEqual(['echo', '{}']);
    expect(args.sources).toEqual([
      { kind: 'values', values: ['a', 'b', 'c'], linked: false },
      { kind: 'values', values: ['1'], linked: true },
      { kind: 'file', path: 'f', linked: false },
    ]);
  });

  it('rejects unknown options and missing values', () => {
    expect(() => parseParallelArgs(['--pipe', 'cat'])).toThrow(new ParallelUsageError('Unknown option: pipe'));
    expect(() => parseParallelArgs(['-j'])).toThrow('Option -j needs a value');
  });

  it('reads seconds with GNU\'s units', () => {
    expect(parseSeconds('1.5')).toBe(1500);
    expect(parseSeconds('1m30s')).toBe(90_000);
    expect(parseSeconds('2h')).toBe(7_200_000);
    expect(parseSeconds('x')).toBeUndefined();
  });
});
