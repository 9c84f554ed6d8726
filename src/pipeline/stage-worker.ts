/**
 * One worker of a `.stage`, `.filter` or `.flatMap`: takes an input from the stage's buffer,
 * calls the function, passes the result on, and again, until the buffer is closed and
 * drained or the run is torn down (the Go blog's pipeline stage: a function of its inbound
 * channel). A stage runs `workers` of these; each holds at most one input, which is what
 * bounds the stage at `workers + buffer` items.
 *
 * Every input ends exactly one way, counted in the stage's meter: passed on (`emitted`),
 * filtered out or abandoned by a teardown (`dropped`), or failed (`failed`). In an ordered
 * stage each of those waits for the input's turn first, so the turn always advances.
 *
 * @module
 */

import { DONE, EMPTY } from './channel.js';
import { attempt, isThenable, retry } from './call.js';
import { StageError } from './errors.js';
import { describeValue as describe } from '../core/validate.js';
import type { RunScope, StageRuntime } from './spec.js';

/** Runs one worker of `stage` until its input is done. Never rejects. */
export async function stageWorker(scope: RunScope, stage: StageRuntime): Promise<void> {
  const { input, meter, spec } = stage;
  const { fn, opts, kind } = spec;
  for (;;) {
    const weight = meter.weight();
    let item = input.tryTake();
    if (item === EMPTY) {
      if (weight === 0) item = await input.take();
      else {
        const start = performance.now();
        item = await input.take();
        meter.starved += (performance.now() - start) * weight;
      }
    }
    if (item === DONE) return;
    const index = meter.received++;
    const start = weight === 0 ? 0 : performance.now();
    let value: unknown;
    let failed = false;
    try {
      value = attempt(scope, fn, item, index, opts.timeout, stage.what);
      if (isThenable(value)) value = await value;
    } catch (error) {
      if (opts.retries > 0 && !scope.stopped) {
        try {
          value = await retry(scope, fn, item, index, opts, meter, stage.what, error);
        } catch (last) {
          failed = true;
          value = last;
        }
      } else {
        failed = true;
        value = error;
      }
    }
    if (weight !== 0) meter.call(performance.now() - start, weight);
    if (scope.stopped) {
      meter.dropped++;
      meter.finished++;
      continue;
    }
    if (failed) {
      await end(scope, stage, index, weight, new StageError(spec.name, index, item, value));
      continue;
    }
    if (kind === 'filter' && !value) {
      await end(scope, stage, index, weight, undefined);
      continue;
    }
    const out = kind === 'filter' ? item : value;
    if (kind !== 'flatMap' && stage.turns === undefined) {
      // The fast path: unordered, and room downstream now.
      const accepted = stage.output.put(out);
      if (accepted === true) {
        meter.emitted++;
        meter.finished++;
        continue;
      }
      await passed(stage, accepted, weight);
      continue;
    }
    if (stage.turns !== undefined) await turn(stage, index, weight);
    if (kind === 'flatMap') await expand(scope, stage, index, item, out, weight);
    else {
      const accepted = stage.output.put(out);
      stage.turns?.advance(); // after the put is queued: the outlet keeps putters in call order
      await passed(stage, accepted, weight);
    }
  }
}

/** Waits for `index`'s turn in an ordered stage; the time counts as `blocked`. */
async function turn(stage: StageRuntime, index: number, weight: number): Promise<void> {
  const wait = stage.turns?.wait(index);
  if (wait === undefined) return;
  const start = weight === 0 ? 0 : performance.now();
  await wait;
  if (weight !== 0) stage.meter.blocked += (performance.now() - start) * weight;
}

/** Counts one put's outcome, waiting for room downstream first if it has to (`blocked` time). */
async function passed(stage: StageRuntime, accepted: boolean | Promise<boolean>, weight: number): Promise<void> {
  const { meter } = stage;
  if (typeof accepted !== 'boolean') {
    const start = weight === 0 ? 0 : performance.now();
    accepted = await accepted;
    if (weight !== 0) meter.blocked += (performance.now() - start) * weight;
  }
  if (accepted) meter.emitted++;
  else meter.dropped++;
  meter.finished++;
}

/**
 * Ends an input that is not passed on: filtered out (`failure` undefined), or failed. A
 * failure without `continueOnError` tears the run down; the run then rejects with it.
 */
async function end(scope: RunScope, stage: StageRuntime, index: number, weight: number, failure: StageError | undefined): Promise<void> {
  const { meter, turns, spec } = stage;
  if (turns !== undefined) await turn(stage, index, weight);
  if (failure === undefined) meter.dropped++;
  else {
    meter.failed++;
    if (!spec.opts.continueOnError) scope.fail(failure);
  }
  meter.finished++;
  turns?.advance();
}

/**
 * Passes on each item of the iterable a `.flatMap` call returned, waiting for room before
 * each (backpressure: the iterable is drained no faster than downstream takes). An error
 * while draining fails the input without a retry: what it already passed on cannot be taken
 * back. A teardown stops the draining and closes the iterable (`return()`).
 */
async function expand(scope: RunScope, stage: StageRuntime, index: number, item: unknown, iterable: unknown, weight: number): Promise<void> {
  const { meter, turns, spec } = stage;
  let failure: StageError | undefined;
  try {
    if (!isIterable(iterable)) throw new TypeError(`Expected the \`flatMap\` function to return an iterable or async iterable, got ${describe(iterable)}`);
    for await (const out of iterable as AsyncIterable<unknown>) {
      const accepted = stage.output.put(out);
      if (!(accepted === true || (typeof accepted !== 'boolean' && (await timedPut(stage, accepted, weight))))) break;
      meter.emitted++;
    }
  } catch (error) {
    if (!scope.stopped) failure = new StageError(spec.name, index, item, error);
  }
  if (failure !== undefined) {
    meter.failed++;
    if (!spec.opts.continueOnError) scope.fail(failure);
  } else if (scope.stopped) meter.dropped++;
  meter.finished++;
  turns?.advance();
}

async function timedPut(stage: StageRuntime, accepted: Promise<boolean>, weight: number): Promise<boolean> {
  const start = weight === 0 ? 0 : performance.now();
  const result = await accepted;
  if (weight !== 0) stage.meter.blocked += (performance.now() - start) * weight;
  return result;
}

function isIterable(value: unknown): boolean {
  return value !== null && value !== undefined && (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function');
}
