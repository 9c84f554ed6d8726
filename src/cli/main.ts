#!/usr/bin/env node
/**
 * The `loom` command. One function, {@link main}, owns the life of the process (after
 * effection's `lib/main.ts`): it installs the SIGINT/SIGTERM handlers, runs the one command the
 * command line names with a signal that those handlers abort, waits for the command to unwind
 * through its `finally` blocks, and only then exits, with the status a shell expects:
 *
 * - 0 when the command finished, 1 when it failed (the error goes to standard error),
 * - 2 for a usage error (unknown command, option or item),
 * - 130 / 143 when SIGINT / SIGTERM interrupted it (128 + the signal's number), whatever the
 *   command did on the way out, so a script sees the interruption (a command whose original
 *   has its own status for that, `loom parallel`'s 255 as GNU parallel's, declares it) —
 *   except for a command marked `stopsOnSignal` (`loom worker`), for which the signal is the
 *   normal way to stop: it exits 0 when it then finishes without error,
 * - 141 when standard output was closed under it (`loom demo | head`), as if SIGPIPE had
 *   killed it, quietly.
 *
 * A second SIGINT/SIGTERM while the command is still unwinding exits at once: the user asked
 * twice. Apart from that, `process.exit` is called once, after the command settled and the
 * handlers are removed; nothing else in loom calls it, because an exit from the middle of a
 * command would skip its cleanup. Setting `process.exitCode` and letting the event loop drain
 * was rejected: one handle a command forgot (a timer, a socket) would keep `loom` running after
 * its work was done, and the user would have to press Ctrl-C to end a finished command.
 *
 * The module is the bin: it runs `main()` when loaded, so nothing imports it; the tests spawn it.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';
import { inspect } from 'node:util';
import { commands } from './commands.js';
import { execute } from './execute.js';

/** The exit status for each signal we stop on: 128 + its number, the shell convention. */
const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

/** The status when standard output is gone: 128 + SIGPIPE's number. */
const BROKEN_PIPE_STATUS = 141;

/**
 * Runs `loom` with `argv` (the words after `loom`) and exits the process with the status
 * described in the module comment. Never resolves: it ends in `process.exit`.
 */
async function main(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  const controller = new AbortController();
  // Commands fan out thousands of waits on this one signal (item 60 starts 10,000), each
  // removing its listener when it ends; Node's leak warning at 10 listeners would be noise.
  setMaxListeners(0, controller.signal);
  /** Set once, by the first thing that stopped the command from outside; it decides the status. */
  let stoppedWith: number | undefined;
  let signals = 0;
  const stop = (status: number, reason: Error): void => {
    if (stoppedWith !== undefined) return;
    stoppedWith = status;
    controller.abort(reason);
  };
  const onSignal = (name: keyof typeof SIGNAL_STATUS): void => {
    // The second signal: the command is not unwinding fast enough, and the user asked twice.
    if (++signals > 1) process.exit(stoppedWith ?? SIGNAL_STATUS[name]);
    stop(SIGNAL_STATUS[name], new Error(`Interrupted by ${name}`));
  };
  const onSigint = (): void => onSignal('SIGINT');
  const onSigterm = (): void => onSignal('SIGTERM');
  const onStdoutError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') {
      stop(BROKEN_PIPE_STATUS, new Error('Standard output was closed', { cause: error }));
    } else {
      process.stderr.write(`loom: ${inspect(error)}\n`);
      stop(1, error);
    }
  };
  // Once standard output has failed (the reader went away) the command is being stopped; its
  // last lines have nowhere to go, and writing them would only raise the same error again.
  const out = (line: string): void => {
    if (process.stdout.writable) process.stdout.write(`${line}\n`);
  };
  const err = (line: string): void => void process.stderr.write(`${line}\n`);
  const write = (stream: 'stdout' | 'stderr', data: string | Uint8Array): void => {
    if (stream === 'stderr') process.stderr.write(data);
    else if (process.stdout.writable) process.stdout.write(data);
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.stdout.on('error', onStdoutError);
  let status: number;
  try {
    status = await execute(argv, commands, { out, err, write }, controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.stdout.off('error', onStdoutError);
  }
  const command = commands.find((candidate) => candidate.name === argv[0]);
  const signalled = stoppedWith === SIGNAL_STATUS.SIGINT || stoppedWith === SIGNAL_STATUS.SIGTERM;
  if (signalled && command?.stopsOnSignal === true && status === 0) process.exit(0);
  process.exit((signalled ? command?.interruptedStatus : undefined) ?? stoppedWith ?? status);
}

await main();
