/**
 * No orphans: children still running when this process ends are killed (execa's `cleanup`,
 * which it builds on `signal-exit`).
 *
 * What happens, exactly:
 *
 * - The handlers are installed lazily, when the first tracked child starts, and removed once
 *   the last one has exited, so a program that runs no child (or none now) has no `exit`,
 *   `SIGINT` or `SIGTERM` listener from loom, and its signal behaviour is Node's default. There is
 *   one listener per event however many children run, so no `MaxListenersExceededWarning`.
 *   A child counts from its start until it has exited and its pipes are closed (Node's
 *   `'close'`). The removal waits for the end of that event-loop turn (`setImmediate`, cancelled
 *   when a child starts meanwhile): a loop of `await run(...)` starts the next child in the turn
 *   the previous one closed, and installing signal handlers costs system calls (about 5% of a
 *   `true` spawn), so back-to-back children share one installation.
 * - Normal exit and an uncaught exception: Node emits `process` `'exit'`; every tracked child
 *   (its whole process group with `group: true`) is sent its `killSignal` (SIGTERM by default),
 *   synchronously. There is no grace period: the parent is going away.
 * - SIGINT / SIGTERM with no other listener: the children are signalled as above, loom's handlers
 *   are removed (which restores the signal's default disposition), and the same signal is raised
 *   again with `process.kill(process.pid, signal)`, so the process dies of it exactly as it would
 *   have without loom (exit status 130 / 143 in a shell). loom never calls `process.exit`.
 * - SIGINT / SIGTERM when the application listens too: the application owns shutdown (see its
 *   `main()`), so loom does nothing on the signal; if the process then exits, the `'exit'` step runs.
 * - SIGKILL (and any death that skips `'exit'`: a native crash, `process.abort()`): nothing can
 *   run. The children are re-parented to init and keep running; those reading the parent's pipes
 *   see end-of-file and those writing them get SIGPIPE, so most filters end on their own, but a
 *   `sleep` or a server does not. Run such children with `group: true` under a supervisor that
 *   can kill the group, or let them watch their stdin.
 *
 * @module
 */

/** A child that can be killed synchronously while the process exits. */
export interface Reapable {
  killOnExit(): void;
}

/** Children that started and have not exited; the handlers are installed exactly while it is non-empty. */
const live = new Set<Reapable>();

const onExit = (): void => {
  for (const child of live) child.killOnExit();
};

const onSignal = (signal: NodeJS.Signals): void => {
  if (process.listenerCount(signal) > 1) return;
  onExit();
  live.clear();
  uninstall();
  process.kill(process.pid, signal);
};

function install(): void {
  installed = true;
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function uninstall(): void {
  installed = false;
  if (removal !== undefined) clearImmediate(removal);
  removal = undefined;
  process.off('exit', onExit);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/** True exactly while the handlers are installed. */
let installed = false;
/** The pending removal, if the last child exited during this event-loop turn. */
let removal: NodeJS.Immediate | undefined;

const removeIfIdle = (): void => {
  removal = undefined;
  if (live.size === 0 && installed) uninstall();
};

/** Starts tracking a running child. */
export function track(child: Reapable): void {
  live.add(child);
  if (removal !== undefined) clearImmediate(removal);
  removal = undefined;
  if (!installed) install();
}

/** Stops tracking a child that exited (or was killed). Idempotent. */
export function untrack(child: Reapable): void {
  if (live.delete(child) && live.size === 0 && installed && removal === undefined) removal = setImmediate(removeIfIdle);
}
