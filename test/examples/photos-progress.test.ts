/**
 * The photo example's progress line: its wording, and that only a terminal gets anything.
 */

import { describe, expect, it } from 'vitest';
import { progressLine, progressReporter } from '../../examples/photos/progress.js';

function output(isTTY: boolean | undefined): { isTTY: boolean | undefined; written: string[]; write: (text: string) => void } {
  const written: string[] = [];
  return { isTTY, written, write: (text) => written.push(text) };
}

const stats = (elapsed: number, ...emitted: number[]): { elapsed: number; stages: { emitted: number }[] } => ({ elapsed, stages: emitted.map((n) => ({ emitted: n })) });

describe('progressLine', () => {
  it('says done of total, the average rate and the time left', () => {
    expect(progressLine(12, 32, 3000)).toBe('12/32 photos, 4.0 photos/s, ETA 5.0 s');
    expect(progressLine(32, 32, 8000)).toBe('32/32 photos, 4.0 photos/s, ETA 0.0 s');
  });

  it('has no ETA before the first photo, and no rate at time 0', () => {
    expect(progressLine(0, 32, 500)).toBe('0/32 photos, 0.0 photos/s, ETA ?');
    expect(progressLine(0, 32, 0)).toBe('0/32 photos, 0.0 photos/s, ETA ?');
  });
});

describe('progressReporter', () => {
  it('redraws one line on a terminal from the last stage\'s outputs, and erases it at the end', () => {
    const out = output(true);
    const progress = progressReporter(out, 10);
    expect(progress.onProgress).toBeTypeOf('function');
    progress.onProgress?.(stats(1000, 9, 5, 2));
    progress.onProgress?.(stats(2000, 10, 8, 4));
    progress.done();
    progress.done();
    expect(out.written).toEqual(['\r2/10 photos, 2.0 photos/s, ETA 4.0 s\x1b[K', '\r4/10 photos, 2.0 photos/s, ETA 3.0 s\x1b[K', '\r\x1b[K']);
  });

  it('erases nothing when it never drew', () => {
    const out = output(true);
    progressReporter(out, 10).done();
    expect(out.written).toEqual([]);
  });

  it('writes nothing and asks for no progress when the output is not a terminal', () => {
    for (const isTTY of [false, undefined]) {
      const out = output(isTTY);
      const progress = progressReporter(out, 10);
      expect(progress.onProgress).toBeUndefined();
      progress.done();
      expect(out.written).toEqual([]);
    }
  });
});
