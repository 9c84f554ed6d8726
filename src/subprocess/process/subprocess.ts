/**
 * `Subprocess`: a running child, Popen-shaped (Python's `subprocess.Popen`), built by `spawn`.
 *
 * State and its invariants:
 * - `#returncode` is set exactly once, by the `'exit'` event; after that no signal is ever sent
 *   to the pid (Node's `kill` checks its handle; loom checks `#returncode` first), so a recycled
 *   pid is safe. A process group is the one exception, on purpose: see `termination/kill.ts`.
 * - `#exited` resolves when the child exited or could not start; it never rejects.
 * - `#communication` is created by the first `communicate()` and kept for every later call.
 * - `#closing` is the one shutdown (kill, reap, close pipes) that timeouts, aborts, `maxBuffer`
 *   and `[Symbol.asyncDispose]` share; closing twice waits for the same work.
 *
 * Polling: `poll()` reads the state the event loop keeps current; it does not call `waitpid`
 * as Python does, so a synchronous loop never sees a change: `await` between polls.
 *
 * Output nobody has read when the child exits is kept for a later `communicate()` (Node would
 * discard it; see `holdOutput`), so, as with Python's `Popen`, the pipes stay open until they
 * are read or the `Subprocess` is disposed: use `await using`, `run`, or `communicate()`.
 *
 * @module
 */

import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { WaitOptions } from '../../core/deadline.js';
import { InvalidStateError } from '../../core/errors.js';
import { checkWaitOptions, expectation } from '../../core/validate.js';
import type { Settings } from '../arguments/options.js';
import { maxBufferError, SubprocessError, TimeoutExpired } from '../results/errors.js';
import { emptyOutput, holdOutput, type Encoding } from '../stdio/collect.js';
import { offerStdout, withdrawStdout } from '../stdio/handoff.js';
import { checkInput, guardStdin, type Input } from '../stdio/input.js';
import { watchClose } from '../stdio/closing.js';
import { readLines } from '../stdio/lines.js';
import { track, untrack, type Reapable } from '../termination/cleanup.js';
import { signalProcess } from '../termination/kill.js';
import { isSignal, returncodeOf } from '../termination/signals.js';
import { shutdown } from '../termination/shutdown.js';
import { within } from '../termination/watch.js';
import { Communication } from './communication.js';
import type { CommunicateOptions, Outputs, Parts } from './types.js';

/** Only `spawn` holds it: `Subprocess`'s constructor is not part of the public contract. */
export const CREATE: unique symbol = Symbol('Subprocess.create');

/**
 * A running child process. Create one with {@link spawn}.
 *
 * @example
 * ```ts
 * import { spawn } from 'loom/subprocess';
 * await using proc = spawn(['sleep', '1']);
 * while (proc.poll() === undefined) {
 *   console.log('Working...');
 *   await new Promise((resolve) => setTimeout(resolve, 250));
 * }
 * console.log('Exit status', proc.poll()); // Exit status 0
 * ```
 */
export class Subprocess<E extends Encoding = 'utf8'> implements AsyncDisposable {
  /** The command, as given to `spawn`. */
  readonly argv: readonly string[];
  readonly #child: ChildProcess;
  readonly #settings: Settings;
  readonly #describeStartError: (cause: NodeJS.ErrnoException) => SubprocessError;
  #stdin: Writable | undefined;
  /** `undefined` when not piped or once handed over to another child. */
  #stdout: Readable | undefined;
  #stderr: Readable | undefined;
  #returncode: number | undefined;
  /** Why the child could not start; a fresh `SubprocessError` is made from it for each report. */
  #startFailure: NodeJS.ErrnoException | undefined;
  /** The first stdio or kill failure that was not a broken pipe; reported by `wait`/`communicate`. */
  #ioFailure: Error | undefined;
  readonly #exited: Promise<void>;
  #communication: Communication | undefined;
  #closing: Promise<void> | undefined;
  readonly #reaper: Reapable = { killOnExit: () => this.#killOnExit() };

