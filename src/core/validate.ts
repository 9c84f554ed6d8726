/**
 * Argument checks with one message template (after execa's `lib/return/message.js`):
 *
 *     Expected `concurrency` to be an integer >= 1, got `0` (number)
 *
 * Bad arguments are programming errors, so they throw synchronously, even from functions that
 * otherwise return promises.
 *
 * @module
 */

import type { WaitOptions } from './deadline.js';

/** `` `0` (number) ``, `` `"x"` (string) ``, `` `[object Object]` (Object) ``: the value and its kind. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `\`${JSON.stringify(value)}\` (string)`;
    case 'undefined':
      return '`undefined`';
    case 'function':
      return `\`${value.name || 'anonymous'}\` (function)`;
    case 'object': {
      if (value === null) return '`null`';
      const kind = Array.isArray(value) ? 'Array' : (value.constructor?.name ?? 'Object');
      return `\`${Object.prototype.toString.call(value)}\` (${kind})`;
    }
    case 'symbol':
      return `\`${value.toString()}\` (symbol)`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `\`${String(value)}\` (${typeof value})`;
  }
}

/** The message every argument check uses. */
export function expectation(name: string, expected: string, value: unknown): string {
  return `Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`;
}

/** Throws `RangeError`/`TypeError` unless `value` is an integer >= `min` (or `Infinity` when `allowInfinity`). */
export function checkInteger(name: string, value: unknown, min: number, allowInfinity = false): asserts value is number {
  if (typeof value === 'number' && ((Number.isInteger(value) && value >= min) || (allowInfinity && value === Infinity))) return;
  // The message is built only on failure: this check sits on hot paths.
  const message = expectation(name, `an integer >= ${min}${allowInfinity ? ' or Infinity' : ''}`, value);
  throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
}

/** Throws `TypeError` unless `value` is a function. */
export function checkFunction(name: string, value: unknown): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new TypeError(expectation(name, 'a function', value));
}

/** Throws `TypeError` unless `value` is `undefined` or a plain options object. */
export function checkOptions(name: string, value: unknown): asserts value is object | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw new TypeError(expectation(name, 'an options object', value));
  }
}

/**
 * Validates the `{ signal, timeout }` options every waiting call takes: `signal` an
 * `AbortSignal`, `timeout` a number of milliseconds >= 0 (`Infinity` waits forever).
 */
export function checkWaitOptions(opts: unknown, name = 'options'): asserts opts is WaitOptions | undefined {
  checkOptions(name, opts);
  if (opts === undefined) return;
  const { signal, timeout } = opts as { signal?: unknown; timeout?: unknown };
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(expectation('signal', 'an AbortSignal', signal));
  }
  if (timeout !== undefined) {
    if (typeof timeout !== 'number') throw new TypeError(expectation('timeout', 'a number of milliseconds >= 0', timeout));
    if (!(timeout >= 0)) throw new RangeError(expectation('timeout', 'a number of milliseconds >= 0', timeout));
  }
}
