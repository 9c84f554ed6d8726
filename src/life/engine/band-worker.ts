/**
 * The band worker: the task module `ParallelLifeEngine` hands to its `WorkerPool` (code that
 * runs inside a worker lives in its own file, STYLE 3). The grid is cut into several bands per
 * thread; a step is `bands x generations` small tasks, "step band `b` to generation `g`", handed
 * out in order by one shared ticket word (see `layout.ts`). Every thread runs the same loop: take
 * the next ticket, wait until the task's inputs are ready, step the band, count it. The threads
 * never come back to the main thread between generations, and they never meet all at once.
 *
 * Why tickets and not one fixed band per thread (the previous design): a fixed split lasts as
 * long as its slowest thread, and cores are not equal: on this 2-vCPU VM one vCPU is often
 * ~1.6x slower than the other for seconds at a time (contention on the host), and laptops mix
 * fast and efficient cores. With tickets a faster thread simply takes more bands: measured here
 * with the previous byte planes, 1000x1000 on 2 threads went from 0.90 to 0.70 ms per
 * generation while one vCPU was slowed, and to 0.59 ms (1.9x one thread) while neither was.
 * Rejected: moving fixed band edges between generations (each pair of neighbours must agree on
 * the edge; tickets need no agreement), and a barrier per generation (every thread stops on the
 * slowest, and pays a futex wake-up each time).
 *
 * When a task is ready: stepping band `b` to generation `g + 1` reads generation `g` of bands
 * `b - 1`, `b` and `b + 1` (the neighbours' edge rows), and overwrites band `b`'s generation
 * `g - 1` in the other plane, which only the tasks stepping bands `b - 1`, `b`, `b + 1` to
 * generation `g` read. So one condition covers both: those three bands have counted `g`
 * generations. No row is read while it is written, and no band gets two generations ahead of a
 * neighbour.
 *
 * Why it cannot deadlock, with any number of threads (one thread alone does everything): tickets
 * go out in order, and a task waits only for tasks of the previous generation, whose tickets are
 * smaller, so they were taken by threads that are already stepping them. Why it rarely waits at
 * all: each generation visits the bands in an order rotated by one (`taskOf`), so the first task
 * of generation `g + 1` (band `g + 1`) needs bands `g`, `g + 1` and `g + 2`, the first three
 * tasks of generation `g`, finished long before.
 *
 * Ordering: the planes are plain (non-atomic) words. The ticket and the counts are changed and
 * read with `Atomics` operations, which are sequentially consistent: the plain writes a thread
 * made before counting a band happen before the plain reads of a thread that loaded that count.
 *
 * Stopping: the main thread sets `STOPPED` in every word (and notifies) when the step's signal
 * aborts or a task fails; a thread sees it at its next ticket or wait, within one band, and
 * returns the tasks it completed. A blocked thread runs no event loop, so a pool abort message
 * could not reach it: the flag in shared memory is what makes the step abortable.
 *
 * @module
 */

import { bandRows, bandWord, plane, STOPPED, TICKET, type LifeBuffers } from './layout.js';
import { stepRows } from './step.js';

/** Arguments of {@link stepBands}, in order (what the main thread posts to the pool). */
export type StepBandsArgs = Parameters<typeof stepBands>;

/**
 * The task ticket `ticket` stands for, with `bands` bands: step band `band` to generation
 * `generation + 1` of the segment. Each generation's `bands` tickets visit every band once,
 * starting one band further on than the previous generation did.
 */
export function taskOf(ticket: number, bands: number): { generation: number; band: number } {
  const generation = Math.floor(ticket / bands);
  return { generation, band: (ticket + generation) % bands };
}

/**
 * Takes tickets from `control` until the `bands x generations` tasks of the segment that starts
 * at generation `from` are handed out or the step is stopped, and steps each task's band.
 * Returns how many tasks this thread completed; the segment is done when the threads' counts add
 * up to `bands * generations`.
 */
export function stepBands(buffers: LifeBuffers, control: Int32Array, bands: number, from: number, generations: number): number {
  const { height, width } = buffers;
  const tasks = bands * generations;
  let completed = 0;
  for (;;) {
    // A stopped ticket word carries `STOPPED` (2^30), above any segment's task count (see `layout.ts`).
    const ticket = Atomics.add(control, TICKET, 1);
    if (ticket >= tasks) return completed;
    const { generation, band } = taskOf(ticket, bands);
    const above = (band + bands - 1) % bands;
    const below = (band + 1) % bands;
    if (!counted(control, above, generation) || !counted(control, band, generation) || !counted(control, below, generation)) return completed;
    const [y0, y1] = bandRows(height, bands, band);
    stepRows(plane(buffers, from + generation), plane(buffers, from + generation + 1), height, width, y0, y1);
    // Only the task stepping band `band` to `generation + 1` changes its count now (it is exactly
    // `generation`), and an add keeps a stop flag set meanwhile. Seq-cst: the rows written above
    // are visible to whoever loads the new count.
    Atomics.add(control, bandWord(band), 1);
    Atomics.notify(control, bandWord(band));
    completed++;
  }
}

/** Waits until band `band` has counted `generation` generations; false if the step was stopped. */
function counted(control: Int32Array, band: number, generation: number): boolean {
  const index = bandWord(band);
  for (;;) {
    const word = Atomics.load(control, index);
    if ((word & STOPPED) !== 0) return false;
    if (word >= generation) return true;
    // Parks only while the word still equals `word` (compared and parked in one atomic step):
    // the count's increment and the main thread's stop both change the word, then notify.
    Atomics.wait(control, index, word);
  }
}
