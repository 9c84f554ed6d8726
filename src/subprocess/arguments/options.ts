/**
 * The options of `spawn` and `run`, their defaults, and their validation (bad options throw
 * synchronously, with core's message template).
 *
 * Defaults and where they come from: the environment is `process.env` merged with `env`
 * (execa's `extendEnv`; Python replaces it, which drops `PATH` by surprise); `killSignal`
 * SIGTERM with SIGKILL `forceKillAfter` 5 s (execa's `forceKillAfterDelay`; Python's `run`
 * kills outright); `maxBuffer` 100 MiB per stream (execa's figure; Python has none and simply
 * runs out of memory); `shell` off.
 *
 * @module
 */

import { checkOptions, expectation } from '../../core/validate.js';
import type { Encoding } from '../stdio/collect.js';
import { checkStdio, type StdioOption } from '../stdio/handoff.js';
import { isSignal } from '../termination/signals.js';

/**
 * Options of {@link spawn}.
 *
 * @example
 * ```ts
 * import { spawn } from 'loom/subprocess';
 * const proc = spawn(['openssl', 'enc', '-des3', '-pass', 'env:password'], {
 *   env: { password: 'zf7ShyBhZ0raQDdE/FiZpm/m/8f9X+M1' },
 *   encoding: 'buffer',
 * });
 * ```
 */
export interface SpawnOptions<E extends Encoding = 'utf8'> {
  /** Working directory of the child. Default: this process's. */
  readonly cwd?: string | URL | undefined;
  /** Environment variables, merged over `process.env` unless `extendEnv` is false. A value `undefined` removes the variable. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Whether `env` extends `process.env` (default) or replaces it. */
  readonly extendEnv?: boolean | undefined;
  /** `'pipe'` (default), `'inherit'`, `'ignore'`, a file descriptor, or a stream: another `Subprocess`'s `stdout`, a file or socket stream, or any readable (copied in). */
  readonly stdin?: StdioOption | undefined;
  /** `'pipe'` (default), `'inherit'`, `'ignore'`, a file descriptor, or a stream with a descriptor. */
  readonly stdout?: StdioOption | undefined;
  /** `'pipe'` (default), `'inherit'`, `'ignore'`, a file descriptor, or a stream with a descriptor. */
  readonly stderr?: StdioOption | undefined;
  /** How captured output is returned: `'utf8'` strings (default) or `'buffer'`. */
  readonly encoding?: E | undefined;
  /** Run `argv[0]` as a script of `/bin/sh -c` (or of the shell named here); further items become `$0`, `$1`... Off by default. */
  readonly shell?: boolean | string | undefined;
  /** Start the child in a new process group (and session) and signal the whole group: timeouts, aborts and dispose then kill every descendant. Default false. */
  readonly group?: boolean | undefined;
  /** The signal a timeout, abort, dispose or parent exit sends first. Default `'SIGTERM'`. */
  readonly killSignal?: NodeJS.Signals | number | undefined;
  /** Milliseconds after `killSignal` before SIGKILL follows (`Infinity`: never). Default 5000. */
  readonly forceKillAfter?: number | undefined;
  /** Kill the child if this process exits first (see `termination/cleanup.ts`). Default true. */
  readonly cleanup?: boolean | undefined;
  /** Most bytes captured per stream; past it the child is killed and a `SubprocessError` reports it. Default 100 MiB. */
  readonly maxBuffer?: number | undefined;
}

/** The options after defaults, as `Subprocess` keeps them. */
export interface Settings {
  readonly encoding: Encoding;
  readonly group: boolean;
  readonly killSignal: NodeJS.Signals | number;
  readonly forceKillAfter: number;
  readonly cleanup: boolean;
  readonly maxBuffer: number;
}

const DEFAULT_MAX_BUFFER = 100 * 1024 * 1024;

function checkBoolean(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(expectation(name, 'a boolean', value));
}

function checkMilliseconds(name: string, value: unknown): void {
  if (value === undefined) return;
  const expected = 'a number of milliseconds >= 0';
  if (typeof value !== 'number') throw new TypeError(expectation(name, expected, value));
  if (!(value >= 0)) throw new RangeError(expectation(name, expected, value));
}

/** Validates `opts` (throwing synchronously) and returns the settings with defaults applied. */
export function checkSpawnOptions(opts: unknown): Settings {
  checkOptions('options', opts);
  const o = (opts ?? {}) as Record<string, unknown>;
  if (o.cwd !== undefined && typeof o.cwd !== 'string' && !(o.cwd instanceof URL)) {
    throw new TypeError(expectation('cwd', 'a string or a URL', o.cwd));
  }
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null)) throw new TypeError(expectation('env', 'an object', o.env));
  checkBoolean('extendEnv', o.extendEnv);
  checkStdio('stdin', o.stdin);
  checkStdio('stdout', o.stdout);
  checkStdio('stderr', o.stderr);
  if (o.encoding !== undefined && o.encoding !== 'utf8' && o.encoding !== 'buffer') {
    throw new TypeError(expectation('encoding', "'utf8' or 'buffer'", o.encoding));
  }
  if (o.shell !== undefined && typeof o.shell !== 'boolean' && typeof o.shell !== 'string') {
    throw new TypeError(expectation('shell', 'a boolean or a path', o.shell));
  }
  checkBoolean('group', o.group);
  checkBoolean('cleanup', o.cleanup);
  if (o.killSignal !== undefined && !isSignal(o.killSignal)) throw new TypeError(expectation('killSignal', 'a signal name or number', o.killSignal));
  checkMilliseconds('forceKillAfter', o.forceKillAfter);
  if (o.maxBuffer !== undefined) {
    if (typeof o.maxBuffer !== 'number') throw new TypeError(expectation('maxBuffer', 'a number of bytes >= 0', o.maxBuffer));
    if (!(o.maxBuffer >= 0)) throw new RangeError(expectation('maxBuffer', 'a number of bytes >= 0', o.maxBuffer));
  }
  return {
    encoding: (o.encoding) ?? 'utf8',
    group: (o.group as boolean | undefined) ?? false,
    killSignal: (o.killSignal) ?? 'SIGTERM',
    forceKillAfter: (o.forceKillAfter as number | undefined) ?? 5000,
    cleanup: (o.cleanup as boolean | undefined) ?? true,
    maxBuffer: (o.maxBuffer) ?? DEFAULT_MAX_BUFFER,
  };
}

/** The child's environment: `undefined` (inherit) when no `env` was given. */
export function childEnv(env: SpawnOptions['env'], extendEnv: boolean | undefined): NodeJS.ProcessEnv | undefined {
  if (env === undefined) return extendEnv === false ? {} : undefined;
  const merged: NodeJS.ProcessEnv = extendEnv === false ? {} : { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The program and arguments handed to the OS, with `shell` applied. */
export function commandLine(argv: readonly string[], shell: boolean | string | undefined): [string, string[]] {
  // `as`: checkArgv guarantees at least one element.
  if (shell === undefined || shell === false) return [argv[0] as string, argv.slice(1)];
  return [shell === true ? '/bin/sh' : shell, ['-c', ...argv]];
}
