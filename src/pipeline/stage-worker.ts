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

/**
 * Runs one worker of `stage` until its input is done. Never rejects.
 *
 * A plain stage (`.stage`, unordered, no per-attempt timeout) runs its untimed iterations in
 * the tight loop of {@link plainWorker}; everything else, and the iterations the meter picks
 * for timing, go through {@link step}. Measured on the 3-stage bench (CPU time): the general
 * path for every item cost ~35% over the hand-written limit, the tight loop ~15%.
 */
export function stageWorker(scope: RunScope, stage: StageRuntime): Promise<void> {
  const { spec } = stage;
  return spec.kind === 'map' && stage.turns === undefined && spec.opts.timeout === Infinity ? plainWorker(scope, stage) : generalWorker(scope, stage);
}

async function generalWorker(scope: RunScope, stage: StageRuntime): Promise<void> {
  while (await step(scope, stage, stage.meter.weight()));
}

async function plainWorker(scope: RunScope, stage: StageRuntime): Promise<void> {
  const { input, meter, output, spec } = stage;
  const { fn } = spec;
  const { signal } = scope;
  // Few awaits and few live locals: each await saves the live registers of this frame.
  for (;;) {
    const weight = meter.weight();
    if (weight !== 0) {
      if (await step(scope, stage, weight)) continue;
      return;
    }
    let item = input.tryTake();
    if (item === EMPTY) item = await input.take();
    if (item === DONE) return;
    const index = meter.received++;
    let value: unknown;
    try {
      value = fn(item, index, signal);
      if (isThenable(value)) value = await value;
    } catch (error) {
      await failed(scope, stage, index, item, error, 0);
      continue;
    }
    if (scope.stopped) {
      meter.dropped++;
      meter.finished++;
      continue;
    }
    const accepted = output.put(value);
    if (accepted === true) {
      meter.emitted++;
      meter.finished++;
    } else await passed(stage, accepted, 0);
  }
}

/** A first attempt failed: retries, then the failure or the late success is settled. */
async function failed(scope: RunScope, stage: StageRuntime, index: number, item: unknown, error: unknown, weight: number): Promise<void> {
  const recovered = await recover(scope, stage, item, index, error);
  if (recovered.ok) await settle(scope, stage, index, item, recovered.value, false, weight);
  else await settle(scope, stage, index, item, recovered.error, true, weight);
}

/** What `recover` found: a retry's value, or the last failure. */
type Recovered = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** After a failed first attempt: the retries' outcome (none while the run is stopping). */
async function recover(scope: RunScope, stage: StageRuntime, item: unknown, index: number, error: unknown): Promise<Recovered> {
  const { opts, fn } = stage.spec;
  if (opts.retries === 0 || scope.stopped) return { ok: false, error };
  try {
    return { ok: true, value: await retry(scope, fn, item, index, opts, stage.meter, stage.what, error) };
  } catch (last) {
    return { ok: false, error: last };
  }
}

/**
 * One iteration, for any kind of stage, timed when `weight` is not 0 (see `stats.ts`):
 * resolves `false` once the input is done.
 */
async function step(scope: RunScope, stage: StageRuntime, weight: number): Promise<boolean> {
  const { input, meter, spec } = stage;
  let item = input.tryTake();
  if (item === EMPTY) {
    if (weight === 0) item = await input.take();
    else {
      const start = performance.now();
      item = await input.take();
      meter.starved += (performance.now() - start) * weight;
    }
  }
  if (item === DONE) return false;
  const index = meter.received++;
  const start = weight === 0 ? 0 : performance.now();
  let value: unknown;
  try {
    value = attempt(scope, spec.fn, item, index, spec.opts.timeout, stage.what);
    if (isThenable(value)) value = await value;
  } catch (error) {
    if (weight !== 0) meter.call(performance.now() - start, weight);
    await failed(scope, stage, index, item, error, weight);
    return true;
  }
  if (weight !== 0) meter.call(performance.now() - start, weight);
  await settle(scope, stage, index, item, value, false, weight);
  return true;
}

/** Everything after an input's call: drop it (stopped), fail it, filter it out, or pass it on. */
async function settle(scope: RunScope, stage: StageRuntime, index: number, item: unknown, value: unknown, failed: boolean, weight: number): Promise<void> {
  const { meter, spec } = stage;
  if (scope.stopped) {
    meter.dropped++;
    meter.finished++;
    return;
  }
  if (failed) return end(scope, stage, index, weight, new StageError(spec.name, index, item, value));
  if (spec.kind === 'filter' && !value) return end(scope, stage, index, weight, undefined);
  if (stage.turns !== undefined) await turn(stage, index, weight);
  if (spec.kind === 'flatMap') return expand(scope, stage, index, item, value, weight);
  const accepted = stage.output.put(spec.kind === 'filter' ? item : value);
  stage.turns?.advance(); // after the put is queued: the outlet keeps putters in call order
  return passed(stage, accepted, weight);
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
