/**
 * The photo example's stats table: columns aligned, figures rounded, the bottleneck named.
 */

import { describe, expect, it } from 'vitest';
import { statsTable } from '../../examples/photos/table.js';
import type { PipelineStats, StageStats } from '../../src/pipeline/index.js';

function stage(name: string, workers: number, utilization: number, p50: number, p95: number, received = 24, emitted = received): StageStats {
  return {
    name,
    workers,
    received,
    emitted,
    failed: received - emitted,
    dropped: 0,
    retried: 0,
    inFlight: 0,
    buffered: 0,
    bufferPeak: workers,
    busy: 0,
    utilization,
    starved: 0,
    blocked: 0,
    latency: { p50, p95, max: p95 },
  };
}

describe('statsTable', () => {
  it('aligns one row per stage and names the bottleneck', () => {
    const stats: PipelineStats = {
      elapsed: 4000,
      bottleneck: 'resize',
      stages: [stage('download', 3, 0.052, 21.44, 23.06), stage('resize', 2, 0.9649, 280.25, 1301.94), stage('upload', 5, 0.004, 20.9, 22.1, 24, 23)],
    };
    expect(statsTable(stats)).toEqual([
      'stage     workers  received  emitted  failed  utilization  p50 ms  p95 ms',
      'download        3        24       24       0           5%    21.4    23.1',
      'resize          2        24       24       0          96%   280.3  1301.9',
      'upload          5        24       23       1           0%    20.9    22.1',
      'Bottleneck: resize (96% busy over 2 workers)',
    ]);
  });

  it('says "worker" for one, and prints no bottleneck before there is one', () => {
    const one = statsTable({ elapsed: 10, bottleneck: 'a', stages: [stage('a', 1, 1, 1, 1)] });
    expect(one.at(-1)).toBe('Bottleneck: a (100% busy over 1 worker)');
    const none = statsTable({ elapsed: 0, bottleneck: undefined, stages: [stage('a', 1, 0, 0, 0, 0)] });
    expect(none).toEqual(['stage  workers  received  emitted  failed  utilization  p50 ms  p95 ms', 'a            1         0        0       0           0%     0.0     0.0']);
  });
});
