/**
 * Model-based test: random command sequences run against each queue kind and against a
 * plain-array model of its documented semantics; after every command (and a flush) the
 * outcome of every call, settled or still waiting, and the observable state must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidStateError, QueueClosed, QueueEmpty, QueueFull } from '../../src/core/errors.js';
import { LifoQueue, PriorityQueue, Queue } from '../../src/queue/index.js';
import { flush } from '../helpers.js';

type Kind = 'fifo' | 'lifo' | 'priority';
interface Item {
  readonly p: number;
  readonly id: number;
}
type Outcome = { ok: true; value: unknown } | { ok: false; error: string };
interface Waiter {
  readonly call: number;
  readonly cancellable: boolean;
}

interface Model {
  readonly kind: Kind;
  readonly maxsize: number;
  /** Store contents in insertion order, each with its insertion sequence (for priority ties). */
  items: { item: Item; seq: number }[];
  seq: number;
  closed: boolean;
  dropping: boolean;
  unfinished: number;
  getters: Waiter[];
  putters: (Waiter & { item: Item })[];
  joiners: number[];
  /** What each call is expected to have settled with (absent: still waiting). */
  expected: Map<number, Outcome>;
  nextCall: number;
  nextId: number;
}

interface Real {
  readonly queue: Queue<Item> | LifoQueue<Item> | PriorityQueue<Item>;
  readonly actual: Map<number, Outcome>;
  readonly controllers: Map<number, AbortController>;
}

const describeError = (error: unknown): string => `${(error as Error).name}: ${(error as Error).message}`;

function track(real: Real, call: number, promise: Promise<unknown>): void {
  promise.then(
    (value) => real.actual.set(call, { ok: true, value }),
    (error: unknown) => real.actual.set(call, { ok: false, error: describeError(error) }),
  );
}

function className(model: Model): string {
  return model.kind === 'fifo' ? 'Queue' : model.kind === 'lifo' ? 'LifoQueue' : 'PriorityQueue';
}

function modelTake(model: Model): Item {
  let index = model.kind === 'fifo' ? 0 : model.items.length - 1;
  if (model.kind === 'priority') {
    index = 0;
    model.items.forEach((entry, i) => {
      const best = model.items[index] as { item: Item; seq: number };
      if (entry.item.p < best.item.p || (entry.item.p === best.item.p && entry.seq < best.seq)) index = i;
    });
  }
  const [entry] = model.items.splice(index, 1);
  if (model.putters.length > 0 && model.items.length < model.maxsize) {
    const putter = model.putters.shift() as Waiter & { item: Item };
    modelAccept(model, putter.item);
    model.expected.set(putter.call, { ok: true, value: undefined });
  }
  return (entry as { item: Item }).item;
}

function modelAccept(model: Model, item: Item): void {
  model.unfinished++;
  const getter = model.getters.shift();
  if (getter !== undefined) model.expected.set(getter.call, { ok: true, value: item });
  else model.items.push({ item, seq: model.seq++ });
}

function modelFinish(model: Model): void {
  if (model.unfinished > 0) return;
  for (const call of model.joiners) model.expected.set(call, { ok: true, value: undefined });
  model.joiners = [];
}

const isFull = (model: Model): boolean => model.maxsize > 0 && model.items.length >= model.maxsize;

function newItem(model: Model, p: number): Item {
  return { p, id: model.nextId++ };
}

async function check(model: Model, real: Real): Promise<void> {
  await flush();
  expect(real.actual).toEqual(model.expected);
  const { queue } = real;
  expect(queue.size).toBe(model.items.length);
  expect(queue.empty()).toBe(model.items.length === 0);
  expect(queue.full()).toBe(isFull(model));
  expect(queue.closed).toBe(model.closed);
}

function syncOutcome(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

class PutNowait implements fc.AsyncCommand<Model, Real> {
  constructor(readonly p: number) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const item = newItem(model, this.p);
    let expected: Outcome = { ok: true, value: undefined };
    if (model.closed) expected = { ok: false, error: describeError(new QueueClosed(`Cannot put to a closed ${className(model)}`)) };
    else if (isFull(model)) expected = { ok: false, error: describeError(new QueueFull(`Cannot put to a full ${className(model)} (maxsize ${model.maxsize})`)) };
    else modelAccept(model, item);
    expect(syncOutcome(() => real.queue.putNowait(item))).toEqual(expected);
    await check(model, real);
  }
  toString = (): string => `putNowait(${this.p})`;
}

