import { describe, expect, it } from 'vitest';
import { MARGIN, PANEL, escapeXml, lineChart, lineCharts, type Chart } from '../../bench/charts.js';

const left = MARGIN.left;
const right = PANEL.width - MARGIN.right;
const top = MARGIN.top;
const bottom = PANEL.height - MARGIN.bottom;

function chart(overrides: Partial<Chart> = {}): Chart {
  return {
    title: 'Speedup',
    xLabel: 'threads',
    yLabel: 'x',
    series: [
      { name: 'engine', points: [[0, 0], [5, 5], [10, 10]] },
      { name: 'ideal', points: [[0, 0], [10, 10]], dashed: true },
    ],
    ...overrides,
  };
}

/** Every polyline's points as [x, y] pairs, in document order. */
function polylines(svg: string): [number, number][][] {
  return [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
    (m[1] ?? '').split(' ').map((pair) => pair.split(',').map(Number) as [number, number]),
  );
}

/** The tags opened and closed balance, and every tag is either closed or self-closing. */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing === '/') continue;
    if (closing === '/') {
      if (stack.pop() !== name) return false;
    } else stack.push(name ?? '');
  }
  return stack.length === 0;
}

describe('lineChart', () => {
  it('writes one well-formed SVG document with a title, labels, a legend and a polyline per series', () => {
    const svg = lineChart(chart());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(balanced(svg)).toBe(true);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(polylines(svg)).toHaveLength(2);
    for (const text of ['Speedup', 'threads', '>x<', '>engine<', '>ideal<']) expect(svg).toContain(text);
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
  });

  it('maps points onto the plot area on linear axes from 0 to the last tick', () => {
    const [engine] = polylines(lineChart(chart()));
    expect(engine).toEqual([
      [left, bottom],
      [(left + right) / 2, (top + bottom) / 2],
      [right, top],
    ]);
  });

  it('ends a linear axis on the first nice tick above the largest value', () => {
    const svg = lineChart(chart({ series: [{ name: 'a', points: [[0, 0], [4, 1040]] }] }));
    const ticks = [...svg.matchAll(/text-anchor="end">([^<]*)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '500', '1,000', '1,500']);
    expect(polylines(svg)[0]?.[1]?.[1]).toBeCloseTo(bottom - (1040 / 1500) * (bottom - top), 2);
  });

  it('steps an all-integer axis by at least 1', () => {
    const svg = lineChart(chart({ series: [{ name: 'a', points: [[1, 0.5], [2, 0.9]] }] }));
    const xTicks = [...svg.matchAll(/y="362" text-anchor="middle">([^<]*)</g)].map((m) => m[1]);
    expect(xTicks).toEqual(['0', '1', '2']);
  });

  it('spaces decades evenly on a log x axis', () => {
    const svg = lineChart(chart({ xScale: 'log', series: [{ name: 'a', points: [[10, 0], [100, 1], [10_000, 2]] }] }));
    const xs = polylines(svg)[0]?.map(([x]) => x);
    expect(xs).toEqual([left, Number((left + (right - left) / 3).toFixed(2)), right]);
    for (const tick of ['10', '100', '1,000', '10,000']) expect(svg).toContain(`>${tick}</text>`);
  });

  it('escapes text in titles, labels and series names', () => {
    const svg = lineChart(chart({ title: 'a < b & "c"', series: [{ name: "<script>'x'", points: [[1, 1]] }] }));
    expect(svg).toContain('a &#60; b &#38; &#34;c&#34;');
    expect(svg).toContain('&#60;script&#62;&#39;x&#39;');
    expect(svg).not.toContain('<script');
    expect(balanced(svg)).toBe(true);
  });

  it('rejects empty or unplottable input before drawing', () => {
    expect(() => lineChart(chart({ series: [] }))).toThrow(new RangeError('Expected `charts[0].series` to be a non-empty array, got `[]` (Array)'));
    expect(() => lineChart(chart({ series: [{ name: 'a', points: [] }] }))).toThrow(
      new RangeError('Expected `charts[0].series[0].points` to be a non-empty array, got `[]` (Array)'),
    );
    expect(() => lineChart(chart({ series: [{ name: 'a', points: [[1, Number.NaN]] }] }))).toThrow(
      new RangeError('Expected `charts[0].series[0].points[0][1]` to be a finite number, got `NaN` (number)'),
    );
    expect(() => lineChart(chart({ xScale: 'log', series: [{ name: 'a', points: [[1, 1], [0, 2]] }] }))).toThrow(
      new RangeError('Expected `charts[0].series[0].points[1][0]` to be a finite number > 0, got `0` (number)'),
    );
  });
});

describe('lineCharts', () => {
  it('puts panels side by side, each in its own translated group', () => {
    const svg = lineCharts([chart({ title: 'timer' }), chart({ title: 'tcp' })]);
    expect(svg).toContain(`width="${2 * PANEL.width}" height="${PANEL.height}"`);
    expect(svg).toContain('<g transform="translate(0 0)">');
    expect(svg).toContain(`<g transform="translate(${PANEL.width} 0)">`);
    expect(polylines(svg)).toHaveLength(4);
    expect(balanced(svg)).toBe(true);
  });

  it('rejects no charts', () => {
    expect(() => lineCharts([])).toThrow(new RangeError('Expected `charts` to be a non-empty array, got `[]` (Array)'));
  });
});

describe('escapeXml', () => {
  it('replaces the five XML specials and leaves other text alone', () => {
    expect(escapeXml(`<&>"' ok ×`)).toBe('&#60;&#38;&#62;&#34;&#39; ok ×');
  });
});
