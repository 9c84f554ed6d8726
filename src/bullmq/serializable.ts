/**
 * What crosses to a remote worker: arguments and results travel through BullMQ as JSON
 * (`JSON.stringify` on the way in, `JSON.parse` on the way out), so only values that come back
 * equal survive the trip: `null`, booleans, finite numbers, strings, arrays of those, and plain
 * objects (prototype `Object.prototype` or `null`) of those. Anything else would arrive changed
 * (a `Date` as a string, a `Map` as `{}`, a class instance without its methods, `NaN` as
 * `null`) or not at all (a function, a cycle, a `bigint`), and the difference would show up
 * on a remote machine, later, as a confusing bug. It is rejected here instead, at `submit`,
 * with the path of the offending value. `undefined` is accepted as an object property (it is
 * dropped, and reading it gives `undefined` again) and as a whole result (it arrives as `null`),
 * nowhere else; `-0` arrives as `0`, which compares equal.
 *
 * The walk is iterative (a deep value cannot overflow the stack) and linear in the size of the
 * value; a value seen twice on the same path is a cycle. A value shared by two paths (a DAG) is
 * allowed: JSON copies it twice, and the copies are equal.
 *
 * @module
 */

import { expectation } from '../core/validate.js';

/** What the messages call a value that survives. */
const EXPECTED = 'a JSON value (null, boolean, finite number, string, array or plain object)';

/** One step of the walk: a value to visit (with its path for the message), or leaving an object. */
type Step = { readonly value: unknown; readonly path: string } | { readonly leave: object };

/**
 * Throws a `TypeError` naming the first part of `value` (at `path`) that would not survive a
 * JSON round trip; see the module comment for what survives.
 *
 * @example
 * ```ts
 * checkSerializable('args', [1, { when: new Date() }]);
 * // TypeError: Expected `args[1].when` to be a JSON value (...), got `[object Date]` (Date)
 * ```
 */
export function checkSerializable(path: string, value: unknown): void {
  /** The objects and arrays on the path from the root to the value being visited. */
  const onPath = new Set<object>();
  const steps: Step[] = [{ value, path }];
  for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
    if ('leave' in step) {
      onPath.delete(step.leave);
      continue;
    }
    const { value: current, path: where } = step;
    switch (typeof current) {
      case 'string':
      case 'boolean':
        continue;
      case 'number':
        if (Number.isFinite(current)) continue;
        throw new TypeError(expectation(where, EXPECTED, current));
      case 'object': {
        if (current === null) continue;
        if (onPath.has(current)) throw new TypeError(expectation(where, `${EXPECTED} without cycles`, current));
        onPath.add(current);
        steps.push({ leave: current });
        if (Array.isArray(current)) {
          if (Object.getPrototypeOf(current) !== Array.prototype) throw new TypeError(expectation(where, EXPECTED, current));
          for (let i = current.length - 1; i >= 0; i--) {
            if (!(i in current) || current[i] === undefined) throw new TypeError(expectation(`${where}[${i}]`, EXPECTED, current[i]));
            steps.push({ value: current[i], path: `${where}[${i}]` });
          }
          continue;
        }
        const proto: unknown = Object.getPrototypeOf(current);
        if (proto !== Object.prototype && proto !== null) throw new TypeError(expectation(where, EXPECTED, current));
        const keys = Object.keys(current);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i] as string; // i < keys.length
          const child = (current as Record<string, unknown>)[key];
          if (child !== undefined) steps.push({ value: child, path: `${where}${propertyPath(key)}` });
        }
        continue;
      }
      default:
        throw new TypeError(expectation(where, EXPECTED, current));
    }
  }
}

/** `.name` for identifiers, `["odd key"]` for the rest, as a reader would write the path. */
function propertyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