class Put implements fc.AsyncCommand<Model, Real> {
  constructor(readonly p: number, readonly cancellable: boolean) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const item = newItem(model, this.p);
    const call = model.nextCall++;
    const controller = new AbortController();
    if (this.cancellable) real.controllers.set(call, controller);
    track(real, call, real.queue.put(item, this.cancellable ? { signal: controller.signal } : undefined));
    if (model.closed) model.expected.set(call, { ok: false, error: describeError(new QueueClosed(`Cannot put to a closed ${className(model)}`)) });
    else if (isFull(model)) model.putters.push({ call, cancellable: this.cancellable, item });
    else {
      modelAccept(model, item);
      model.expected.set(call, { ok: true, value: undefined });
    }
    await check(model, real);
  }
  toString = (): string => `put(${this.p}${this.cancellable ? ', signal' : ''})`;
}

class GetNowait implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    let expected: Outcome;
    if (model.items.length > 0) expected = { ok: true, value: modelTake(model) };
    else if (model.closed) expected = { ok: false, error: describeError(new QueueClosed(`Cannot get from a closed, empty ${className(model)}`)) };
    else expected = { ok: false, error: describeError(new QueueEmpty(`Cannot get from an empty ${className(model)}`)) };
    expect(syncOutcome(() => real.queue.getNowait())).toEqual(expected);
    await check(model, real);
  }
  toString = (): string => 'getNowait()';
}

class Get implements fc.AsyncCommand<Model, Real> {
  constructor(readonly cancellable: boolean) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const call = model.nextCall++;
    const controller = new AbortController();
    if (this.cancellable) real.controllers.set(call, controller);
    track(real, call, real.queue.get(this.cancellable ? { signal: controller.signal } : undefined));
    if (model.items.length > 0) model.expected.set(call, { ok: true, value: modelTake(model) });
    else if (model.closed) model.expected.set(call, { ok: false, error: describeError(new QueueClosed(`Cannot get from a closed, empty ${className(model)}`)) });
    else model.getters.push({ call, cancellable: this.cancellable });
    await check(model, real);
  }
  toString = (): string => `get(${this.cancellable ? 'signal' : ''})`;
}

/** Aborts the `index`-th (mod count) cancellable waiter, getter or putter. */
class Abort implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (model: Model): boolean => [...model.getters, ...model.putters].some((waiter) => waiter.cancellable);
  async run(model: Model, real: Real): Promise<void> {
    const waiters = [...model.getters, ...model.putters].filter((waiter) => waiter.cancellable);
    const { call } = waiters[this.index % waiters.length] as Waiter;
    model.getters = model.getters.filter((waiter) => waiter.call !== call);
    model.putters = model.putters.filter((waiter) => waiter.call !== call);
    model.expected.set(call, { ok: false, error: describeError(new Error(`abort ${call}`)) });
    real.controllers.get(call)?.abort(new Error(`abort ${call}`));
    await check(model, real);
  }
  toString = (): string => `abort(#${this.index})`;
}

/** The get hand-off race: an item handed to the oldest getter, which aborts in the same tick. */
class PutToAbortingGetter implements fc.AsyncCommand<Model, Real> {
  constructor(readonly p: number) {}
  check = (model: Model): boolean => !model.closed && model.getters[0]?.cancellable === true;
  async run(model: Model, real: Real): Promise<void> {
    const item = newItem(model, this.p);
    const { call } = model.getters.shift() as Waiter;
    model.unfinished++;
    model.expected.set(call, { ok: false, error: describeError(new Error(`abort ${call}`)) });
    const next = model.getters.shift();
    if (next !== undefined) model.expected.set(next.call, { ok: true, value: item });
    else model.items.push({ item, seq: Number.MIN_SAFE_INTEGER + model.seq++ }); // returned: ahead of its equals
    real.queue.putNowait(item);
    real.controllers.get(call)?.abort(new Error(`abort ${call}`));
    await check(model, real);
  }
  toString = (): string => `putNowait(${this.p}) + abort oldest getter`;
}

