import { describe, expect, test } from 'vitest';
import { decodeError, encodeError } from '../../src/workers/error-codec.js';
import { withTransfer, isTransfer } from '../../src/workers/transfer.js';

/** Through the same structured clone a thread boundary applies. */
const roundTrip = (thrown: unknown): unknown => decodeError(structuredClone(encodeError(thrown)));

describe('error-codec', () => {
  test('keeps the built-in class, message, stack, own fields and cause chain', () => {
    const inner = new RangeError('inner');
    const error = Object.assign(new TypeError('outer', { cause: inner }), { code: 'E_X', detail: { n: 1 } });
    const back = roundTrip(error) as TypeError & { code: string; detail: unknown };
    expect(back).toBeInstanceOf(TypeError);
    expect(back.message).toBe('outer');
    expect(back.stack).toBe(error.stack);
    expect(back.code).toBe('E_X');
    expect(back.detail).toEqual({ n: 1 });
    expect(back.cause).toBeInstanceOf(RangeError);
    expect((back.cause as Error).message).toBe('inner');
  });

  test('a subclass arrives as an Error with the same name; uncloneable fields are left behind', () => {
    class CustomError extends Error {
      override name = 'CustomError';
      callback = (): void => undefined;
    }
    const back = roundTrip(new CustomError('custom')) as Error & { callback?: unknown };
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe('CustomError');
    expect(back.callback).toBeUndefined();
  });

  test('AggregateError keeps its errors; error-like objects become errors; other values pass as they are', () => {
    const back = roundTrip(new AggregateError([new Error('a'), new TypeError('b')], 'both')) as AggregateError;
    expect(back).toBeInstanceOf(AggregateError);
    expect(back.errors.map((e: Error) => e.message)).toEqual(['a', 'b']);
    expect(roundTrip({ name: 'WeirdError', message: 'from another realm' })).toMatchObject({ name: 'WeirdError', message: 'from another realm' });
    expect(roundTrip('a string')).toBe('a string');
    expect(roundTrip(42)).toBe(42);
    expect(roundTrip(() => 1)).toBe('() => 1');
  });
});

describe('withTransfer', () => {
  test('marks a value and checks its list', () => {
    const buffer = new ArrayBuffer(1);
    const marked = withTransfer(buffer, [buffer]);
    expect(isTransfer(marked)).toBe(true);
    expect(isTransfer({ value: 1, transferList: [] })).toBe(false);
    expect(() => withTransfer(1, 1 as any)).toThrow(new TypeError('Expected `transferList` to be an array, got `1` (number)'));
  });
});
