import { describe, expect, it } from 'vitest';
import { checkFunction, checkInteger, checkOptions, checkWaitOptions, describeValue } from '../../src/core/validate.js';

describe('argument checks', () => {
  it('describes values in the message template', () => {
    expect(describeValue(0)).toBe('`0` (number)');
    expect(describeValue('x')).toBe('`"x"` (string)');
    expect(describeValue(null)).toBe('`null`');
    expect(describeValue(undefined)).toBe('`undefined`');
    expect(describeValue([])).toBe('`[object Array]` (Array)');
    expect(describeValue(function named() {})).toBe('`named` (function)');
  });

  it('checks integers with a RangeError or TypeError', () => {
    expect(() => checkInteger('concurrency', 0, 1)).toThrow(new RangeError('Expected `concurrency` to be an integer >= 1, got `0` (number)'));
    expect(() => checkInteger('concurrency', 1.5, 1)).toThrow(RangeError);
    expect(() => checkInteger('concurrency', '2', 1)).toThrow(new TypeError('Expected `concurrency` to be an integer >= 1, got `"2"` (string)'));
    expect(() => checkInteger('concurrency', Infinity, 1)).toThrow(RangeError);
    expect(() => checkInteger('concurrency', Infinity, 1, true)).not.toThrow();
    expect(() => checkInteger('concurrency', NaN, 1, true)).toThrow(
      new RangeError('Expected `concurrency` to be an integer >= 1 or Infinity, got `NaN` (number)'),
    );
  });

  it('checks functions and option objects', () => {
    expect(() => checkFunction('fn', 3)).toThrow(new TypeError('Expected `fn` to be a function, got `3` (number)'));
    expect(() => checkOptions('options', 'x')).toThrow(new TypeError('Expected `options` to be an options object, got `"x"` (string)'));
    expect(() => checkOptions('options', null)).toThrow(TypeError);
    expect(() => checkOptions('options', {})).not.toThrow();
  });

  it('checks wait options', () => {
    expect(() => checkWaitOptions(undefined)).not.toThrow();
    expect(() => checkWaitOptions({ signal: new AbortController().signal, timeout: 0 })).not.toThrow();
    expect(() => checkWaitOptions({ timeout: Infinity })).not.toThrow();
    expect(() => checkWaitOptions({ signal: {} })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got `[object Object]` (Object)'));
    expect(() => checkWaitOptions({ timeout: -1 })).toThrow(new RangeError('Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'));
    expect(() => checkWaitOptions({ timeout: NaN })).toThrow(RangeError);
    expect(() => checkWaitOptions({ timeout: '5' })).toThrow(TypeError);
  });
});