/** The put admission race: a take admits the oldest putter, which aborts in the same tick (too late). */
class GetWithAbortingPutter implements fc.AsyncCommand<Model, Real> {
  check = (model: Model): boolean => model.putters[0]?.cancellable === true;
  async run(model: Model, real: Real): Promise<void> {
    const { call } = model.putters[0] as Waiter;
    const expected = modelTake(model);
    expect(real.queue.getNowait()).toBe(expected);
    real.controllers.get(call)?.abort(new Error(`abort ${call}`));
    await check(model, real);
  }
  toString = (): string => 'getNowait() + abort admitted putter';
}

class TaskDone implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    let expected: Outcome = { ok: true, value: undefined };
    if (model.unfinished === 0) {
      expected = { ok: false, error: describeError(new InvalidStateError(`${className(model)}.taskDone() called more times than items were put`)) };
    } else {
      model.unfinished--;
      modelFinish(model);
    }
    expect(syncOutcome(() => real.queue.taskDone())).toEqual(expected);
    await check(model, real);
  }
  toString = (): string => 'taskDone()';
}

class Join implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const call = model.nextCall++;
    track(real, call, real.queue.join());
    model.joiners.push(call);
    modelFinish(model);
    await check(model, real);
  }
  toString = (): string => 'join()';
}

class Close implements fc.AsyncCommand<Model, Real> {
  constructor(readonly immediate: boolean) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    model.closed = true;
    for (const putter of model.putters) model.expected.set(putter.call, { ok: false, error: describeError(new QueueClosed(`Cannot put to a closed ${className(model)}`)) });
    model.putters = [];
    if (this.immediate && !model.dropping) {
      model.dropping = true;
      model.unfinished = Math.max(0, model.unfinished - model.items.length);
      model.items = [];
      modelFinish(model);
    }
    for (const getter of model.getters) model.expected.set(getter.call, { ok: false, error: describeError(new QueueClosed(`Cannot get from a closed, empty ${className(model)}`)) });
    model.getters = [];
    real.queue.close({ immediate: this.immediate });
    await check(model, real);
  }
  toString = (): string => `close(${this.immediate ? 'immediate' : ''})`;
}

const priority = fc.integer({ min: 0, max: 4 });
const commands = fc.commands(
  [
    priority.map((p) => new PutNowait(p)),
    fc.tuple(priority, fc.boolean()).map(([p, cancellable]) => new Put(p, cancellable)),
    fc.constant(new GetNowait()),
    fc.boolean().map((cancellable) => new Get(cancellable)),
    fc.nat(10).map((index) => new Abort(index)),
    priority.map((p) => new PutToAbortingGetter(p)),
    fc.constant(new GetWithAbortingPutter()),
    fc.constant(new TaskDone()),
    fc.constant(new Join()),
    fc.constant(new Close(false)),
    fc.constant(new Close(true)),
  ],
  { size: '+1' },
);

describe.each(['fifo', 'lifo', 'priority'] as const)('%s queue against a plain-array model', (kind) => {
  it('agrees on every command sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), commands, async (maxsize, cmds) => {
        const setup = (): { model: Model; real: Real } => ({
          model: {
            kind,
            maxsize,
            items: [],
            seq: 0,
            closed: false,
            dropping: false,
            unfinished: 0,
            getters: [],
            putters: [],
            joiners: [],
            expected: new Map(),
            nextCall: 0,
            nextId: 0,
          },
          real: {
            queue:
              kind === 'fifo'
                ? new Queue<Item>({ maxsize })
                : kind === 'lifo'
                  ? new LifoQueue<Item>({ maxsize })
                  : new PriorityQueue<Item>({ maxsize, comparator: (a, b) => a.p - b.p }),
            actual: new Map(),
            controllers: new Map(),
          },
        });
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 150 },
    );
  });
});
