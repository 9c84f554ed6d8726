/**
 * A pipeline's statistics as a text table, one row per stage, and the line that names the
 * bottleneck: what `npm run photos` prints after its pipelined run. It reads only the public
 * `PipelineStats`, so any pipeline's figures print the same way.
 *
 * @module
 */

import type { PipelineStats } from '../../src/pipeline/index.js';

const HEADER = ['stage', 'workers', 'received', 'emitted', 'failed', 'utilization', 'p50 ms', 'p95 ms'] as const;

/**
 * The rows of `stats` (names left-aligned, figures right-aligned, two spaces between columns),
 * then `Bottleneck: <stage> (<utilization>% busy over <workers> workers)`.
 *
 * @example
 * ```ts
 * for (const line of statsTable(await p.run())) console.log(line);
 * // stage     workers  received  emitted  failed  utilization  p50 ms  p95 ms
 * // download        3        32       32       0          11%    21.4    23.0
 * // resize          2        32       32       0          96%   280.2   301.9
 * // ...
 * // Bottleneck: resize (96% busy over 2 workers)
 * ```
 */
export function statsTable(stats: PipelineStats): string[] {
  const rows = stats.stages.map((stage) => [
    stage.name,
    String(stage.workers),
    String(stage.received),
    String(stage.emitted),
    String(stage.failed),
    percent(stage.utilization),
    stage.latency.p50.toFixed(1),
    stage.latency.p95.toFixed(1),
  ]);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const render = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const lines = [render(HEADER), ...rows.map(render)];
  const bottleneck = stats.stages.find((stage) => stage.name === stats.bottleneck);
  if (bottleneck !== undefined) {
    lines.push(`Bottleneck: ${bottleneck.name} (${percent(bottleneck.utilization)} busy over ${bottleneck.workers} worker${bottleneck.workers === 1 ? '' : 's'})`);
  }
  return lines;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
