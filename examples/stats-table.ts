/**
 * The table a pipeline demo prints from `PipelineStats`: one row per stage (workers, items in
 * and out, utilization, latency p50/p95, time starved and blocked), then the bottleneck — the
 * stage with the highest utilization, the one to give more workers.
 *
 * @module
 */

import type { PipelineStats } from '../src/pipeline/index.js';

/** The lines of the stats table for `stats`. */
export function statsTable(stats: PipelineStats): string[] {
  const header = ['stage', 'workers', 'received', 'emitted', 'util', 'p50 ms', 'p95 ms', 'starved ms', 'blocked ms'];
  const rows = stats.stages.map((s) => [
    s.name,
    String(s.workers),
    String(s.received),
    String(s.emitted),
    `${Math.round(s.utilization * 100)}%`,
    s.latency.p50.toFixed(2),
    s.latency.p95.toFixed(2),
    s.starved.toFixed(0),
    s.blocked.toFixed(0),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const render = (cells: readonly string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const bottleneck = stats.stages.find((s) => s.name === stats.bottleneck);
  const verdict =
    bottleneck === undefined
      ? 'Bottleneck: none (no stage did any work)'
      : `Bottleneck: ${bottleneck.name} (${Math.round(bottleneck.utilization * 100)}% of its ${bottleneck.workers} workers busy: give it more)`;
  return [render(header), ...rows.map(render), verdict];
}
