/**
 * Bad input to `loom/bullmq`, refused at once with the house message (no Redis needed: an
 * executor connects on its first job, so these never connect), and the readers of outside
 * input (Redis URLs, cancellation messages, failure envelopes) fuzzed with fast-check.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRedisUrl } from '../../src/bullmq/connection.js';
import { decodeFailure, encodeFailure, RemoteTaskError } from '../../src/bullmq/errors.js';
import { BullExecutor, startWorker } from '../../src/bullmq/index.js';
import { formatCancelRequest, parseCancelRequest } from '../../src/bullmq/protocol.js';
import { checkSerializable } from '../../src/bullmq/serializable.js';

const JSON_VALUE = 'a JSON value (null, boolean, finite number, string, array or plain object)';
const NOWHERE = 'redis://127.0.0.1:1';

describe('new BullExecutor: bad options', () => {
  it.each([
    [undefined, TypeError, 'Expected `options` to be an options object with `queue` and `connection`, got `undefined`'],
    [{ queue: 'a:b', connection: NOWHERE }, TypeError, 'Expected `queue` to be a queue name without `:` of 1 to 256 characters, got `"a:b"` (string)'],
    [{ queue: '', connection: NOWHERE }, TypeError, 'Expected `queue` to be a queue name without `:` of 1 to 256 characters, got `""` (string)'],
    [{ queue: 'q', connection: 6379 }, TypeError, 'Expected `connection` to be a redis:// URL or ioredis options, got `6379` (number)'],
    [{ queue: 'q', connection: 'http://127.0.0.1' }, TypeError, 'Expected `connection` to be a redis:// or rediss:// URL of at most 2048 characters, got `"http://127.0.0.1"` (string)'],
    [{ queue: 'q', connection: { url: 'nope' } }, TypeError, 'Expected `connection.url` to be a redis:// or rediss:// URL of at most 2048 characters, got `"nope"` (string)'],
    [{ queue: 'q', connection: NOWHERE, prefix: 7 }, TypeError, 'Expected `prefix` to be a key prefix of 1 to 256 characters, got `7` (number)'],
    [{ queue: 'q', connection: NOWHERE, maxInFlight: 0 }, RangeError, 'Expected `maxInFlight` to be an integer >= 1, got `0` (number)'],
    [{ queue: 'q', connection: NOWHERE, onError: 'log' }, TypeError, 'Expected `onError` to be a function, got `"log"` (string)'],
  ])('%j throws %s', (options, kind, message) => {
    expect(() => new BullExecutor(options as never)).toThrow(new kind(message));
  });
});

describe('BullExecutor calls: bad arguments throw at once', () => {
  const executor = new BullExecutor({ queue: 'q', connection: NOWHERE });
  class Point {
    x = 1;
  }
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;

  it.each([
    ['name', [42, []], TypeError, 'Expected `name` to be the name of an exported function, got `42` (number)'],
    ['args', ['add', 'x'], TypeError, 'Expected `args` to be an array of arguments, got `"x"` (string)'],
    ['a function', ['add', [() => 1]], TypeError, `Expected \`args[0]\` to be ${JSON_VALUE}, got \`anonymous\` (function)`],
    ['a Date', ['add', [1, { when: new Date(0) }]], TypeError, `Expected \`args[1].when\` to be ${JSON_VALUE}, got \`[object Date]\` (Date)`],
    ['a class instance', ['add', [new Point()]], TypeError, `Expected \`args[0]\` to be ${JSON_VALUE}, got \`[object Object]\` (Point)`],
    ['a cycle', ['add', [cycle]], TypeError, `Expected \`args[0].self\` to be ${JSON_VALUE} without cycles, got \`[object Object]\` (Object)`],
    ['NaN', ['add', [[1, Number.NaN]]], TypeError, `Expected \`args[0][1]\` to be ${JSON_VALUE}, got \`NaN\` (number)`],
    ['undefined in an array', ['add', [undefined]], TypeError, `Expected \`args[0]\` to be ${JSON_VALUE}, got \`undefined\``],
    ['a bigint', ['add', [{ 'odd key': 1n }]], TypeError, `Expected \`args[0]["odd key"]\` to be ${JSON_VALUE}, got \`1\` (bigint)`],
    ['a Map', ['add', [new Map()]], TypeError, `Expected \`args[0]\` to be ${JSON_VALUE}, got \`[object Map]\` (Map)`],
    ['jobId', ['add', [], { jobId: '42' }], TypeError, 'Expected `jobId` to be a job id of 1 to 512 characters, without `:`, not an integer, got `"42"` (string)'],
    ['jobId with :', ['add', [], { jobId: 'a:b' }], TypeError, 'Expected `jobId` to be a job id of 1 to 512 characters, without `:`, not an integer, got `"a:b"` (string)'],
    ['attempts', ['add', [], { attempts: 0 }], RangeError, 'Expected `attempts` to be an integer >= 1, got `0` (number)'],
    ['backoff', ['add', [], { backoff: { type: 'linear', delay: 1 } }], TypeError, "Expected `backoff.type` to be 'fixed' or 'exponential', got `\"linear\"` (string)"],
    ['backoff delay', ['add', [], { backoff: -1 }], RangeError, 'Expected `backoff` to be an integer >= 0, got `-1` (number)'],
    ['timeout', ['add', [], { timeout: -1 }], RangeError, 'Expected `timeout` to be a number of milliseconds >= 0, got `-1` (number)'],
    ['signal', ['add', [], { signal: 'x' }], TypeError, 'Expected `signal` to be an AbortSignal, got `"x"` (string)'],
  ])('run and submit refuse %s', (_what, args, kind, message) => {
    expect(() => executor.run(...(args as [string, unknown[]]))).toThrow(new kind(message));
    expect(() => executor.submit(...(args as [string, unknown[]]))).toThrow(new kind(message));
    expect(executor.pending).toBe(0);
  });

  it('map refuses a non-iterable, a jobId and an item that does not serialize at once, before sending anything', () => {
    expect(() => executor.map('echo', 5 as never)).toThrow(new TypeError('Expected `items` to be an iterable, got `5` (number)'));
    expect(() => executor.map('echo', [1], { jobId: 'x' } as never)).toThrow(
      new TypeError('Expected `jobId` to be absent: map gives each item its own job, got `"x"` (string)'),
    );
    expect(() => executor.map('echo', [1, () => 2])).toThrow(new TypeError(`Expected \`items[1]\` to be ${JSON_VALUE}, got \`anonymous\` (function)`));
    expect(executor.pending).toBe(0);
  });

  it('map stops reading its items at the first that does not serialize', () => {
    let read = 0;
    let closed = false;
    const items = {
      *[Symbol.iterator]() {
        try {
          for (;;) {
            read++;
            yield read === 2 ? Symbol('x') : read;
          }
        } finally {
          closed = true;
        }
      },
    };
    expect(() => executor.map('echo', items)).toThrow(TypeError);
    expect([read, closed, executor.pending]).toEqual([2, true, 0]);
  });

  it('shutdown refuses bad options, and an executor that never sent a job shuts down without connecting', async () => {
    expect(() => executor.shutdown({ wait: 'yes' } as never)).toThrow(new TypeError('Expected `wait` to be a boolean, got `"yes"` (string)'));
    await executor.shutdown();
    await executor.shutdown();
  });
});

describe('startWorker: bad options throw at once', () => {
  it.each([
    [{ queue: 'q', connection: NOWHERE, module: '' }, TypeError, 'Expected `module` to be a URL or a file path, got `""` (string)'],
    [{ queue: 'q', connection: NOWHERE, module: 'tasks.js', concurrency: 0 }, RangeError, 'Expected `concurrency` to be an integer >= 1, got `0` (number)'],
    [{ queue: 'q', connection: NOWHERE, module: 'tasks.js', threads: -1 }, RangeError, 'Expected `threads` to be an integer >= 0, got `-1` (number)'],
    [{ queue: 'q', connection: NOWHERE, module: 'tasks.js', lockDuration: 0.5 }, RangeError, 'Expected `lockDuration` to be an integer >= 1, got `0.5` (number)'],
  ])('%j throws', (options, kind, message) => {
    expect(() => startWorker(options as never)).toThrow(new kind(message));
  });
});

describe('what survives the trip', () => {
  it('accepts every JSON value, which comes back equal', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        checkSerializable('value', value);
        expect(JSON.parse(JSON.stringify(value))).toEqual(asJson(value));
      }),
    );
  });

  it('for any value: either refuses it with the house TypeError, or it comes back equal', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withMap: true, withSet: true, withBigInt: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }), (value) => {
        try {
          checkSerializable('value', value);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toMatch(/^Expected `value.*` to be a JSON value/);
          return;
        }
        expect(JSON.parse(JSON.stringify({ v: value })).v).toEqual(asJson(value));
      }),
    );
  });

  it('walks a deep value without overflowing the stack', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => checkSerializable('deep', deep)).not.toThrow();
  });
});

/** `value` as JSON gives it back: object properties holding `undefined` dropped, `-0` as `0`. */
function asJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, child]) => child !== undefined).map(([key, child]) => [key, asJson(child)]));
  }
  return Object.is(value, -0) ? 0 : value;
}

