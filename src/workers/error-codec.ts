/**
 * Errors across the thread boundary. Structured cloning is not enough for them: it turns every
 * subclass into its nearest built-in class, drops `name` overrides and own fields such as
 * `code`, and (Node 20) turns an error created in a module-loader thread into a plain object
 * with neither message nor stack. So errors travel as plain data — name, message, stack, own
 * fields, `cause` (recursively) — and are rebuilt on the other side: as the built-in class of
 * that name when there is one (`TypeError`, `RangeError`, …), else as an `Error` whose `name`
 * is the original one. The class identity of a user-defined error is lost (it does not exist
 * in the other thread); `name`, `message`, `stack`, `code` and `cause` are kept.
 *
 * Rejected: posting the error object itself (lossy, as above) and serialising with `util.inspect`
 * (a string cannot be tested with `instanceof TypeError` or `error.code`).
 *
 * @module
 */

/** An error (or any thrown value) made safe to post. */
export type EncodedError =
  | { readonly error: false; readonly value: unknown }
  | {
      readonly error: true;
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      /** Own enumerable fields (`code`, `errno`, …) that survive cloning. */
      readonly fields: Readonly<Record<string, unknown>>;
      readonly cause: EncodedError | undefined;
      readonly hasCause: boolean;
      /** The `errors` of an `AggregateError`. */
      readonly errors: readonly EncodedError[] | undefined;
    };

const BUILTIN: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Prepares a thrown value for `postMessage`. */
export function encodeError(thrown: unknown, depth = 0): EncodedError {
  if (!isErrorLike(thrown)) {
    try {
      structuredClone(thrown);
      return { error: false, value: thrown };
    } catch {
      return { error: false, value: String(thrown) };
    }
  }
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(thrown)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause' || key === 'errors') continue;
    const value = (thrown as unknown as Record<string, unknown>)[key];
    try {
      structuredClone(value);
      fields[key] = value;
    } catch {
      // a field that cannot cross threads (a function, a socket): left behind
    }
  }
  const hasCause = 'cause' in thrown && depth < 8;
  const errors = (thrown as { errors?: unknown }).errors;
  return {
    error: true,
    name: thrown.name,
    message: thrown.message,
    stack: typeof thrown.stack === 'string' ? thrown.stack : undefined,
    fields,
    cause: hasCause ? encodeError((thrown as { cause?: unknown }).cause, depth + 1) : undefined,
    hasCause,
    errors: Array.isArray(errors) && depth < 8 ? errors.map((error: unknown) => encodeError(error, depth + 1)) : undefined,
  };
}

/** Rebuilds the thrown value from `encoded`. */
export function decodeError(encoded: EncodedError): unknown {
  if (!encoded.error) return encoded.value;
  const error =
    encoded.errors !== undefined
      ? new AggregateError(encoded.errors.map(decodeError), encoded.message)
      : new (BUILTIN[encoded.name] ?? Error)(encoded.message);
  if (error.name !== encoded.name) Object.defineProperty(error, 'name', { value: encoded.name, writable: true, configurable: true, enumerable: true });
  if (encoded.stack !== undefined) error.stack = encoded.stack;
  if (encoded.hasCause) {
    Object.defineProperty(error, 'cause', { value: decodeError(encoded.cause as EncodedError), writable: true, configurable: true, enumerable: false });
  }
  return Object.assign(error, encoded.fields);
}

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { message?: unknown }).message === 'string' &&
      typeof (value as { name?: unknown }).name === 'string')
  );
}
