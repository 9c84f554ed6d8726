/**
 * Exit statuses as Python reports them: the exit code, or `-N` when signal N ended the child
 * (`Exit status -15` after `terminate()`), where a shell would print `128 + N`.
 *
 * @module
 */

import { constants } from 'node:os';

const NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** `returncode` from Node's `'exit'` event arguments. */
export function returncodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return -(signal === null ? 0 : constants.signals[signal]);
}

/** `SIGTERM` for 15; `signal 99` for a number the platform does not name. */
export function signalName(number: number): string {
  return NAMES.get(number) ?? `signal ${number}`;
}

/** True when `value` names a signal this platform knows (`'SIGTERM'`) or is one's number. */
export function isSignal(value: unknown): value is NodeJS.Signals | number {
  if (typeof value === 'number') return NAMES.has(value);
  return typeof value === 'string' && Object.hasOwn(constants.signals, value);
}
