/**
 * The band worker: the task module `ParallelLifeEngine` hands to its `WorkerPool` (code that
 * runs inside a worker lives in its own file, STYLE 3). Each task steps one band of rows for
 * several generations over the shared planes, with a `SharedBarrier` between generations:
 * every band must have written generation `g + 1` before any band reads it to compute
 * `g + 2`, because a band's first and last rows read its neighbours' edge rows.
 *
 * Ordering: the planes are plain (non-atomic) bytes. `SharedBarrier.waitSync` is built on
 * `Atomics` operations, which are sequentially consistent and order the plain writes made
 * before a party arrives with the plain reads made after it leaves, so a band never reads a
 * half-written neighbour row. Writes of one generation and reads of the same generation never
 * touch the same plane (generation `g` is plane `g % 2`), so no data race exists within a step.
 *
 * The barrier has a timeout only as a backstop against a sibling thread that died (the pool
 * terminates the rest then anyway); a broken barrier or the task's signal ends the task.
 *
 * @module
 */

import { SharedBarrier, type SharedBarrierHandle } from '../../workers/shared-barrier.js';
import { plane, type LifeBuffers } from './layout.js';
import { stepRows } from './step.js';

/** Arguments of {@link stepBand}, in order. */
export type StepBandArgs = [buffers: LifeBuffers, barrier: SharedBarrierHandle, y0: number, y1: number, from: number, generations: number];

/**
 * Steps rows `[y0, y1)` from generation `from` for `generations` generations, waiting at the
 * barrier after each generation but the last (the caller's fan-in is the last barrier).
 */
export function stepBand(
  buffers: LifeBuffers,
  barrierHandle: SharedBarrierHandle,
  y0: number,
  y1: number,
  from: number,
  generations: number,
  { signal }: { signal: AbortSignal },
): void {
  const barrier = SharedBarrier.from(barrierHandle);
  for (let g = from; g < from + generations; g++) {
    signal.throwIfAborted();
    stepRows(plane(buffers, g), plane(buffers, g + 1), buffers.height, buffers.width, y0, y1);
    if (g + 1 < from + generations) barrier.waitSync();
  }
}
