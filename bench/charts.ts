/**
 * A small SVG line-chart writer for the benchmark figures (issue 5): axes with ticks and labels,
 * one polyline with a marker per point for each series, a legend and a title, and one or more
 * such panels side by side in one picture. The output is plain SVG 1.1 text with no script and
 * no external fonts, so GitHub renders it from the README as an image.
 *
 * Rejected: a charting package (the repository has no runtime dependencies and a benchmark's
 * figures are a handful of points), and drawing from a browser library through a headless browser
 * (slow, and not reproducible on a bare machine). Like gnuplot's `set logscale x`, the x axis may
 * be logarithmic: cell counts run from 45 to 10,000, which a linear axis squeezes into one corner.
 *
 * Scales are fixed by the data so that a reader can check a figure against the printed tables:
 * a linear axis always includes 0 and ends on the first "nice" tick (1, 2 or 5 x 10^k) at or
 * above the largest value, with steps of at least 1 when every value is an integer; a log axis runs from the decade at or below the smallest value to the
 * decade at or above the largest one, with a tick on each decade.
 *
 * @module
 */

import { expectation } from '../src/core/validate.js';

/** One line of a chart. */
export interface Series {
  /** Shown in the legend; any text (it is escaped). */
  readonly name: string;
  /** The points, drawn in the given order; each coordinate finite (and > 0 on a log axis). */
  readonly points: readonly (readonly [x: number, y: number])[];
  /** Draws the line dashed, e.g. for a reference such as "ideal". Default `false`. */
  readonly dashed?: boolean;
}

/** One panel: its title, axis labels and series. */
export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** At least one series, each with at least one point. */
  readonly series: readonly Series[];
  /** `'log'`: a base-10 x axis. Default `'linear'`. */
  readonly xScale?: 'linear' | 'log';
}

/** Width and height of one panel in SVG units (the picture is `PANEL.width x panels` wide). */
export const PANEL = { width: 640, height: 400 } as const;

/** Space around a panel's plot area: the title above, tick labels left and below, the legend right. */
export const MARGIN = { top: 40, right: 170, bottom: 56, left: 64 } as const;

/** Distinguishable on white, in the order series are given; the palette repeats after 8. */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'] as const;

/** Text safe inside an SVG element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Axis {
  readonly ticks: readonly number[];
  /** Position of `value` between 0 (the domain's start) and 1 (its end). */
  readonly fraction: (value: number) => number;
}

function linearAxis(values: readonly number[]): Axis {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const rough = span / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const nice = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  // Counts (threads, cells) read wrongly at 0.5 steps.
  const step = values.every(Number.isInteger) ? Math.max(nice, 1) : nice;
  const start = Math.floor(lo / step) * step;
  const end = Math.max(Math.ceil(hi / step) * step, start + step);
  const ticks: number[] = [];
  // Rounding each tick to the step's precision keeps 0.1 + 0.2 from printing as 0.30000000000000004.
  for (let i = 0; start + i * step <= end + step / 2; i++) ticks.push(Number((start + i * step).toPrecision(12)));
  return { ticks, fraction: (v) => (v - start) / (end - start) };
}

function logAxis(values: readonly number[]): Axis {
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.max(Math.ceil(Math.log10(Math.max(...values))), lo + 1);
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
  return { ticks, fraction: (v) => (Math.log10(v) - lo) / (hi - lo) };
}

function label(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Like `harness.ts`'s `median`: the core's `describeValue` would print an empty array as `[object Array]`. */
function empty(name: string): RangeError {
  return new RangeError(`Expected \`${name}\` to be a non-empty array, got \`[]\` (Array)`);
}

function checkChart(chart: Chart, at: string): void {
  if (chart.series.length === 0) throw empty(`${at}.series`);
  for (const [i, { points }] of chart.series.entries()) {
    const name = `${at}.series[${i}].points`;
    if (points.length === 0) throw empty(name);
    for (const [j, [x, y]] of points.entries()) {
      const positive = chart.xScale === 'log';
      if (!Number.isFinite(x) || (positive && x <= 0)) throw new RangeError(expectation(`${name}[${j}][0]`, positive ? 'a finite number > 0' : 'a finite number', x));
      if (!Number.isFinite(y)) throw new RangeError(expectation(`${name}[${j}][1]`, 'a finite number', y));
    }
  }
}

/** One panel's elements, in the panel's own coordinates (0,0 at its top left). */
function panel(chart: Chart): string {
  const left = MARGIN.left;
  const right = PANEL.width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = PANEL.height - MARGIN.bottom;
  const points = chart.series.flatMap((s) => s.points);
  const xAxis = (chart.xScale === 'log' ? logAxis : linearAxis)(points.map(([x]) => x));
  const yAxis = linearAxis(points.map(([, y]) => y));
  const px = (x: number): number => Number((left + xAxis.fraction(x) * (right - left)).toFixed(2));
  const py = (y: number): number => Number((bottom - yAxis.fraction(y) * (bottom - top)).toFixed(2));
  const out: string[] = [
    `<text x="${(left + right) / 2}" y="${top - 16}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333"/>`,
  ];
  for (const tick of xAxis.ticks) {
    const x = px(tick);
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${bottom + 18}" text-anchor="middle">${label(tick)}</text>`);
  }
  for (const tick of yAxis.ticks) {
    const y = py(tick);
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end">${label(tick)}</text>`);
  }
  out.push(`<text x="${(left + right) / 2}" y="${bottom + 42}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`);
  for (const [i, series] of chart.series.entries()) {
    const color = COLORS[i % COLORS.length] as string;
    const dash = series.dashed === true ? ' stroke-dasharray="6 4"' : '';
    const coords = series.points.map(([x, y]) => `${px(x)},${py(y)}`).join(' ');
    out.push(`<polyline points="${coords}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    for (const [x, y] of series.points) out.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3.5" fill="${color}"/>`);
    const ly = top + 10 + i * 20;
    out.push(`<line x1="${right + 12}" y1="${ly}" x2="${right + 36}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${right + 42}" y="${ly + 4}">${escapeXml(series.name)}</text>`);
  }
  return out.join('\n');
}

/**
 * Draws `charts` side by side as one SVG document, one panel each, `PANEL.width` apart.
 * Throws a `RangeError` (synchronously, before drawing anything) for no charts, a chart with no
 * series, a series with no points, a coordinate that is not finite, or an x <= 0 on a log axis.
 *
 * @example
 * ```ts
 * const svg = lineCharts([{ title: 'Speedup', xLabel: 'threads', yLabel: 'x', series: [{ name: 'engine', points: [[1, 1], [2, 1.9]] }] }]);
 * ```
 */
export function lineCharts(charts: readonly Chart[]): string {
  if (charts.length === 0) throw empty('charts');
  charts.forEach((chart, i) => checkChart(chart, `charts[${i}]`));
  const width = PANEL.width * charts.length;
  const panels = charts.map((chart, i) => `<g transform="translate(${i * PANEL.width} 0)">\n${panel(chart)}\n</g>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL.height}" viewBox="0 0 ${width} ${PANEL.height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${PANEL.height}" fill="#fff"/>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * Draws one chart as an SVG document: `lineCharts([chart])`, with the same errors.
 *
 * @example
 * ```ts
 * const svg = lineChart({ title: 'ms per generation', xLabel: 'cells', yLabel: 'ms', xScale: 'log', series: [{ name: 'async', points: [[45, 101], [10_000, 107]] }] });
 * ```
 */
export function lineChart(chart: Chart): string {
  return lineCharts([chart]);
}
