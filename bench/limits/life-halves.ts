/**
 * The no-coordination reference for the parallel Life engine: the worker task that steps one
 * fixed band of rows for many generations without waiting for anybody. Two of these at once,
 * each on half the grid, is what two threads do with loom's stepper and no tickets, counts or
 * waits: the most a fixed split of the grid can give. (The engine's tickets can beat it when the
 * two cores run at unequal speeds.) The rows they read from the other half are being written
 * meanwhile, so the cells become garbage, which costs the branch-free stepper exactly what real
 * cells cost. It lives in the bench folder only; nothing in `src/` uses it.
 *
 * @module
 */

import { plane, type LifeBuffers } from '../../src/life/engine/layout.js';
import { stepRows } from '../../src/life/engine/step.js';

/** Steps rows `[y0, y1)` of `buffers` `generations` times, reading whatever the other rows hold. */
export function stepAlone(buffers: LifeBuffers, y0: number, y1: number, generations: number): void {
  const { height, width } = buffers;
  for (let generation = 0; generation < generations; generation++) {
    stepRows(plane(buffers, generation), plane(buffers, generation + 1), height, width, y0, y1);
  }
}
