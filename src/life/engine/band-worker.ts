/**
 * The band worker: the task module `ParallelLifeEngine` hands to its `WorkerPool` (code that
 * runs inside a worker lives in its own file, STYLE 3). Each task steps one band of rows for
 * all the generations of a step over the shared planes, and meets only its two neighbour bands,
 * through their progress words (see `layout.ts`), never the main thread.
 *
 * Why neighbours and not a barrier: computing generation `g + 1` of a band reads the band's own
 * rows and the one edge row of each neighbour, so a band only ever waits for its neighbours.
 * And it waits for their edge rows only: each generation, a band first writes its own two edge
 * rows, publishes them (one increment of its progress word), and only then steps its interior.
 * A neighbour that is late by up to a whole band's interior is therefore never waited for, where
 * a barrier would stop both threads at every generation on the slower one, and a thread parked
 * in `Atomics.wait` costs a futex wake-up (tens of microseconds, more when the host descheduled
 * the idle core) on every generation of ~1 ms. Rejected: `SharedBarrier` between generations
 * (the previous design, 1.15–1.4x on 2 cores at 1000x1000), and a spinning barrier (busy
 * waiting, and still a full stop per generation).
 *
 * Safety of writing generation `c + 1` (plane `(c + 1) % 2`, over generation `c - 1`), once both
 * neighbours counted `c`: they have written their edge rows of generation `c`, which this band's
 * edge rows read, and they have finished reading this band's edge rows of generation `c - 1`
 * (a neighbour reads them only to write its own edge rows, which it did before counting `c`).
 * A neighbour's interior reads only its own rows. So no row is read while it is written, and a
 * band is never more than one generation ahead of a neighbour.
 *
 * Ordering: the planes are plain (non-atomic) bytes. The progress words are read and written
 * with `Atomics` operations, which are sequentially consistent: the plain writes a band made
 * before its increment happen before the plain reads a neighbour makes after loading that
 * count.
 *
 * Stopping: the main thread sets `PROGRESS_STOPPED` in every word (and notifies) when the step's
 * signal aborts or a band fails; a band sees it at its next edge, within one generation, and
 * returns the generations it completed. A blocked thread runs no event loop, so a pool abort
 * message could not reach it: the flag in shared memory is what makes the step abortable.
 *
 * @module
 */

import { PROGRESS_COUNT_MASK, PROGRESS_STOPPED, plane, type LifeBuffers } from './layout.js';
import { stepRows } from './step.js';

/** Arguments of {@link stepBand}, in order (what the main thread posts to the pool). */
export type StepBandArgs = Parameters<typeof stepBand>;

/**
 * Steps rows `[y0, y1)` (band `band`, between bands `above` and `below`, which are `band`
 * itself when it is the only one) from generation `from` for `generations` generations.
 * Returns how many it completed: `generations`, or fewer once the step was stopped.
 */
export function stepBand(
  buffers: LifeBuffers,
  progress: Int32Array,
  band: number,
  above: number,
  below: number,
  y0: number,
  y1: number,
  from: number,
  generations: number,
): number {
  const { height, width } = buffers;
  for (let done = 0; done < generations; done++) {
    if (!neighbourReady(progress, above, done) || !neighbourReady(progress, below, done)) return done;
    const src = plane(buffers, from + done);
    const dst = plane(buffers, from + done + 1);
    stepRows(src, dst, height, width, y0, y0 + 1);
    if (y1 - 1 > y0) stepRows(src, dst, height, width, y1 - 1, y1);
    if (!publish(progress, band)) return done;
    if (y1 - 1 > y0 + 1) stepRows(src, dst, height, width, y0 + 1, y1 - 1);
  }
  return generations;
}

/**
 * Waits until band `neighbour` has counted `done` (or `done + 1`) generations; false if the
 * step was stopped. The neighbour's count is `done - 1`, `done` or `done + 1` (see the header),
 * so "not yet" is exactly "equals `done - 1`", which holds modulo 2^30 too.
 */
function neighbourReady(progress: Int32Array, neighbour: number, done: number): boolean {
  const behind = (done - 1) & PROGRESS_COUNT_MASK;
  for (;;) {
    const word = Atomics.load(progress, neighbour);
    if ((word & PROGRESS_STOPPED) !== 0) return false;
    if ((word & PROGRESS_COUNT_MASK) !== behind) return true;
    // Parks only while the word still equals `word` (compared and parked in one atomic step):
    // the neighbour's increment and the main thread's stop both change the word, then notify.
    Atomics.wait(progress, neighbour, word);
  }
}

/** Counts one more generation of this band's edge rows and wakes its neighbours; false if stopped. */
function publish(progress: Int32Array, band: number): boolean {
  for (;;) {
    const word = Atomics.load(progress, band);
    if ((word & PROGRESS_STOPPED) !== 0) return false;
    // Only this band increments its word, so the swap fails only when the main thread set the
    // stop flag meanwhile; the loop then sees it. Seq-cst: the edge rows written above are
    // visible to whoever loads the new count.
    if (Atomics.compareExchange(progress, band, word, (word + 1) & PROGRESS_COUNT_MASK) === word) break;
  }
  // After the new count is in the word, so a neighbour that parked on the old value wakes.
  Atomics.notify(progress, band);
  return true;
}
