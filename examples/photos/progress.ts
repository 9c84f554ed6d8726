/**
 * The photo pipeline's live progress line (items done, rate, ETA), redrawn in place from the
 * pipeline's `onProgress` statistics. Only a terminal gets it: when stdout is a file or a pipe
 * nothing is written at all (no carriage returns in logs), and the caller passes no
 * `onProgress`, so the pipeline does not even tick for it.
 *
 * @module
 */

/** The part of `PipelineStats` the line reads: the photos done are the last stage's outputs. */
export interface ProgressStats {
  readonly elapsed: number;
  readonly stages: readonly { readonly emitted: number }[];
}

/** Where the line goes: `process.stdout`, or a fake in tests. */
export interface ProgressOutput {
  readonly isTTY?: boolean | undefined;
  write(text: string): unknown;
}

/** What {@link progressReporter} returns: the callback to give the pipeline, and the final clean-up. */
export interface ProgressReporter {
  /** `undefined` when the output is not a terminal. */
  readonly onProgress: ((stats: ProgressStats) => void) | undefined;
  /** Erases the line (if one was drawn), so that what is printed next starts on a clean line. */
  done(): void;
}

/**
 * `12/32 photos, 4.1 photos/s, ETA 4.9 s`: `done` of `total` after `elapsed` ms. The rate is the
 * average so far; the ETA is `?` until the first photo is done.
 *
 * @example
 * ```ts
 * progressLine(12, 32, 3000); // '12/32 photos, 4.0 photos/s, ETA 5.0 s'
 * ```
 */
export function progressLine(done: number, total: number, elapsed: number): string {
  const rate = elapsed > 0 ? done / (elapsed / 1000) : 0;
  const eta = rate > 0 ? `${(Math.max(0, total - done) / rate).toFixed(1)} s` : '?';
  return `${done}/${total} photos, ${rate.toFixed(1)} photos/s, ETA ${eta}`;
}

/** Carriage return, then the line, then "erase to the end of the line" (ECMA-48 EL). */
const REDRAW = (line: string): string => `\r${line}\x1b[K`;

/**
 * A progress line for a run of `total` photos on `out`, or nothing at all when `out` is not a
 * terminal.
 *
 * @example
 * ```ts
 * const progress = progressReporter(process.stdout, 32);
 * await pipeline(ids, { onProgress: progress.onProgress }).stage(...).run();
 * progress.done();
 * ```
 */
export function progressReporter(out: ProgressOutput, total: number): ProgressReporter {
  if (out.isTTY !== true) return { onProgress: undefined, done: () => undefined };
  let drawn = false;
  return {
    onProgress: (stats) => {
      drawn = true;
      out.write(REDRAW(progressLine(stats.stages.at(-1)?.emitted ?? 0, total, stats.elapsed)));
    },
    done: () => {
      if (drawn) out.write(REDRAW(''));
      drawn = false;
    },
  };
}
