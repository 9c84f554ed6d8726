/**
 * One run of `loom` without the process around it: parse the command line, run what it asks
 * for, and turn the outcome into an exit status. `main.ts` owns signals and `process.exit`;
 * this file owns the mapping from outcomes to statuses and messages, and can be tested in
 * the test process with a fake command table.
 *
 * @module
 */

import { inspect } from 'node:util';
import { parseCommandLine } from './args.js';
import { UsageError, type Command } from './command.js';
import { renderCommandHelp, renderHelp } from './help.js';
import { readVersion } from './version.js';

/** Where a run writes: one line at a time, to standard output and standard error. */
export interface Output {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Writes bytes unchanged; see `CommandInput.write`. */
  readonly write?: ((stream: 'stdout' | 'stderr', data: string | Uint8Array) => void) | undefined;
}

/**
 * Runs the command line `argv` against `commands` and resolves to the exit status; never
 * rejects. 0: done (help and version included). 2: a {@link UsageError}, printed on `err`
 * with a pointer to `--help`. 1: any other failure, printed on `err` as `loom: <error>` with
 * its causes — unless `signal` was aborted and the error is the interruption itself (see
 * {@link isInterruption}); the caller then decides the status from what interrupted it.
 *
 * @example
 * ```ts
 * const status = await execute(['demo', '54'], commands, { out: console.log, err: console.error }, signal);
 * ```
 */
export async function execute(argv: readonly string[], commands: readonly Command[], { out, err, write }: Output, signal: AbortSignal): Promise<number> {
  try {
    const invocation = parseCommandLine(argv, commands);
    switch (invocation.kind) {
      case 'help':
        for (const line of invocation.command === undefined ? renderHelp(commands) : renderCommandHelp(invocation.command)) out(line);
        return 0;
      case 'version':
        out(await readVersion());
        return 0;
      case 'run': {
        let status = 0;
        const setExitStatus = (value: number): void => {
          status = value;
        };
        await invocation.command.run({ positionals: invocation.positionals, values: invocation.values, out, err, signal, write, setExitStatus });
        return status;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(error.message);
      err('Run `loom --help` for usage.');
      return 2;
    }
    if (!(signal.aborted && isInterruption(error, signal.reason))) err(`loom: ${inspect(error)}`);
    return 1;
  }
}

/**
 * Whether `error` is the interruption itself, or Node's `AbortError` reporting it (what
 * `net`, `events.once` and `timers/promises` reject with, `cause` set to the reason): those
 * are not failures of the command and are not printed. Anything else is, even during an
 * interruption, including a `TaskGroupError` whose `cause` is the reason: it holds errors some
 * task raised while being cancelled, and those are bugs worth seeing.
 */
function isInterruption(error: unknown, reason: unknown): boolean {
  return error === reason || (error instanceof Error && error.name === 'AbortError' && error.cause === reason);
}
