/**
 * A fixed latency applied to many waits at once: the engine behind `delayedGameLogic` and
 * `delayedCountNeighbors`. Every wait of one line lasts the same `ms`, so due times arrive in
 * order, and the waits started together on the same signal form one batch: one timer for the head batch of the line, one abort watcher per batch, and one
 * timer callback that settles the whole batch. A 10,000-cell generation started in a few
 * milliseconds is a handful of batches, where one `sleep` per cell cost 10,000 timers, 10,000
 * abort watchers and their closures, all alive for the full latency (so every young-generation
 * garbage collection copied them, then promoted them): that was most of the CPU a generation
 * spent beyond its 100 ms floor.
 *
 * Each wait still lasts its own full latency. The waits started in one synchronous run (one
 * tick, before the next microtask) on one signal join one open batch, up to `BATCH_LIMIT` of
 * them; a microtask (or the wait that fills the batch) closes it and only then reads the
 * clock, so the batch is due `ms` after its last wait started and every earlier wait in it
 * waits a little longer than `ms`, never less. That is also one `performance.now()` per batch
 * rather than one per wait: a generation launches its 10,000 cells in one synchronous loop, and
 * every microsecond per cell there is ten more milliseconds per generation. A batch is settled
 * only once `performance.now()` has reached its due time (a timer that fires early on the event
 * loop's coarser clock is re-armed for the rest). Aborting a signal rejects at once every wait
 * of that signal, with `signal.reason`, like `sleep`; once no wait is pending, no timer and no
 * listener is left. Like `sleep`, the timer is not `unref`'d, and delays past setTimeout's
 * 24.8-day limit re-arm in steps; `Infinity` waits only for the signal.
 *
 * Rejected alternatives: one `sleep` per wait (above), and the game server's `DelayLine` (one
 * record per wait in the line, one clock read per wait, and cancellation one job at a time).
 *
 * @module
 */

import { unwatchAbort, watchAbort, type AbortWatcher } from '../../core/abort-watch.js';
import { rejected } from '../../tasks/sleep.js';

/**
 * Waits per batch at most: a full batch closes at once instead of at the end of the tick, so
 * that a long synchronous launch (10,000 cells take milliseconds) falls due in several steps
 * and the first batches are settled while the last ones still wait, not all after the last.
 */
const BATCH_LIMIT = 512;

/** setTimeout clamps longer delays to 1 ms (with a warning); longer waits re-arm in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The resolving functions of the promise being constructed, handed out by
 * {@link captureResolvers}: one shared executor instead of a closure per wait (Node 20 has no
 * `Promise.withResolvers`). Both are `undefined` outside `wait`.
 */
let capturedResolve: ((value: never) => void) | undefined;
let capturedReject: ((reason: unknown) => void) | undefined;

