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
 * Sleeps that watch a signal and start in the same millisecond (`Date.now()`), with the same
 * `ms`, in the same synchronous run, share one timer: Node would fire their timers in the same
 * pass anyway, and a fan-out of 10,000 `sleep(100, { signal })` children otherwise spends most
 * of its overhead making, listing and firing 10,000 `Timeout`s one at a time (measured with
 * `npm run bench -- fan-out`: the time past the 100 ms went from ~1.6x a raw `Promise.all` of
 * timers to ~1.0x). A shared timer ends the sleeps in the order they started; one aborted
 * sleep leaves the timer to the others, and the last one aborted clears it. Two costs, both
 * bounded: a sleep that joins the timer started up to 1 ms after its first sleep, so it can
 * resolve up to 1 ms earlier than a timer of its own would (whose own start is already
 * rounded down to the millisecond); and the sleeps aborted while others wait stay referenced
 * until the shared timer fires. Fake clocks stay exact as long as they fake `Date` with the
 * timers (vitest's, jest's and sinon's defaults): a joiner must see the same `Date.now()`.
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
 *   console.log((error as Error).message); // shutting down
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
  /** The pending timer of its own: set only for a step of a sleep past setTimeout's limit. */
  timer: NodeJS.Timeout | undefined = undefined;
  /** The shared timer it waits on; `undefined` for an endless sleep or while on a timer of its own. */
  shared: SharedTimer | undefined = undefined;
  /** The next sleeper on the same shared timer, in start order. */
  after: Sleeper | undefined = undefined;

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
    if (this.shared === undefined) clearTimeout(this.timer);
    else this.shared.leave();
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

/**
 * One timer for the sleeps of one `ms` that started in one millisecond of one synchronous run,
 * kept as a chain through the sleepers (no array to grow). `live` counts those still waiting.
 */
class SharedTimer {
  readonly timer: NodeJS.Timeout;
  first: Sleeper;
  last: Sleeper;
  live = 1;

  constructor(
    readonly ms: number,
    /** `Date.now()` when it was made: only sleeps starting in the same millisecond join. */
    readonly at: number,
    sleeper: Sleeper,
  ) {
    this.first = sleeper;
    this.last = sleeper;
    this.timer = setTimeout(fire, ms, this);
  }

  join(sleeper: Sleeper): void {
    this.last.after = sleeper;
    this.last = sleeper;
    this.live++;
  }

  /** A sleeper was aborted: the last one out clears the timer, so it keeps no process alive. */
  leave(): void {
    if (--this.live > 0) return;
    clearTimeout(this.timer);
    if (joinable === this) joinable = undefined;
  }
}

/** The shared timer a new sleep may join; forgotten at the end of the synchronous run that made it. */
let joinable: SharedTimer | undefined;

function forgetJoinable(): void {
  joinable = undefined;
}

/**
 * The shared timer is due. On a real clock it is no longer `joinable` by now (the microtask of
 * the run that armed it forgot it), but a fake clock can fire it inside that very run
 * (`vi.runOnlyPendingTimers()`), and a sleep joining it then would never end.
 */
function fire(shared: SharedTimer): void {
  if (joinable === shared) joinable = undefined;
  // An aborted sleeper is still in the chain: it has left its signal's list, and its promise is settled.
  for (let sleeper: Sleeper | undefined = shared.first; sleeper !== undefined; sleeper = sleeper.after) {
    if (sleeper.signal !== undefined) unwatchAbort(sleeper);
    sleeper.resolve();
  }
}

function arm(sleeper: Sleeper): void {
  if (sleeper.left > MAX_TIMER_MS) {
    sleeper.left -= MAX_TIMER_MS;
    sleeper.timer = setTimeout(onStep, MAX_TIMER_MS, sleeper);
    return;
  }
  const ms = sleeper.left;
  sleeper.left = 0;
  const now = Date.now();
  const shared = joinable;
  if (shared !== undefined && shared.ms === ms && shared.at === now) {
    shared.join(sleeper);
    sleeper.shared = shared;
    return;
  }
  if (joinable === undefined) queueMicrotask(forgetJoinable);
  joinable = new SharedTimer(ms, now, sleeper);
  sleeper.shared = joinable;
}

/** One step of a sleep past setTimeout's limit has elapsed: the rest is armed. */
function onStep(sleeper: Sleeper): void {
  sleeper.timer = undefined;
  arm(sleeper);
}
