/**
 * The benchmark harness: every suite in `bench/` measures loom and its peers side by side in
 * one run and prints medians and ratios, because machines are noisy and only a comparison made
 * in the same run means anything. `--quick` runs each case once on tiny sizes so that CI keeps
 * every benchmark alive without paying for it.
 *
 * @module
 */

/** Options every suite receives from `bench/index.ts`. */
export interface SuiteOptions {
  /** One tiny run of each case: proves the benchmark still works, measures nothing. */
  readonly quick: boolean;
}

/** A suite: measures one area and prints its table. */
export type Suite = (opts: SuiteOptions) => Promise<void>;

/** One measured case of a table. */
export interface Row {
  /** Who ran: `loom`, a peer's package name, or `limit` for the hand-written minimal version. */
  readonly name: string;
  /** Median of the runs, in `unit`. */
  readonly median: number;
  /** Free-form extra columns (e.g. p50 latency, memory per task). */
  readonly extra?: Readonly<Record<string, string>>;
}

/** A row of `interleaved`, with its samples in round order (round `i` of every case ran back to back). */
export interface Measured extends Row {
  readonly samples: readonly number[];
}

/**
 * Runs `fn` `runs` times (after one warm-up run unless `quick`) and returns the median of what
 * it reports: `fn` returns the measured figure of one run (e.g. ns per op, or ms).
 */
export async function medianOf(runs: number, fn: () => Promise<number> | number, quick: boolean): Promise<number> {
  if (quick) return fn();
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await fn());
  return median(samples);
}

/**
 * Measures every case `runs` times in alternating rounds (A B C, A B C, ...) after one warm-up
 * round, and returns each case's median and samples. Alternating spreads the machine's drift (another
 * process, a GC of the previous case's garbage, CPU frequency) over all cases instead of
 * letting it land on whichever ran last. `quick`: one round, no warm-up.
 */
export async function interleaved(
  cases: readonly (readonly [name: string, measure: () => Promise<number> | number])[],
  runs: number,
  quick: boolean,
): Promise<Measured[]> {
  const samples = cases.map((): number[] => []);
  const rounds = quick ? 1 : runs + 1;
  for (let round = 0; round < rounds; round++) {
    for (const [i, [, measure]] of cases.entries()) {
      const value = await measure();
      if (quick || round > 0) samples[i]?.push(value);
    }
  }
  return cases.map(([name], i) => ({ name, median: median(samples[i] ?? []), samples: samples[i] ?? [] }));
}

/** The median of `samples` (mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('Expected `samples` to be a non-empty array, got `[]` (Array)');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nanoseconds elapsed since `start` (from `process.hrtime.bigint()`). */
export function nsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/**
 * Prints one table: each row's median in `unit` and its ratio to the row named `baseline`
 * (row / baseline). The title says whether higher or lower is better, so the ratio is read the
 * same way as the figures: for ns/op, 1.10x means 10% slower than the baseline.
 */
export function printTable(title: string, unit: string, rows: readonly Row[], baseline: string, higherIsBetter: boolean): void {
  const base = rows.find((row) => row.name === baseline);
  const extraKeys = [...new Set(rows.flatMap((row) => Object.keys(row.extra ?? {})))];
  const header = ['', unit, `vs ${baseline}`, ...extraKeys];
  const lines = rows.map((row) => {
    const ratio = base === undefined || row.median === 0 ? '-' : (row.median / base.median).toFixed(2) + 'x';
    return [row.name, formatNumber(row.median), ratio, ...extraKeys.map((key) => row.extra?.[key] ?? '')];
  });
  const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((line) => (line[i] ?? '').length)));
  const render = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n## ${title} (${higherIsBetter ? 'higher' : 'lower'} is better)`);
  console.log(render(header));
  for (const line of lines) console.log(render(line));
}

/** 1,234.5 / 12.34 / 0.0123: three significant decimals where they matter, thousands grouped. */
export function formatNumber(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 4;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