function captureResolvers(resolve: (value: never) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** The waits due in one millisecond on one signal. The three arrays are parallel, one entry per wait. */
interface Batch<I, R> {
  /** `performance.now()` at which the batch is settled (`Infinity`: never); `NaN` while it is open. */
  due: number;
  readonly signal: AbortSignal | undefined;
  readonly inputs: I[];
  readonly resolves: ((value: R) => void)[];
  readonly rejects: ((reason: unknown) => void)[];
  /** Set while the batch watches its signal; `undefined` without one and once settled. */
  watcher: AbortWatcher | undefined;
  /** True once settled (due or aborted); the batch then only waits to be dropped from the line. */
  done: boolean;
}

/** Waits of `ms` milliseconds, each ending with `finish(input)` as its result (a throw rejects it). */
export class LatencyLine<I, R> {
  readonly #ms: number;
  readonly #finish: (input: I) => R;
  /** Closed batches in due order from index `#head`; entries before it are consumed. */
  #batches: Batch<I, R>[] = [];
  /** Batches opened in this tick, in order, until the microtask that closes them; empty between ticks. */
  #opened: Batch<I, R>[] = [];
  #head = 0;
  /** Armed for the head batch exactly while a batch with a finite due time is pending. */
  #timer: NodeJS.Timeout | undefined;

  /** @param ms the latency, a number >= 0 (checked by the caller). */
  constructor(ms: number, finish: (input: I) => R) {
    this.#ms = ms;
    this.#finish = finish;
  }

  /** Resolves with `finish(input)` after the latency; rejects with `signal.reason` when it aborts first. */
  wait(input: I, signal: AbortSignal | undefined): Promise<R> {
    const last = this.#opened[this.#opened.length - 1];
    // An open batch that is not done has a signal that has not aborted (its watcher would have settled it).
    let batch: Batch<I, R>;
    if (last !== undefined && !last.done && last.signal === signal) batch = last;
    else if (signal?.aborted) return rejected(signal.reason);
    else batch = this.#open(signal);
    const promise = new Promise<R>(captureResolvers);
    batch.inputs.push(input);
    // captureResolvers ran synchronously inside the constructor just above and set both.
    batch.resolves.push(capturedResolve as (value: R) => void);
    batch.rejects.push(capturedReject as (reason: unknown) => void);
    capturedResolve = capturedReject = undefined;
    if (batch.inputs.length === BATCH_LIMIT) this.#close();
    return promise;
  }

  #open(signal: AbortSignal | undefined): Batch<I, R> {
    const batch: Batch<I, R> = { due: Number.NaN, signal, inputs: [], resolves: [], rejects: [], watcher: undefined, done: false };
    if (signal !== undefined) batch.watcher = watchAbort(signal, () => this.#abort(batch, signal.reason));
    if (this.#opened.length === 0) queueMicrotask(this.#close);
    this.#opened.push(batch);
    return batch;
  }

  /**
   * Closes the batches opened so far: each is due `ms` from now, after every wait it holds has
   * started. Runs as the microtask after the tick that opened them, or earlier when a batch is full.
   */
  readonly #close = (): void => {
    if (this.#opened.length === 0) return;
    const due = performance.now() + this.#ms;
    for (const batch of this.#opened) {
      if (batch.done) continue;
      batch.due = due;
      this.#batches.push(batch);
    }
    this.#opened = [];
    if (this.#timer === undefined) this.#arm();
  };

  #abort(batch: Batch<I, R>, reason: unknown): void {
    batch.done = true;
    batch.watcher = undefined;
    for (const reject of batch.rejects) reject(reason);
    this.#prune();
    if (this.#timer !== undefined && this.#batches.length === this.#head) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Drops settled batches from the head, and compacts the array once half of it is consumed. */
  #prune(): void {
    while ((this.#batches[this.#head]?.done ?? false)) this.#head++;
    if (this.#head === this.#batches.length) {
      this.#batches = [];
      this.#head = 0;
    } else if (this.#head > 64 && this.#head * 2 > this.#batches.length) {
      this.#batches = this.#batches.slice(this.#head);
      this.#head = 0;
    }
  }

  #arm(): void {
    const head = this.#batches[this.#head];
    if (head === undefined || head.due === Infinity) {
      this.#timer = undefined;
      return;
    }
    this.#timer = setTimeout(this.#fire, Math.min(MAX_TIMER_MS, Math.max(0, head.due - performance.now())));
  }

  readonly #fire = (): void => {
    let now = performance.now();
    for (let batch = this.#batches[this.#head]; batch !== undefined; batch = this.#batches[this.#head]) {
      // Settling takes time: a batch that fell due meanwhile goes now rather than a timer turn later.
      if (batch.due > now && batch.due > (now = performance.now())) break;
      this.#head++;
      if (!batch.done) this.#settle(batch);
    }
    this.#prune();
    this.#arm();
  };

  #settle(batch: Batch<I, R>): void {
    batch.done = true;
    if (batch.watcher !== undefined) unwatchAbort(batch.watcher);
    batch.watcher = undefined;
    const { inputs, resolves, rejects } = batch;
    for (let i = 0; i < inputs.length; i++) {
      let result: R;
      try {
        // The three arrays are parallel: index i exists in each.
        result = this.#finish(inputs[i] as I);
      } catch (error) {
        (rejects[i] as (reason: unknown) => void)(error);
        continue;
      }
      (resolves[i] as (value: R) => void)(result);
    }
  }
}
