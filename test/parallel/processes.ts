/**
 * What the engine and spawner tests ask of the system: a named pipe to hold a job at a chosen
 * point, and whether a process is still alive.
 *
 * @module
 */

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Makes a named pipe `name` in `dir` and returns its path: a job reading it waits for a writer. */
export function fifo(dir: string, name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** True while a process whose command line contains `marker` is alive. */
export function alive(marker: string): boolean {
  try {
    execFileSync('pgrep', ['-f', marker]);
    return true;
  } catch {
    return false;
  }
}
