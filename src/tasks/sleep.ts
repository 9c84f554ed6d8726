/**
 * `sleep(ms, opts)`: a promise that resolves after `ms` milliseconds, like Python's
 * `asyncio.sleep` and Node's `timers/promises` `setTimeout`, with loom's cancellation model.
 *
 * The timer has exactly one owner, the sleep itself: it is cleared the moment the sleep is
 * aborted (so an aborted `sleep(60_000)` does not keep the process alive for a minute). Without
 * a signal or timeout the sleep is one `setTimeout` and one promise, nothing more, because
 * fan-outs of thousands of sleeping tasks are benchmarked against bare `setTimeout`.
 *
 * With a signal, every sleep parked on that signal shares one `abort` listener (core's
 * `abort-watch.ts`), added by the first and removed when the last one ends. Rejected
 * alternative: a listener per sleep, which is what Node's `timers/promises` does. `EventTarget`
 * scans its whole listener list on every add and remove, so 10,000 tasks of one group sleeping
 * on the group's signal took seconds instead of milliseconds, and Node warned of a listener leak.
 *
 * The timer is not `unref`'d: a sleep is work its caller awaits, and an unref'd timer would let
 * the process exit in the middle of that await with the promise forever pending. (Node's
 * `timers/promises` offers `ref: false` for the rare fire-and-forget timer; loom has no such
 * case.) Delays past setTimeout's 24.8-day limit re-arm in steps instead of firing after 1 ms.
 *
 * @module
 */

import { linkWatcher, unwatchAbort, type AbortWatcher } from '../core/abort-watch.js';
import { Deadline, type WaitOptions } from '../core/deadline.js';
import { checkWaitOptions, expectation } from '../core/validate.js';

/** setTimeout clamps longer delays to 1 ms (with a warning); longer sleeps re-arm in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Throws unless `value` is a number of milliseconds >= 0 (`Infinity` allowed), with the same
 * message as the `timeout` option. Internal: shared by `sleep` and `withTimeout`.
 */
export function checkMilliseconds(name: string, value: unknown): asserts value is number {
  const expected = 'a number of milliseconds >= 0';
  if (typeof value !== 'number') throw new TypeError(expectation(name, expected, value));
  if (!(value >= 0)) throw new RangeError(expectation(name, expected, value));
}

/**
 * Resolves after `ms` milliseconds.
 *
 * - `ms` is a number >= 0; `0` waits for one timer turn; `Infinity` never resolves by itself
 *   (it ends only through `signal` or `timeout`, like trio's `sleep_forever`).
 * - `signal`: already aborted, the sleep rejects at once with `signal.reason`; aborted while
 *   sleeping, it clears its timer and rejects with `signal.reason`.
 * - `timeout`: when it is not longer than `ms`, the sleep rejects with a `TimeoutError`
 *   (`sleep timed out after N milliseconds`) at that time.
 *
 * No listener or timer is left behind once the promise settles.
 *
 * @throws {TypeError | RangeError} synchronously, for a bad `ms` or bad options.
 * @example
 * ```ts
 * import { sleep } from 'loom';
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(new Error('shutting down')), 10);
 * await sleep(1000, { signal: controller.signal }).catch((error: unknown) => {
 *   console.log((error).message); // shutting down
 * });
 * ```
 */
export function sleep(ms: number, opts?: WaitOptions): Promise<void> {
  checkMilliseconds('ms', ms);
  checkWaitOptions(opts);
  const signal = opts?.signal;
  const timeout = opts?.timeout;
  if (timeout === undefined || timeout === Infinity) {
    if (signal === undefined) {
      if (ms <= MAX_TIMER_MS) return new Promise((resolve) => setTimeout(resolve, ms));
      return new Promise((resolve, reject) => startSleeper(ms, resolve, reject, undefined));
    }
    // A bare signal is watched directly, through its shared listener: no controller.
    if (signal.aborted) return rejected(signal.reason);
    return startSignalled(ms, signal);
  }
  if (signal?.aborted) return rejected(signal.reason);
  const scope = new Deadline(opts, 'sleep');
  if (scope.signal.aborted) return rejected(scope.signal.reason);
  const slept = new Promise<void>((resolve, reject) => startSleeper(ms, resolve, reject, scope.signal));
  return slept.finally(() => scope.dispose());
}

/**
 * A promise rejected with `reason` as it is. An abort reason is whatever the aborter chose, often
 * not an `Error`, and loom passes it on unchanged (a `Promise.reject` call would need a cast).
 * Internal: shared by the `tasks` layer.
 */
export async function rejected(reason: unknown): Promise<never> {
  throw reason;
}

/** One sleep in progress; with a signal, it is its own node in the signal's watcher list. */
class Sleeper implements AbortWatcher {
  watch: AbortWatcher['watch'] = undefined;
  prev: AbortWatcher | undefined = undefined;
  next: AbortWatcher | undefined = undefined;
  /** The pending timer; `undefined` only for an endless sleep. */
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    /** Exactly one of the two is called, once: `resolve` when the time is up, `reject` when the signal aborts first. */
    readonly resolve: () => void,
    readonly reject: (reason: unknown) => void,
    /** The signal this sleep watches, if any. */
    readonly signal: AbortSignal | undefined,
    /** Milliseconds still to wait after the pending timer fires (more than one timer can hold). */
    public left: number,
  ) {}

  callback(): void {
    clearTimeout(this.timer);
    this.reject((this.signal as AbortSignal).reason); // only linked, so only called, with a signal
  }
}

/** The arguments of the sleep {@link capture} is about to start; set only around its `new Promise`. */
let pendingMs = 0;
let pendingSignal: AbortSignal | undefined;

/**
 * A promise executor that captures nothing: the sleep it starts is described by the two
 * variables above. A closure per sleep (and its context) is what a fan-out of 10,000 sleeping
 * children allocates most of beyond the timer itself, and every byte of it stays alive, and is
 * copied by each scavenge, for the whole sleep.
 */
function capture(resolve: () => void, reject: (reason: unknown) => void): void {
  startSleeper(pendingMs, resolve, reject, pendingSignal);
}

/** A sleep of `ms` watching `signal` (not aborted). */
function startSignalled(ms: number, signal: AbortSignal): Promise<void> {
  pendingMs = ms;
  pendingSignal = signal;
  const slept = new Promise<void>(capture);
  pendingSignal = undefined;
  return slept;
}

function startSleeper(ms: number, resolve: () => void, reject: (reason: unknown) => void, signal: AbortSignal | undefined): void {
  const sleeper = new Sleeper(resolve, reject, signal, ms);
  if (ms !== Infinity) arm(sleeper);
  if (signal !== undefined) linkWatcher(signal, sleeper);
}

function arm(sleeper: Sleeper): void {
  const step = Math.min(sleeper.left, MAX_TIMER_MS);
  sleeper.left -= step;
  sleeper.timer = setTimeout(onTimer, step, sleeper);
}

function onTimer(sleeper: Sleeper): void {
  if (sleeper.left > 0) {
    arm(sleeper);
    return;
  }
  if (sleeper.signal !== undefined) unwatchAbort(sleeper);
  sleeper.resolve();
}
