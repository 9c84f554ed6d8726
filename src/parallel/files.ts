/**
 * The spool files of the shell spawner's jobs, and the files its helpers read.
 *
 * @module
 */

import { closeSync, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';

/** Up to `max` bytes from the start of `path`, and whether it holds more. Throws if it cannot be read. */
export function readStart(path: string, max: number): { bytes: Buffer; over: boolean } {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const bytes = Buffer.alloc(Math.min(size, max));
    return { bytes: bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, 0)), over: size > max };
  } finally {
    closeSync(fd);
  }
}

/** Removes `path` if it is there. */
export function removeOptional(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Not written: the job was killed before its shell opened it.
  }
}
