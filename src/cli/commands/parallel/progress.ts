/**
 * `--bar` and `--eta`: one live line on stderr, rewritten in place (`\r`, erase to end of line),
 * only when stderr is a terminal; nothing at all otherwise, so logs and pipes stay clean.
 * It shows done/total (total once the inputs are all read: `?` before), failures, the rate,
 * the ETA, and the job running longest. Redrawn at most every 100 ms, from job events: no timer.
 *
 * @module
 */

import type { JobStart } from '../../../parallel/options.js';
import type { JobResult } from '../../../parallel/result.js';

/** The progress line's state. */
export class Progress {
  readonly #write: (text: string) => void;
  readonly #began = performance.now();
  readonly #running = new Map<number, { command: string; since: number }>();
  #done = 0;
  #failed = 0;
  #total: number | undefined;
  #drawn = 0;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  /** Learns the number of jobs, once known. */
  setTotal(total: number): void {
    this.#total = total;
  }

  started(job: JobStart): void {
    this.#running.set(job.seq, { command: job.command, since: performance.now() });
    this.#draw(false);
  }

  finished(job: JobResult): void {
    this.#running.delete(job.seq);
    this.#done++;
    if (!job.ok) this.#failed++;
    this.#draw(false);
  }

  /** Draws the last state and ends the line. */
  end(): void {
    this.#draw(true);
    this.#write('\n');
  }

  /** The line as it would be drawn now. */
  line(now = performance.now()): string {
    const elapsed = (now - this.#began) / 1000;
    const rate = elapsed > 0 ? this.#done / elapsed : 0;
    const total = this.#total;
    const eta = total !== undefined && rate > 0 ? `${Math.max(0, (total - this.#done) / rate).toFixed(0)}s` : '?';
    let slowest = '';
    let since = Infinity;
    for (const job of this.#running.values()) {
      if (job.since < since) {
        since = job.since;
        slowest = job.command;
      }
    }
    const percent = total !== undefined && total > 0 ? ` ${Math.floor((this.#done / total) * 100)}%` : '';
    const oldest = slowest === '' ? '' : ` | longest ${((now - since) / 1000).toFixed(1)}s: ${slowest.slice(0, 40)}`;
    return `${this.#done}/${total ?? '?'}${percent} | ${this.#failed} failed | ${rate.toFixed(1)} jobs/s | ETA ${eta}${oldest}`;
  }

  #draw(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.#drawn < 100) return;
    this.#drawn = now;
    this.#write(`\r${this.line(now)}\u001b[K`);
  }
}
