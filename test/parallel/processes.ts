/**
 * What the engine, spawner and CLI tests ask of the system: a named pipe to hold a job at a
 * chosen point, whether a process is still alive, and when processes holding a pipe are gone.
 *
 * @module
 */

import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Makes a named pipe `name` in `dir` and returns its path: a job reading it waits for a writer.
 * A gate is written by the very process a test then looks for (`sh -c 'echo go >GATE; sleep
 * 30; : MARKER' >HELD`): once the test has read the gate, that process runs and holds its
 * redirections, whatever the order in which the job's shell went on.
 */
export function fifo(dir: string, name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** True while a process other than `except` has `marker` in its command line. */
export function alive(marker: string, except?: number): boolean {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').some((pid) => Number(pid) !== except);
  } catch {
    return false;
  }
}

/**
 * Starts reading the named pipe at `path`, which the processes under test hold open for
 * writing (`cmd >PIPE`): resolves at its end of file, once every holder has exited. A process
 * closes its files after it has dropped its memory, so `alive` no longer sees it by then: no
 * polling needed.
 */
export async function closedByAll(path: string): Promise<void> {
  await readFile(path);
}
