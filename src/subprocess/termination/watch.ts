/**
 * The cancellation scope of one subprocess wait: a caller's `signal` and a `timeout`, merged,
 * each with its own callback because they end differently (an abort rejects with
 * `signal.reason`; a timeout becomes a `TimeoutExpired` that carries the partial output).
 *
 * Why not core's `Deadline`: a timeout here is not an abort reason but its own outcome (the
 * `TimeoutExpired` needs the output read so far), so the two triggers keep separate callbacks.
 * The caller's signal is still watched through core's `abort-watch`, one listener per signal
 * however many children wait on it. Each timer and subscription is owned by the returned
 * disposer, called in `finally`.
 *
 * @module
 */

import { unwatchAbort, watchAbort } from '../../core/abort-watch.js';
import { isForever, type WaitOptions } from '../../core/deadline.js';

const NOTHING = (): void => {};

/**
 * Watches `opts` for one wait: `expired()` once the timeout elapses, `aborted(reason)` once the
 * signal aborts, at most one of them, never after the returned disposer ran. Allocates nothing
 * when `opts` asks for neither. The caller checks an already-aborted signal itself.
 */
export function watch(opts: WaitOptions | undefined, expired: () => void, aborted: (reason: unknown) => void): () => void {
  if (isForever(opts)) return NOTHING;
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe = NOTHING;
  const dispose = (): void => {
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    unsubscribe();
  };
  const signal = opts?.signal;
  if (signal !== undefined) {
    const watcher = watchAbort(signal, () => {
      if (done) return;
      dispose();
      aborted(signal.reason);
    });
    unsubscribe = () => unwatchAbort(watcher);
  }
  const timeout = opts?.timeout;
  if (timeout !== undefined && timeout !== Infinity) {
    // Longer than setTimeout's 2**31-1 ms range would fire at once; nobody waits 24 days on a child.
    timer = setTimeout(
      () => {
        if (done) return;
        dispose();
        expired();
      },
      Math.min(timeout, 2 ** 31 - 1),
    );
  }
  return dispose;
}

/**
 * Waits for `work`, giving up on `opts`: rejects with `expired()` after the timeout, with
 * `signal.reason` on an abort (at once if already aborted). Giving up leaves `work` running.
 */
export function within<T>(work: Promise<T>, opts: WaitOptions | undefined, expired: () => Error): Promise<T> {
  const signal = opts?.signal;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  if (isForever(opts)) return work;
  return new Promise<T>((resolve, reject) => {
    const dispose = watch(opts, () => reject(expired()), reject);
    void work.then(resolve, reject).finally(dispose);
  });
}
