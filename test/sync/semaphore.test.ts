import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Semaphore, type Lock } from '../../src/sync/index.js';
import { abortListeners, deferred, flush, settle } from '../helpers.js';
import { exclusiveLockSuite } from './lock-suite.js';

exclusiveLockSuite('Semaphore.acquire', () => new Semaphore(1));

/** Starts `count` acquires and records, in order, which ones got a permit. */
function acquireAll(semaphore: Semaphore, count: number) {
  const order: number[] = [];
  const permits: Lock[] = [];
  const done = Array.from({ length: count }, (_, i) =>
    semaphore.acquire().then((permit) => {
      order.push(i);
      permits[i] = permit;
    }),
  );
  return { order, permits, done };
}

describe('Semaphore', () => {
  it('defaults to one permit', () => {
    expect(new Semaphore().value).toBe(1);
  });

  it('lets `value` tasks in at once and counts permits down and up (test_semaphore_value)', async () => {
    const semaphore = new Semaphore(3);
    const a = await semaphore.acquire();
    const b = await semaphore.acquire();
    expect(semaphore.value).toBe(1);
    expect(semaphore.locked).toBe(false);
    const c = semaphore.tryAcquire();
    expect(semaphore.value).toBe(0);
    expect(semaphore.locked).toBe(true);
    expect(semaphore.tryAcquire()).toBeUndefined();
    a.release();
    b.release();
    c?.release();
    expect(semaphore.value).toBe(3);
  });

  it('starts closed with value 0 and opens on release (test_initial_value_zero)', async () => {
    const semaphore = new Semaphore(0);
    expect(semaphore.locked).toBe(true);
    const waiting = acquireAll(semaphore, 1);
    await flush();
    expect(waiting.order).toEqual([]);
    semaphore.release();
    await flush();
    expect(waiting.order).toEqual([0]);
    expect(semaphore.value).toBe(0);
  });

  it('hands a released permit straight to the oldest waiter: value stays 0 (test_acquire_fifo_order)', async () => {
    const semaphore = new Semaphore(2);
    const held = [await semaphore.acquire(), await semaphore.acquire()];
    const waiting = acquireAll(semaphore, 4);
    held[0]?.release();
    expect(semaphore.value).toBe(0);
    expect(semaphore.tryAcquire()).toBeUndefined();
    held[1]?.release();
    await flush();
    expect(waiting.order).toEqual([0, 1]);
    waiting.permits[1]?.release();
    waiting.permits[0]?.release();
    await flush();
    expect(waiting.order).toEqual([0, 1, 2, 3]);
    for (const permit of waiting.permits) permit.release();
    expect(semaphore.value).toBe(2);
  });

  it('a handle returns its permit once; the bare release adds one each call (test_release_no_waiters)', async () => {
    const semaphore = new Semaphore(1);
    const permit = await semaphore.acquire();
    permit.release();
    permit.release();
    permit[Symbol.dispose]();
    expect(semaphore.value).toBe(1);
    semaphore.release();
    semaphore.release();
    expect(semaphore.value).toBe(3);
  });

  it('an aborted waiter does not hang the ones behind it (test_acquire_cancel_before_awoken, test_acquire_hang)', async () => {
    const semaphore = new Semaphore(0);
    const controller = new AbortController();
    const quitter = settle(semaphore.acquire({ signal: controller.signal }));
    const waiting = acquireAll(semaphore, 2);
    semaphore.release();
    controller.abort(new Error('cancelled before awoken'));
    expect((await quitter).ok).toBe(false);
    await flush();
    expect(waiting.order).toEqual([0]);
    semaphore.release();
    await flush();
    expect(waiting.order).toEqual([0, 1]);
    expect(semaphore.value).toBe(0);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('releases by several holders in one tick each wake one waiter, aborted ones passing on (hand-off race)', async () => {
    const semaphore = new Semaphore(2);
    const held = [await semaphore.acquire(), await semaphore.acquire()];
    const controllers = [new AbortController(), new AbortController()];
    const quitters = controllers.map((controller) => settle(semaphore.acquire({ signal: controller.signal })));
    const waiting = acquireAll(semaphore, 2);
    for (const permit of held) permit.release(); // both quitters are handed a permit...
    for (const controller of controllers) controller.abort(new Error('no thanks')); // ...and give up
    for (const quitter of quitters) expect((await quitter).ok).toBe(false);
    await flush();
    expect(waiting.order).toEqual([0, 1]);
    for (const permit of waiting.permits) permit.release();
    expect(semaphore.value).toBe(2);
  });

  it('runExclusive runs up to `value` functions at once, the rest in call order', async () => {
    const semaphore = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred()];
    const running: number[] = [];
    const tasks = gates.map((gate, i) =>
      semaphore.runExclusive(async () => {
        running.push(i);
        await gate.promise;
      }),
    );
    await flush();
    expect(running).toEqual([0, 1]);
    gates[1]?.resolve();
    await flush();
    expect(running).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    await Promise.all(tasks);
    expect(semaphore.value).toBe(2);
  });

  it('throws synchronously on a bad initial value', () => {
    expect(() => new Semaphore(-1)).toThrow(new RangeError('Expected `value` to be an integer >= 0, got `-1` (number)'));
    expect(() => new Semaphore(1.5)).toThrow(new RangeError('Expected `value` to be an integer >= 0, got `1.5` (number)'));
    expect(() => new Semaphore(Infinity)).toThrow(new RangeError('Expected `value` to be an integer >= 0, got `Infinity` (number)'));
    expect(() => new Semaphore('2' as any)).toThrow(new TypeError('Expected `value` to be an integer >= 0, got `"2"` (string)'));
  });

  it('under random schedules and aborts: never more than n holders, every patient waiter served, value restored', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc.record({
            abort: fc.boolean(),
            viaTry: fc.boolean(),
            // Whom this task aborts in the same tick as its release: the hand-off race.
            kill: fc.option(fc.nat({ max: 9 }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        async (s, n, plans) => {
          const semaphore = new Semaphore(n);
          const controllers = plans.map(() => new AbortController());
          const mayAbort = new Set(plans.flatMap((plan, i) => [...(plan.abort ? [i] : []), ...(plan.kill === undefined ? [] : [plan.kill])]));
          let holders = 0;
          let maxHolders = 0;
          const outcomes: string[] = plans.map(() => 'pending');
          const tasks = plans.map(async (plan, i) => {
            const controller = controllers[i] as AbortController;
            if (plan.abort) void s.schedule(Promise.resolve(`abort ${i}`)).then(() => controller.abort(new Error('aborted')));
            await s.schedule(Promise.resolve(`start ${i}`));
            let permit = plan.viaTry ? semaphore.tryAcquire() : undefined;
            if (permit === undefined) {
              const result = await settle(semaphore.acquire({ signal: controller.signal }));
              if (!result.ok) {
                expect(result.error).toEqual(new Error('aborted'));
                outcomes[i] = 'aborted';
                return;
              }
              permit = result.value;
            }
            holders++;
            maxHolders = Math.max(maxHolders, holders);
            await s.schedule(Promise.resolve(`work ${i}`));
            holders--;
            permit.release();
            if (plan.kill !== undefined) controllers[plan.kill]?.abort(new Error('aborted'));
            outcomes[i] = 'served';
          });
          await s.waitIdle();
          await Promise.all(tasks);
          expect(maxHolders).toBeLessThanOrEqual(n);
          outcomes.forEach((outcome, i) => {
            expect(outcome).toEqual(mayAbort.has(i) ? expect.stringMatching(/^(served|aborted)$/) : 'served');
          });
          expect(holders).toBe(0);
          expect(semaphore.value).toBe(n);
          for (const controller of controllers) expect(abortListeners(controller.signal)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