describe('readers of outside input', () => {
  it('checkRedisUrl returns the text or throws the house TypeError, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 100 }), fc.webUrl(), fc.constantFrom('redis://', 'rediss://h:1/2', 'redis://:pw@h')), (text) => {
        try {
          expect(checkRedisUrl('--redis', text)).toBe(text);
          expect(text).toMatch(/^rediss?:/i);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toMatch(/^Expected `--redis` to be a redis:\/\/ or rediss:\/\/ URL of at most 2048 characters, got /);
        }
      }),
    );
    expect(() => checkRedisUrl('u', `redis://${'a'.repeat(2048)}`)).toThrow(TypeError);
  });

  it('parseCancelRequest never throws, and reads back what formatCancelRequest writes', () => {
    fc.assert(fc.property(fc.string({ maxLength: 9000 }), (text) => void parseCancelRequest(text)));
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 512 }), fc.string({ maxLength: 1000 }), (jobId, reason) => {
        expect(parseCancelRequest(formatCancelRequest(jobId, new Error(reason)))).toEqual({ jobId, reason: `Error: ${reason}`.slice(0, 256) });
      }),
    );
    expect(parseCancelRequest('{"jobId":1,"reason":"x"}')).toBeUndefined();
    expect(parseCancelRequest(`{"jobId":"a","reason":"${'x'.repeat(9000)}"}`)).toBeUndefined();
  });

  it('a failure envelope comes back as a RemoteTaskError with the remote name, message, stack and attempts', () => {
    const remote = new RangeError('too big');
    const error = decodeFailure(encodeFailure(remote, 3), 'job-1', 0);
    expect(error).toBeInstanceOf(RemoteTaskError);
    expect({ name: error.name, message: error.message, stack: error.stack, jobId: error.jobId, attemptsMade: error.attemptsMade }).toEqual({
      name: 'RangeError',
      message: 'too big',
      stack: remote.stack,
      jobId: 'job-1',
      attemptsMade: 3,
    });
  });

  it('any other failedReason is the message of a plain remote Error', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const error = decodeFailure(text, 'j', 2);
        expect(error).toBeInstanceOf(RemoteTaskError);
        if (!text.startsWith('{"loom":1')) expect([error.name, error.message, error.attemptsMade]).toEqual(['Error', text, 2]);
      }),
    );
    expect(decodeFailure('{"loom":1,"name":5}', 'j', 1).message).toBe('{"loom":1,"name":5}');
    expect(decodeFailure('job stalled more than allowable limit', 'j', 2)).toMatchObject({ name: 'Error', message: 'job stalled more than allowable limit', attemptsMade: 2 });
  });
});
