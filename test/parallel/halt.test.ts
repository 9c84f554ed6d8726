/** The halt policy and exit statuses, against GNU parallel 20221122's measured statuses. */

import { describe, expect, it } from 'vitest';
import { HaltSpecError, parseHalt } from '../../src/parallel/index.js';
import { HaltPolicy } from '../../src/parallel/halt.js';

function run(spec: string, outcomes: [number, number][], total = outcomes.length): { status: number; halted: string | undefined; at: number } {
  const policy = new HaltPolicy(parseHalt(spec));
  let at = -1;
  for (const [index, [exitCode, signal]] of outcomes.entries()) {
    policy.started();
    if (policy.record({ exitCode, signal }, () => total) !== undefined) {
      at = index;
      break;
    }
  }
  return { status: policy.exitStatus(), halted: policy.halted, at };
}

describe('parseHalt', () => {
  it('reads the long and short forms', () => {
    expect(parseHalt('now,fail=1')).toEqual({ when: 'now', on: 'fail', threshold: 1, percent: false });
    expect(parseHalt('soon,fail=30%')).toEqual({ when: 'soon', on: 'fail', threshold: 30, percent: true });
    expect(parseHalt('2')).toEqual({ when: 'now', on: 'fail', threshold: 1, percent: false });
    expect(parseHalt('-1')).toEqual({ when: 'soon', on: 'success', threshold: 1, percent: false });
    expect(parseHalt('5%')).toEqual({ when: 'soon', on: 'fail', threshold: 5, percent: true });
    expect(parseHalt('never').when).toBe('never');
  });

  it('rejects bad specs with GNU\'s messages', () => {
    expect(() => parseHalt('foo')).toThrow(new HaltSpecError("--halt must have 'never', 'soon', or 'now'."));
    expect(() => parseHalt('now,x=1')).toThrow('--halt now must be followed by ,success or ,fail.');
    expect(() => parseHalt('now,fail=x')).toThrow('--halt now,fail must be followed by ,number or ,percent%.');
  });
});

describe('HaltPolicy', () => {
  it('counts failures without halt, at most 101', () => {
    expect(run('never', [[0, 0], [1, 0], [2, 0], [3, 0]]).status).toBe(3);
    expect(run('never', Array.from({ length: 150 }, () => [1, 0] as [number, number])).status).toBe(101);
  });

  it('fail=1 exits with the failing job\'s status, 128+N for a signal', () => {
    expect(run('now,fail=1', [[0, 0], [3, 0], [4, 0]])).toEqual({ status: 3, halted: 'now', at: 1 });
    expect(run('now,fail=1', [[0, 9]]).status).toBe(137);
  });

  it('fail=N exits with the count, fail=N% with the percentage of all jobs (of those started when never met: GNU printed 20 for 2 of 10)', () => {
    expect(run('soon,fail=2', [[1, 0], [3, 0], [0, 0]])).toEqual({ status: 2, halted: 'soon', at: 1 });
    expect(run('soon,fail=30%', [[0, 0], [0, 0], [1, 0], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]])).toEqual({ status: 20, halted: undefined, at: -1 });
    expect(run('soon,fail=30%', [[1, 0], [1, 0], [0, 0], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]])).toEqual({ status: 30, halted: 'soon', at: 3 });
  });

  it('success=1 exits 0 at the first success', () => {
    expect(run('now,success=1', [[1, 0], [0, 0]])).toEqual({ status: 0, halted: 'now', at: 1 });
  });

  it('a timed-out job (-1, 15) fails', () => {
    expect(run('never', [[-1, 15]]).status).toBe(1);
  });
});