  /** @internal Use {@link spawn}. */
  constructor(token: typeof CREATE, parts: Parts) {
    if (token !== CREATE) throw new TypeError('Use spawn() to create a Subprocess');
    const { child, argv, settings, describeStartError, stdinCopied } = parts;
    this.argv = argv;
    this.#child = child;
    this.#settings = settings;
    this.#describeStartError = describeStartError;
    this.#stdin = stdinCopied ? undefined : (child.stdin ?? undefined);
    this.#stdout = child.stdout ?? undefined;
    this.#stderr = child.stderr ?? undefined;
    for (const stream of [child.stdout, child.stderr]) if (stream !== null) watchClose(stream);
    const report = (error: unknown): void => {
      // `as`: streams and ChildProcess only ever emit Error objects.
      this.#ioFailure ??= error as Error;
    };
    if (child.stdin !== null) guardStdin(child.stdin, report);
    this.#stdout?.on('error', report);
    this.#stderr?.on('error', report);
    const stdout = this.#stdout;
    if (stdout !== undefined) {
      offerStdout(stdout, (close) => {
        this.#stdout = undefined;
        if (close) stdout.destroy();
      });
    }
    this.#exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.#stdout !== undefined) holdOutput(this.#stdout);
        if (this.#stderr !== undefined) holdOutput(this.#stderr);
        if (this.#startFailure === undefined) this.#returncode = returncodeOf(code, signal);
        resolve();
      });
      // Tracked until the pipes are closed too: killing it then is a no-op (or, with `group`,
      // ends leftover descendants), and a loop of `run` calls starts the next child in the turn
      // this one closed, so the process handlers stay installed between them (see cleanup.ts).
      child.once('close', () => untrack(this.#reaper));
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (child.pid !== undefined || this.#startFailure !== undefined) return report(error);
        this.#startFailure = error;
        // Node opens the pipes before it knows the start failed; without this each failure leaks them.
        for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
        resolve();
      });
    });
    if (child.pid !== undefined && settings.cleanup) track(this.#reaper);
  }

  /** The child's process id; `undefined` when it could not start. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The child's stdin when piped (and not yet closed by `communicate`), else `undefined`. */
  get stdin(): Writable | undefined {
    return this.#stdin;
  }

  /** The child's stdout when piped and not handed over to another child, else `undefined`. */
  get stdout(): Readable | undefined {
    return this.#stdout;
  }

  /** The child's stderr when piped, else `undefined`. */
  get stderr(): Readable | undefined {
    return this.#stderr;
  }

  /** The exit status once known: the exit code, or `-N` when signal N killed the child. */
  get returncode(): number | undefined {
    return this.#returncode;
  }

