/**
 * Checks on the option values of `loom life` and `loom life-server`. The shared parser
 * (`args.ts`) already knows which options exist and that each `string` option got a value;
 * what a value must look like (an integer in a range, one of a few words, `HOST:PORT`) only the
 * command knows, so these helpers turn the text into a typed value or throw {@link UsageError},
 * which `main()` reports with exit status 2 before anything starts.
 *
 * Every message follows the library's template with the option as the name and the text as
 * given (``Expected `--latency` to be an integer >= 0, got `-5` ``); the library's trailing
 * type, `(string)`, is left out because every command-line value is a string.
 *
 * @module
 */

import { UsageError } from '../../command.js';

/** The option values as the parser hands them over. */
type Values = Readonly<Record<string, string | boolean | undefined>>;

/**
 * The text given for the `string` option `name`, or `undefined` when it was not given.
 *
 * @example
 * ```ts
 * const host = textValue({ host: '0.0.0.0' }, 'host') ?? '127.0.0.1'; // '0.0.0.0'
 * ```
 */
export function textValue(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Bounds of an integer option: `max` defaults to `Number.MAX_SAFE_INTEGER` (no upper bound). */
interface IntegerRange {
  readonly min: number;
  readonly max?: number;
}

/**
 * The option `name` as a decimal integer in `[min, max]`, `fallback` when it was not given.
 * Only digits are accepted (no sign, exponent or spaces), so `1e3` and ` 5` are errors rather
 * than surprises.
 *
 * @throws UsageError ``Expected `--port` to be an integer from 0 to 65535, got `70000` ``.
 * @example
 * ```ts
 * const latency = integerValue({ latency: '100' }, 'latency', 0, { min: 0 }); // 100
 * ```
 */
export function integerValue(values: Values, name: string, fallback: number, { min, max = Number.MAX_SAFE_INTEGER }: IntegerRange): number {
  const text = textValue(values, name);
  if (text === undefined) return fallback;
  const parsed = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`Expected \`--${name}\` to be an integer ${bounds}, got \`${text}\``);
  }
  return parsed;
}

/**
 * The option `name` when it is one of `choices`, `fallback` when it was not given.
 *
 * @throws UsageError ``Expected `--io` to be one of timer, tcp, got `udp` ``.
 * @example
 * ```ts
 * const io = choiceValue({ io: 'tcp' }, 'io', 'timer', ['timer', 'tcp'] as const); // 'tcp'
 * ```
 */
export function choiceValue<T extends string>(values: Values, name: string, fallback: T, choices: readonly T[]): T {
  const text = textValue(values, name);
  if (text === undefined) return fallback;
  // `includes` on the widened array is the check that makes the narrowing to `T` true.
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`Expected \`--${name}\` to be one of ${choices.join(', ')}, got \`${text}\``);
  }
  return text as T;
}

/**
 * A TCP address from the command line, as {@link addressValue} reads it.
 *
 * @example
 * ```ts
 * const address: Address = { host: '127.0.0.1', port: 7000 };
 * ```
 */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/**
 * The option `name` as `HOST:PORT` (the last colon splits, so `::1:7000` is host `::1`), or
 * `undefined` when it was not given. The port must be from 1 to 65535: a client cannot connect
 * to port 0.
 *
 * @throws UsageError ``Expected `--server` to be HOST:PORT with PORT from 1 to 65535, got `nowhere` ``.
 * @example
 * ```ts
 * const server = addressValue({ server: '127.0.0.1:7000' }, 'server'); // { host: '127.0.0.1', port: 7000 }
 * ```
 */
export function addressValue(values: Values, name: string): Address | undefined {
  const text = textValue(values, name);
  if (text === undefined) return undefined;
  const match = /^(.+):(\d+)$/.exec(text);
  const port = match === null ? Number.NaN : Number(match[2]);
  if (match?.[1] === undefined || !(port >= 1 && port <= 65_535)) {
    throw new UsageError(`Expected \`--${name}\` to be HOST:PORT with PORT from 1 to 65535, got \`${text}\``);
  }
  return { host: match[1], port };
}

/**
 * Throws unless the command got no positionals: `loom life` and `loom life-server` take
 * options only, and a stray word is more likely a forgotten `--` than something to ignore.
 *
 * @throws UsageError `Unexpected argument stray for loom life: it takes options only`.
 * @example
 * ```ts
 * noPositionals('life', []); // passes
 * ```
 */
export function noPositionals(command: string, positionals: readonly string[]): void {
  const [first] = positionals;
  if (first !== undefined) throw new UsageError(`Unexpected argument ${first} for loom ${command}: it takes options only`);
}
