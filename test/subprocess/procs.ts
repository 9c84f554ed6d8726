/** Probes of other processes' lives, for the subprocess suites. */

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while `pid` runs; a zombie waiting to be reaped counts as dead. */
export function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Resolves true once every pid is dead, false if one still runs after `ms`. A signal is
 * delivered when the kernel next schedules its target, so death trails the kill by a moment:
 * this is a real-process probe, bounded, not a sleep standing in for an event.
 */
export async function allDead(pids: readonly number[], ms = 2000): Promise<boolean> {
  const until = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > until) return false;
    await sleep(10);
  }
  return true;
}
