/**
 * Input sources and how they combine, as GNU parallel combines `:::` and `:::+`:
 *
 * - Several sources give every combination, the first source varying slowest
 *   (`::: a b ::: 1 2` runs `a 1`, `a 2`, `b 1`, `b 2`).
 * - A source marked `linked` (`:::+`) is paired element by element with the source before it,
 *   and the pair stops at the shorter of the two (GNU 20221122 drops the extra values rather
 *   than wrapping around as `--link` does).
 *
 * The first group of sources is read lazily, one value at a time, so an endless stdin streams;
 * every later group must be read whole before the first combination exists, and is bounded by
 * `maxArgs` values in all (an `InputLimitError` past it). Lengths are checked on every value.
 *
 * @module
 */

import { DEFAULT_MAX_ARG_LENGTH, DEFAULT_MAX_ARGS, InputLimitError } from './limits.js';

/** Values of one input source: an array, any iterable, or an async iterable (a stream's lines). */
export type InputValues = Iterable<string> | AsyncIterable<string>;

/**
 * One input source: its values, or `{ values, linked: true }` to pair it with the previous
 * source instead of combining (GNU's `:::+`).
 *
 * @example
 * ```ts
 * import type { InputSource } from 'loom/parallel';
 * const sources: InputSource[] = [['a', 'b'], { values: ['1', '2'], linked: true }];
 * ```
 */
export type InputSource =
  | InputValues
  | {
      /** The source's arguments. */
      readonly values: InputValues;
      /** Linked with the previous source (`:::+`): paired one to one instead of combined. */
      readonly linked?: boolean | undefined;
    };

/** The bounds {@link combine} enforces. */
export interface CombineLimits {
  readonly maxArgLength: number;
  readonly maxArgs: number;
}

const DEFAULTS: CombineLimits = { maxArgLength: DEFAULT_MAX_ARG_LENGTH, maxArgs: DEFAULT_MAX_ARGS };

function isIterable(value: unknown): value is InputValues {
  return typeof value === 'object' && value !== null && (Symbol.iterator in value || Symbol.asyncIterator in value);
}

/** An array is iterable and also has a `values` method: being iterable decides first. */
function valuesOf(source: InputSource): InputValues {
  return isIterable(source) ? source : source.values;
}

function isLinked(source: InputSource): boolean {
  return !isIterable(source) && source.linked === true;
}

/** True for a value `combine` accepts as one source. */
export function isInputSource(source: unknown): source is InputSource {
  return isIterable(source) || (typeof source === 'object' && source !== null && 'values' in source && isIterable(source.values));
}

/** Iterates any input, checking each value's type and length. */
async function* checked(values: InputValues, index: number, limits: CombineLimits): AsyncGenerator<string> {
  let n = 0;
  for await (const value of values) {
    n++;
    if (typeof value !== 'string') throw new TypeError(`Expected input source ${index + 1} to hold strings, got ${typeof value} at value ${n}`);
    if (value.length > limits.maxArgLength) {
      throw new InputLimitError(`Argument ${n} of input source ${index + 1} is longer than maxArgLength (${limits.maxArgLength} characters)`);
    }
    yield value;
  }
}

/** Pairs the members of one linked group element by element, stopping at the shortest. */
async function* zipGroup(members: readonly AsyncIterator<string>[]): AsyncGenerator<string[]> {
  try {
    for (;;) {
      const row: string[] = [];
      for (const member of members) {
        const next = await member.next();
        if (next.done === true) return;
        row.push(next.value);
      }
      yield row;
    }
  } finally {
    await Promise.all(members.map(async (member) => {
      await member.return?.();
    }));
  }
}

/**
 * Every combination of the sources' values, in GNU's order, as argument lists (`::: a b ::: 1 2`
 * gives `[a, 1]`, `[a, 2]`, `[b, 1]`, `[b, 2]`). No source at all gives nothing.
 */
export async function* combine(sources: readonly InputSource[], limits: CombineLimits = DEFAULTS): AsyncGenerator<string[], void, undefined> {
  if (sources.length === 0) return;
  const groups: AsyncIterator<string>[][] = [];
  sources.forEach((source, index) => {
    const iterator = checked(valuesOf(source), index, limits)[Symbol.asyncIterator]();
    const last = groups.at(-1);
    if (isLinked(source) && last !== undefined) last.push(iterator);
    else groups.push([iterator]);
  });
  const [first, ...rest] = groups.map(zipGroup);
  const tables: string[][][] = [];
  let held = 0;
  try {
    for (const group of rest) {
      const table: string[][] = [];
      for await (const row of group) {
        held += row.length;
        if (held > limits.maxArgs) throw new InputLimitError(`Input sources hold more than maxArgs (${limits.maxArgs}) values to combine`);
        table.push(row);
      }
      tables.push(table);
    }
    if (tables.some((table) => table.length === 0)) return;
    // `as`: there is at least one source, so at least one group.
    for await (const head of first as AsyncGenerator<string[]>) yield* product(head, tables, 0);
  } finally {
    await Promise.all([first, ...rest].map(async (group) => {
      await group?.return(undefined);
    }));
  }
}

function* product(prefix: readonly string[], tables: readonly (readonly string[][])[], depth: number): Generator<string[]> {
  const table = tables[depth];
  if (table === undefined) {
    yield [...prefix];
    return;
  }
  for (const row of table) yield* product([...prefix, ...row], tables, depth + 1);
}

/**
 * Splits each argument into columns on `colsep` (GNU's `--colsep REGEX`): `a,b` with `,` gives
 * `a` and `b`, which `{1}` and `{2}` address.
 */
export function splitColumns(args: readonly string[], colsep: RegExp | undefined): string[] {
  if (colsep === undefined) return [...args];
  return args.flatMap((arg) => arg.split(colsep));
}
