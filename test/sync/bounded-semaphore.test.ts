import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../src/core/errors.js';
import { BoundedSemaphore, Semaphore } from '../../src/sync/index.js';
import { settle } from '../helpers.js';
import { exclusiveLockSuite } from './lock-suite.js';

exclusiveLockSuite('BoundedSemaphore.acquire', () => new BoundedSemaphore(1));

const tooMany = (value: number): InvalidStateError =>
  new InvalidStateError(`BoundedSemaphore released too many times: value is already ${value}, its initial value`);

describe('BoundedSemaphore', () => {
  it('is a Semaphore with one permit by default', () => {
    const semaphore = new BoundedSemaphore();
    expect(semaphore).toBeInstanceOf(Semaphore);
    expect(semaphore.value).toBe(1);
  });

  it('throws InvalidStateError on a release past the initial value, changing nothing (test_release_not_acquired)', async () => {
    const semaphore = new BoundedSemaphore(2);
    expect(() => semaphore.release()).toThrow(tooMany(2));
    const permit = await semaphore.acquire();
    semaphore.release();
    expect(semaphore.value).toBe(2);
    expect(() => permit.release()).toThrow(tooMany(2));
    expect(semaphore.value).toBe(2);
  });

  it('lets every held permit come back, through handles or bare releases', async () => {
    const semaphore = new BoundedSemaphore(2);
    const a = await semaphore.acquire();
    await semaphore.acquire();
    a.release();
    a.release();
    semaphore.release();
    expect(semaphore.value).toBe(2);
  });

  it('hands releases to waiters without tripping the bound', async () => {
    const semaphore = new BoundedSemaphore(1);
    const first = await semaphore.acquire();
    const waiter = settle(semaphore.acquire());
    first.release();
    const result = await waiter;
    expect(semaphore.value).toBe(0);
    if (result.ok) result.value.release();
    expect(semaphore.value).toBe(1);
  });

  it('with an initial value of 0, any release is one too many', () => {
    const semaphore = new BoundedSemaphore(0);
    expect(() => semaphore.release()).toThrow(tooMany(0));
    expect(semaphore.value).toBe(0);
    expect(semaphore.tryAcquire()).toBeUndefined();
  });

  it('rejects a bad initial value like Semaphore', () => {
    expect(() => new BoundedSemaphore(-2)).toThrow(new RangeError('Expected `value` to be an integer >= 0, got `-2` (number)'));
  });
});
