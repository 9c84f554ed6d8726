/**
 * `loom idle`: prints `ready`, then waits until the process is interrupted, and prints
 * `stopped` from its cleanup. It exists so that the signal tests can interrupt a command at a
 * known point instead of racing a demo's timing; it is hidden from `loom --help`.
 *
 * @module
 */

import type { Command } from '../command.js';

/**
 * The hidden idle command.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const running = idleCommand.run({ positionals: [], values: {}, out: console.log, err: console.error, signal: controller.signal });
 * controller.abort(new Error('Interrupted'));
 * await running.catch(() => {}); // prints ready, then stopped
 * ```
 */
export const idleCommand: Command = {
  name: 'idle',
  usage: '',
  summary: 'Prints `ready` and waits until interrupted (for the signal tests).',
  details: [],
  options: {},
  hidden: true,
  async run({ out, signal }) {
    // A pending promise alone does not keep Node running (signal handlers do not either), so a
    // long timer holds the event loop open for as long as the command waits, as effection's
    // `main` does; it is cleared on the way out so that nothing outlives the command.
    const hold = setInterval(() => {}, 2 ** 30);
    out('ready');
    try {
      await aborted(signal);
    } finally {
      clearInterval(hold);
      out('stopped');
    }
  },
};

/** Rejects with `signal.reason` once `signal` aborts. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}
