/** Job log lines in GNU's exact format, reading them back, and what a resume skips. */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJoblogLine, InputLimitError, JOBLOG_HEADER, parseJoblogLine, readJoblog } from '../../src/parallel/index.js';
import { failedEntries, lastEntries, skipped } from '../../src/parallel/resume.js';

const dir = mkdtempSync(join(tmpdir(), 'loom-joblog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('job log lines', () => {
  it('formats as GNU parallel 20221122 does', () => {
    expect(JOBLOG_HEADER).toBe('Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand');
    expect(formatJoblogLine({ seq: 2, startTime: 1796246213633, runtime: 3, receive: 2, exitCode: 1, signal: 0, command: 'echo 1; exit 1' }))
      .toBe('2\t:\t1796246213.633\t     0.003\t0\t2\t1\t0\techo 1; exit 1');
    expect(formatJoblogLine({ seq: 2, startTime: 1796246213764, runtime: 1335, receive: 8, exitCode: -1, signal: 15, command: 'sleep 2' }))
      .toBe('2\t:\t1796246213.764\t     1.335\t0\t8\t-1\t15\tsleep 2');
  });

  it('parses what it formats, whatever the command holds', () => {
    fc.assert(fc.property(
      fc.record({ seq: fc.nat(), startTime: fc.nat(), runtime: fc.nat({ max: 1e9 }), receive: fc.nat(), exitCode: fc.integer({ min: -1, max: 255 }), signal: fc.nat({ max: 64 }), command: fc.string() }),
      (entry) => {
        expect(parseJoblogLine(formatJoblogLine(entry))).toEqual(entry);
      },
    ));
    expect(parseJoblogLine(JOBLOG_HEADER)).toBeUndefined();
    expect(parseJoblogLine('garbage')).toBeUndefined();
  });

  it('reads a file, skipping lines that do not parse; a missing file is empty', async () => {
    const path = join(dir, 'a.log');
    writeFileSync(path, `${JOBLOG_HEADER}\n1\t:\t1.000\t     0.001\t0\t0\t0\t0\ttrue\nbroken\n2\t:\t1.000\t     0.001\t0\t0\t1\t0\tfalse`);
    expect((await readJoblog(path)).map((entry) => entry.command)).toEqual(['true', 'false']);
    expect(await readJoblog(join(dir, 'missing.log'))).toEqual([]);
  });

  it('bounds a line\'s length', async () => {
    const path = join(dir, 'long.log');
    writeFileSync(path, 'x'.repeat(5000));
    await expect(readJoblog(path, 1000)).rejects.toThrow(new InputLimitError(`Job log ${path} has a line longer than 1000 characters`));
  });
});

describe('resume', () => {
  const log = lastEntries([
    { seq: 1, startTime: 0, runtime: 0, receive: 0, exitCode: 0, signal: 0, command: 'a' },
    { seq: 2, startTime: 0, runtime: 0, receive: 0, exitCode: 1, signal: 0, command: 'b' },
    { seq: 3, startTime: 0, runtime: 0, receive: 0, exitCode: 0, signal: 9, command: 'c' },
    { seq: 3, startTime: 0, runtime: 0, receive: 0, exitCode: 0, signal: 0, command: 'c' },
  ]);

  it('--resume skips every logged job', () => {
    expect([1, 2, 3, 4].map((seq) => skipped(seq, 'all', log))).toEqual([true, true, true, false]);
  });

  it('--resume-failed skips the jobs whose last line succeeded', () => {
    expect([1, 2, 3, 4].map((seq) => skipped(seq, 'failed', log))).toEqual([true, false, true, false]);
  });

  it('--retry-failed reruns the failed commands by their last line', () => {
    expect(failedEntries(log).map((entry) => entry.command)).toEqual(['b']);
  });
});