  /**
   * The exit status if the child has exited, else `undefined`; never waits. Throws the
   * `SubprocessError` if the child could not start (so a polling loop cannot spin forever).
   */
  poll(): number | undefined {
    if (this.#startFailure !== undefined) throw this.#describeStartError(this.#startFailure);
    return this.#returncode;
  }

  /**
   * Waits for the child to exit and returns its exit status. Does not read its output: a child
   * that fills a piped stdout nobody reads blocks forever (use `communicate`). A timeout rejects
   * with `TimeoutExpired` and leaves the child running; an abort rejects with `signal.reason`.
   */
  wait(opts?: WaitOptions): Promise<number> {
    checkWaitOptions(opts);
    return this.#until(this.#exited, opts).then(() => this.#status());
  }

  /**
   * Sends `input` (if any) and closes stdin, reads stdout and stderr to the end, and waits for
   * the child to exit. Retryable: after a `TimeoutExpired` (or an abort) the child keeps running
   * and reading continues; a later call returns all the output, nothing lost. Input can only be
   * given to the first call. Streams that are not piped come back empty.
   */
  communicate(opts?: CommunicateOptions): Promise<Outputs<E>> {
    checkWaitOptions(opts);
    const input = opts?.input;
    checkInput(input);
    if (input !== undefined && this.#communication !== undefined) throw new InvalidStateError('Cannot send input after starting communication');
    if (input !== undefined && this.#stdin === undefined) throw new InvalidStateError('Cannot send input: stdin is not a pipe');
    if (opts?.signal?.aborted) return Promise.reject(opts.signal.reason as Error);
    const communication = (this.#communication ??= this.#converse(input));
    return this.#until(communication.done, opts).then(() => {
      this.#status();
      return communication.result() as Outputs<E>;
    });
  }

  /** Sends `signal` to the child (its group with `group: true`). No-op, returning false, once it has exited. */
  sendSignal(signal: NodeJS.Signals | number): boolean {
    if (!isSignal(signal)) throw new TypeError(expectation('signal', 'a signal name or number', signal));
    if (this.#returncode !== undefined || this.#startFailure !== undefined) return false;
    return signalProcess(this.#child, this.#settings.group, signal);
  }

  /** Sends SIGTERM, like Python's `terminate()`. No-op once the child has exited. */
  terminate(): boolean {
    return this.sendSignal('SIGTERM');
  }

  /** Sends SIGKILL, like Python's `kill()`. No-op once the child has exited. */
  kill(): boolean {
    return this.sendSignal('SIGKILL');
  }

  /**
   * The lines of stdout (UTF-8, without line endings) as they arrive. `opts` bounds the whole
   * iteration. Throws `InvalidStateError` when stdout is not piped or `communicate` reads it.
   */
  lines(opts?: WaitOptions): AsyncGenerator<string, void, undefined> {
    checkWaitOptions(opts);
    const stdout = this.#stdout;
    if (stdout === undefined) throw new InvalidStateError('Subprocess.lines needs stdout to be a pipe');
    if (this.#communication !== undefined) throw new InvalidStateError('Subprocess.lines cannot read while communicate() reads stdout');
    withdrawStdout(stdout);
    return readLines(stdout, opts, 'Subprocess.lines');
  }

  /**
   * Kills the child if it still runs (`killSignal`, then SIGKILL after `forceKillAfter`), waits
   * for it, kills what is left of its process group with `group: true`, and closes the pipes.
   * Idempotent.
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  #converse(input: Input | undefined): Communication {
    if (this.#stdout !== undefined) withdrawStdout(this.#stdout);
    const { encoding, maxBuffer } = this.#settings;
    return new Communication(
      { stdin: this.#stdin, stdout: this.#stdout, stderr: this.#stderr, encoding, maxBuffer, exited: this.#exited, overflow: (stream) => {
        void this[Symbol.asyncDispose]();
        return maxBufferError(this.argv, stream, maxBuffer);
      } },
      input,
    );
  }

  /** Waits for `work`, giving up on `opts`: a timeout becomes `TimeoutExpired` with the output so far. */
  #until(work: Promise<void>, opts: WaitOptions | undefined): Promise<void> {
    return within(work, opts, () => {
      const empty = emptyOutput(this.#settings.encoding);
      const partial = this.#communication?.snapshot() ?? { stdout: empty, stderr: empty };
      return new TimeoutExpired(this.argv, opts?.timeout ?? 0, partial.stdout, partial.stderr);
    });
  }

  /** The exit status after `#exited`, or the reason there is none. */
  #status(): number {
    if (this.#startFailure !== undefined) throw this.#describeStartError(this.#startFailure);
    if (this.#ioFailure !== undefined) throw this.#ioFailure;
    // `as`: `#exited` resolved without a start failure, so the exit handler set it.
    return this.#returncode as number;
  }

  #close(): Promise<void> {
    return shutdown({
      child: this.#child,
      settings: this.#settings,
      running: () => this.#returncode === undefined && this.#startFailure === undefined && this.#child.pid !== undefined,
      exited: this.#exited,
      outputs: [this.#stdout, this.#stderr],
      report: (error) => {
        this.#ioFailure ??= error;
      },
    });
  }

  #killOnExit(): void {
    try {
      signalProcess(this.#child, this.#settings.group, this.#settings.killSignal);
    } catch {
      // The process is exiting: there is nobody left to report a failed kill to.
    }
  }
}
