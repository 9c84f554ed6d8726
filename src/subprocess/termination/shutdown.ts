/**
 * Ending a child for good: what timeouts, aborts, `maxBuffer` and `[Symbol.asyncDispose]` share.
 *
 * 1. If it still runs, send `killSignal` (to the group with `group: true`); if it has not
 *    exited `forceKillAfter` ms later, SIGKILL (execa's `forceKillAfterDelay`). Wait for the exit.
 * 2. With `group: true`, SIGKILL what is left of the group: descendants that ignored the first
 *    signal or were started in the background. Safe after the leader's exit (see `kill.ts`).
 * 3. Close the pipes. A pipe still open after the child's death is held by a descendant that
 *    outlived it (`sh -c 'sleep 30 & ...'` without `group`); waiting for its end of file could
 *    take forever, so after one turn of the event loop (which reads what the child wrote before
 *    it died) the parent's ends are destroyed. Rejected: waiting for `'close'` (hangs on such a
 *    grandchild, CPython's long-standing `run(timeout=)` bug) and a grace timer (a guess).
 *
 * @module
 */

import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Settings } from '../arguments/options.js';
import { closeOf } from '../stdio/closing.js';
import { signalProcess } from './kill.js';

/** What a shutdown needs to know about the child. */
export interface Doomed {
  readonly child: ChildProcess;
  readonly settings: Settings;
  /** True while the child runs (started and not yet exited). */
  readonly running: () => boolean;
  /** Resolves once the child exited. */
  readonly exited: Promise<void>;
  /** The parent's ends of stdout and stderr, where piped. */
  readonly outputs: readonly (Readable | undefined)[];
  /** Receives a failure to signal. */
  readonly report: (error: Error) => void;
}

function send(doomed: Doomed, signal: NodeJS.Signals | number): void {
  try {
    signalProcess(doomed.child, doomed.settings.group, signal);
  } catch (error) {
    // `as`: process.kill and ChildProcess.kill throw only Error objects.
    doomed.report(error as Error);
  }
}

/** Kills (if needed), reaps and closes; see the module comment. */
export async function shutdown(doomed: Doomed): Promise<void> {
  const { killSignal, forceKillAfter, group } = doomed.settings;
  if (doomed.running()) {
    send(doomed, killSignal);
    const force = forceKillAfter === Infinity ? undefined : setTimeout(() => send(doomed, 'SIGKILL'), forceKillAfter);
    try {
      await doomed.exited;
    } finally {
      clearTimeout(force);
    }
  }
  if (group && doomed.child.pid !== undefined) send(doomed, 'SIGKILL');
  doomed.child.stdin?.destroy();
  const open = doomed.outputs.filter((stream): stream is Readable => stream !== undefined && !stream.destroyed);
  if (open.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
  for (const stream of open) stream.destroy();
  // Once every 'close' fired the descriptors are released: the parent holds nothing of the child.
  await Promise.all(doomed.outputs.flatMap((stream) => (stream === undefined ? [] : [closeOf(stream)])));
}
