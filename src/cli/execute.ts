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
 * with a pointer to `--help`. 1: any other failure, printed on `err` by {@link describeFailure}
 * (`loom: <message>` and its causes, or a bug's stack) — unless `signal` was aborted and the
 * error is the interruption itself (see {@link isInterruption}); the caller then decides the
 * status from what interrupted it.
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
    if (!(signal.aborted && isInterruption(error, signal.reason))) for (const line of describeFailure(error)) err(line);
    return 1;
  }
}

/** The classes JavaScript throws for programming errors: one of these reaching the top is a bug in loom. */
const BUG_CLASSES: readonly string[] = ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError'];

/**
 * How a failure is shown. An error a user can meet (the server is gone, the port is taken, a
 * cell's logic failed) is `loom: <message>`, then one `  caused by: <name>: <message>` line per
 * cause and one `  error: ...` line per error of an `AggregateError`: no stack, which would
 * only bury the message. A programming error (a `TypeError`, `RangeError`... or a thrown
 * non-error) can only be a bug in loom, since every input is checked first and reported as a
 * usage error: it keeps its stack, and says it is a bug.
 *
 * @example
 * ```ts
 * describeFailure(new Error('Cannot listen on 127.0.0.1:80', { cause: new Error('listen EACCES') }));
 * // ['loom: Cannot listen on 127.0.0.1:80', '  caused by: Error: listen EACCES']
 * ```
 */
export function describeFailure(error: unknown): string[] {
  if (!(error instanceof Error) || BUG_CLASSES.includes(error.name)) {
    return [`loom: a bug in loom (please report it with this output): ${inspect(error)}`];
  }
  const lines = [`loom: ${error.message}`];
  const seen = new Set<unknown>([error]);
  const describe = (label: string, inner: unknown): void => {
    if (seen.has(inner) || lines.length > 50) return;
    seen.add(inner);
    lines.push(`  ${label}: ${inner instanceof Error ? `${inner.name}: ${inner.message}` : String(inner)}`);
    if (inner instanceof AggregateError) for (const each of inner.errors) describe('error', each);
    if (inner instanceof Error && inner.cause !== undefined) describe('caused by', inner.cause);
  };
  if (error instanceof AggregateError) for (const each of error.errors) describe('error', each);
  if (error.cause !== undefined) describe('caused by', error.cause);
  return lines;
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
