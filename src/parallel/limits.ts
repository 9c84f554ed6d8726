/**
 * The bounds on hostile input (argv, `::::` files, stdin), with their defaults, and the one
 * error that reports a bound being reached. Every reader checks a bound before it copies, so
 * an endless line or an endless stream costs at most the bound, in time linear in the bytes.
 *
 * @module
 */

/** The bounds {@link parallel} and {@link readArguments} enforce. */
export interface InputLimits {
  /** Most characters in one argument (one line or record of a file, one `:::` value). Default 131,072 (Linux's `MAX_ARG_STRLEN`). */
  readonly maxArgLength?: number | undefined;
  /** Most values held from input sources that must be read whole (every source but the first, for combining). Default 1,000,000. */
  readonly maxArgs?: number | undefined;
}

/** Default of {@link InputLimits.maxArgLength}: Linux refuses longer single arguments anyway. */
export const DEFAULT_MAX_ARG_LENGTH = 131_072;
/** Default of {@link InputLimits.maxArgs}. */
export const DEFAULT_MAX_ARGS = 1_000_000;

/**
 * An input source went past one of its bounds. Only the run that read it fails; the message
 * names the source and the bound.
 *
 * @example
 * ```ts
 * import { InputLimitError } from 'loom/parallel';
 * const error = new InputLimitError('Argument 3 of input source 1 is longer than maxArgLength (131072 characters)');
 * ```
 */
export class InputLimitError extends Error {
  /** Always `'InputLimitError'`. */
  override name = 'InputLimitError';
}
