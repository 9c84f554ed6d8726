/**
 * Leak probes for the subprocess suites: open file descriptors, live timers, and loom's
 * process-level listeners, compared before and after each test.
 */

import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';
import { activeTimers, flush } from '../helpers.js';

/** Open descriptors of this process. */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** loom's lazily installed process listeners (0 while no tracked child runs). */
export function processListeners(): number {
  return process.listenerCount('exit') + process.listenerCount('SIGINT') + process.listenerCount('SIGTERM');
}

/** Asserts after every test of the file that it left no descriptor, timer or process listener. */
export function checkLeaksAfterEach(): void {
  let fds = 0;
  let timers = 0;
  let listeners = 0;
  // Both hooks await the same way, so that vitest's own hook timer is alive in both samples.
  beforeEach(async () => {
    await flush();
    fds = openFds();
    timers = activeTimers();
    listeners = processListeners();
  });
  // At most as many as before: vitest's own hook timers come and go around the hooks, and a
  // leak only ever adds.
  afterEach(async () => {
    // loom removes its process listeners at the end of the event-loop turn the last child exited in.
    await flush();
    // vitest's own RPC to its main process (test results) holds a timer until the answer comes
    // back over IPC, a few loop turns later, or longer when the machine is busy (seen: more
    // than 50 turns under a full run); a timer loom leaked stays however many turns pass. The
    // wait is 100 ms at most, under loom's shortest timer (FORCE_KILL_AFTER, 200 ms), so that
    // a leaked one has not fired yet.
    const start = performance.now();
    for (let turn = 0; activeTimers() > timers && (turn < 50 || performance.now() - start < 100); turn++) await flush();
    expect(openFds()).toBeLessThanOrEqual(fds);
    expect(activeTimers()).toBeLessThanOrEqual(timers);
    expect(processListeners()).toBe(listeners);
  });
}
