/**
 * One `abort` listener per signal, however many waits watch it.
 *
 * A task group hands one signal to thousands of children, and each child's waits (a sleep, a
 * lock, a queue) watch that signal. Adding a listener per wait is what Node's own
 * `timers/promises` does, and it does not scale: `EventTarget` scans its whole listener list
 * on every add and remove, so 10,000 waits on one signal cost O(n²) (seconds, measured), and
 * Node prints `MaxListenersExceededWarning` from the eleventh. Here the first watcher of a
 * signal adds one listener, the others join an intrusive doubly linked list behind it (O(1)
 * add and remove, no allocation beyond the node), and the last one to leave removes the
 * listener, so a long-lived signal keeps nothing attached once its waits are over.
 *
 * On abort, watchers are called oldest first, each unlinked before its callback runs; a
 * callback may unwatch others, which are then not called.
 *
 * @module
 */

/**
 * One watcher's place in its signal's list. {@link watchAbort} makes one around a callback; a
 * caller that already allocates an object per wait (a sleep) can be the node itself and join
 * with {@link linkWatcher}, saving the node and the closure (fan-outs of 10,000 waits are
 * benchmarked against bare timers). The link fields belong to this module.
 */
export interface AbortWatcher {
  /** Called as a method of the watcher, once, when the signal aborts. */
  callback(): void;
  /** The list this watcher is in; `undefined` once it has left (unwatched or called). */
  watch: Watch | undefined;
  prev: AbortWatcher | undefined;
  next: AbortWatcher | undefined;
}

/** Every watcher of one signal, oldest first, behind one listener. */
interface Watch {
  readonly signal: AbortSignal;
  /** Oldest and newest watcher; both `undefined` exactly when the list is empty. */
  head: AbortWatcher | undefined;
  tail: AbortWatcher | undefined;
  readonly listener: () => void;
}

/** The watch of each signal that has watchers now; no entry (and no listener) otherwise. */
const watches = new WeakMap<AbortSignal, Watch>();

/**
 * Calls `callback` once when `signal` aborts, unless {@link unwatchAbort} comes first.
 * The caller checks `signal.aborted` before: an already aborted signal never fires again.
 */
export function watchAbort(signal: AbortSignal, callback: () => void): AbortWatcher {
  const watcher: AbortWatcher = { callback, watch: undefined, prev: undefined, next: undefined };
  linkWatcher(signal, watcher);
  return watcher;
}

/**
 * The watch looked up last: thousands of waits in a row watch one group's signal, and a
 * `WeakMap` lookup per wait showed in the fan-out benchmark. Cleared whenever its watch leaves
 * the map, so it is always the map's entry for its signal.
 */
let recent: Watch | undefined;

/** {@link watchAbort} for a caller-made node, which must not be linked already. */
export function linkWatcher(signal: AbortSignal, watcher: AbortWatcher): void {
  let watch = recent?.signal === signal ? recent : watches.get(signal);
  if (watch === undefined) {
    const created: Watch = {
      signal,
      head: undefined,
      tail: undefined,
      listener: () => {
        forget(created);
        for (let first = created.head; first !== undefined; first = created.head) {
          unlink(created, first);
          first.callback();
        }
      },
    };
    watch = created;
    watches.set(signal, watch);
    signal.addEventListener('abort', watch.listener, { once: true });
  }
  recent = watch;
  watcher.watch = watch;
  watcher.prev = watch.tail;
  if (watch.tail === undefined) watch.head = watcher;
  else watch.tail.next = watcher;
  watch.tail = watcher;
}

/** Stops `watcher` from being called. Idempotent; removes the signal's listener when it was the last. */
export function unwatchAbort(watcher: AbortWatcher): void {
  const { watch } = watcher;
  if (watch === undefined) return;
  unlink(watch, watcher);
  if (watch.head === undefined && watches.get(watch.signal) === watch) {
    forget(watch);
    watch.signal.removeEventListener('abort', watch.listener);
  }
}

/** Takes `watch` out of the map (and out of {@link recent}). */
function forget(watch: Watch): void {
  watches.delete(watch.signal);
  if (recent === watch) recent = undefined;
}

function unlink(watch: Watch, watcher: AbortWatcher): void {
  if (watcher.prev === undefined) watch.head = watcher.next;
  else watcher.prev.next = watcher.next;
  if (watcher.next === undefined) watch.tail = watcher.prev;
  else watcher.next.prev = watcher.prev;
  watcher.watch = undefined;
  watcher.prev = undefined;
  watcher.next = undefined;
}
