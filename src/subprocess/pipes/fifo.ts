/**
 * Real pipes between the stages of a pipeline.
 *
 * Node connects a child's stdio through socket pairs, not pipes. For one child that makes no
 * difference, but between two it does: when the reader exits with unread data, the writer gets
 * ECONNRESET instead of SIGPIPE, so `yes | head -n 1` ends `yes` with "Connection reset by
 * peer" and exit status 1 where a shell ends it with SIGPIPE (`-13`, bash's 141). Node has no
 * `pipe(2)`, so a pipe is made from a FIFO: `mkfifo` in a private temporary directory, opened
 * once read-write (Linux lets that succeed at once, and it makes the next two opens non-blocking
 * without O_NONBLOCK on the descriptors the children inherit), then read-only and write-only,
 * after which the read-write descriptor and the directory are removed. Each pipeline costs one
 * short `mkfifo` process; nothing stays on disk.
 *
 * Rejected: `sh -c 'a | b | c'` (POSIX sh has no PIPESTATUS and reports a signal as `128 + N`,
 * ambiguous with a real exit status), and sending SIGPIPE to the writer when the reader exits
 * (it races with the ECONNRESET and kills a writer that had nothing left to write).
 *
 * @module
 */

import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../process/run.js';

/** A pipe's two descriptors: read end, write end. */
export type PipeEnds = readonly [read: number, write: number];

/**
 * Makes `count` pipes, or returns `undefined` where FIFOs are not available (no `mkfifo`), in
 * which case the caller falls back to Node's socket pairs.
 */
export async function makePipes(count: number): Promise<PipeEnds[] | undefined> {
  if (count === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'loom-pipe-'));
  const pipes: PipeEnds[] = [];
  try {
    const paths = Array.from({ length: count }, (_, i) => join(dir, String(i)));
    const made = await run(['mkfifo', '-m', '600', ...paths]).catch(() => undefined);
    if (made === undefined || made.returncode !== 0) return undefined;
    for (const path of paths) {
      const keep = openSync(path, 'r+');
      try {
        const read = openSync(path, 'r');
        try {
          pipes.push([read, openSync(path, 'w')]);
        } catch (error) {
          closeSync(read);
          throw error;
        }
      } finally {
        closeSync(keep);
      }
    }
    return pipes;
  } catch (error) {
    closePipes(pipes);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Closes the parent's copies of every descriptor. */
export function closePipes(pipes: readonly PipeEnds[]): void {
  for (const [read, write] of pipes) {
    closeSync(read);
    closeSync(write);
  }
}
