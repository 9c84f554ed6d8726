/**
 * Condition notifications against a model, under random schedules and aborts. Each consumer
 * waits once; the test keeps its own FIFO of parked consumers and predicts, at every notify and
 * abort, who must end up notified, aborted or still parked. A notification lost by an aborted
 * waiter (no hand-off) leaves a consumer parked that the model says was notified; a wake-up that
 * wins over a same-tick abort serves a consumer the model says gave up. Both fail here.
 *
 * Aborts are only fired where the outcome is certain: on a consumer not parked yet or parked and
 * not notified (a scheduled abort), or on the consumer just notified, in the notifier's own
 * synchronous critical section (the hand-off race).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Condition } from '../../src/sync/index.js';
import { flush, settle } from '../helpers.js';

type State = 'before' | 'parked' | 'notified' | 'aborted';

describe('Condition notifications (model-based)', () => {
  it('reach the oldest parked consumer, pass on from one aborted in the same tick, and are never lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        async (s, scheduledAborts, kills) => {
          const cond = new Condition();
          const controllers = scheduledAborts.map(() => new AbortController());
          const expected: State[] = scheduledAborts.map(() => 'before');
          const actual: string[] = scheduledAborts.map(() => 'pending');
          const parked: number[] = [];
          const abort = (i: number): void => {
            expected[i] = 'aborted';
            const at = parked.indexOf(i);
            if (at >= 0) parked.splice(at, 1);
            controllers[i]?.abort(new Error('aborted'));
          };

          const consume = async (i: number): Promise<void> => {
            if (scheduledAborts[i] === true) {
              void s.schedule(Promise.resolve(`abort ${i}`)).then(() => {
                if (expected[i] === 'before' || expected[i] === 'parked') abort(i);
              });
            }
            await s.schedule(Promise.resolve(`consumer ${i}`));
            using _lock = await cond.acquire();
            if (expected[i] === 'before') {
              expected[i] = 'parked';
              parked.push(i);
            }
            const result = await settle(cond.wait({ signal: controllers[i]?.signal }));
            expect(cond.locked).toBe(true);
            actual[i] = result.ok ? 'notified' : 'aborted';
          };

          const produce = async (p: number, kill: boolean): Promise<void> => {
            await s.schedule(Promise.resolve(`producer ${p}${kill ? ' (kills)' : ''}`));
            using _lock = await cond.acquire();
            const woken = parked.shift();
            cond.notify();
            if (woken === undefined) return;
            expected[woken] = 'notified';
            if (!kill) return;
            abort(woken); // in the same tick as its notification: it must pass it on
            const next = parked.shift();
            if (next !== undefined) expected[next] = 'notified';
          };

          const consumers = scheduledAborts.map((_, i) => consume(i));
          const producers = kills.map((kill, p) => produce(p, kill));
          await s.waitIdle();
          await Promise.all(producers);
          await flush();
          // Whoever the model still has parked must really be parked: the model says they end
          // aborted. Aborting every signal also ends, with a clean failure, a consumer that the
          // model says was notified but that a lost notification left parked.
          for (const i of parked) expected[i] = 'aborted';
          for (const controller of controllers) controller.abort(new Error('aborted'));
          await Promise.all(consumers);
          expect(actual).toEqual(expected);
          expect(cond.nWaiting).toBe(0);
          expect(cond.locked).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
