/**
 * Sending signals without ever hitting a stranger.
 *
 * A single child is signalled through Node's `ChildProcess.kill`, which does nothing once the
 * child has been reaped, so a recycled pid is never signalled. A process group (`group: true`:
 * the child called `setsid()` and leads a new group whose id is its pid) is signalled with
 * `kill(-pgid)`. The group id stays reserved while any member lives, even after the leader was
 * reaped, so killing the group after the leader exited reaches exactly the leftover descendants;
 * once the last member is gone the call fails with ESRCH, which is ignored. (The one residual
 * risk, shared with Python's `os.killpg`: the pid space wraps around and a new group leader gets
 * the same number between the last member's death and this call.)
 *
 * @module
 */

import type { ChildProcess } from 'node:child_process';

/** Sends `signal` to the child or, with `group`, to its whole group. False when nobody was there. */
export function signalProcess(child: ChildProcess, group: boolean, signal: NodeJS.Signals | number): boolean {
  const pid = child.pid;
  if (pid === undefined) return false;
  if (!group) return child.kill(signal);
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
