/**
 * Many producers and consumers on one FIFO queue, interleaved by fast-check's scheduler, with
 * random aborts (some landing in the same tick as a hand-off or an admission) and a close at
 * a random point: nothing is lost, nothing is duplicated, and each producer's items keep
 * their order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueClosed } from '../../src/core/errors.js';
import { Queue } from '../../src/queue/index.js';
import { abortListeners } from '../helpers.js';

type Item = readonly [producer: number, index: number];

/** What a step does besides its own put or get. */
type Step = 'plain' | 'abortable' | 'nowait-then-abort';

const PER_PRODUCER = 6;

describe('Queue under many producers and consumers', () => {
  it('loses nothing, duplicates nothing and keeps per-producer order, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.constantFrom<Step>('plain', 'abortable', 'nowait-then-abort'), { minLength: 1, maxLength: 30 }),
        async (s, maxsize, producers, consumers, steps) => {
          const queue = new Queue<Item>({ maxsize });
          let stepIndex = 0;
          const nextStep = (): Step => steps[stepIndex++ % steps.length] as Step;
          /** Controllers of calls now waiting; a `nowait-then-abort` step aborts the oldest one synchronously. */
          const waiting = new Set<AbortController>();
          const signals: AbortSignal[] = [];
          const abortOldestWaiting = (): void => {
            const [oldest] = waiting;
            oldest?.abort(new Error('chaos'));
          };
          /** Indexes whose put resolved, per producer, in resolution order. */
          const delivered: number[][] = Array.from({ length: producers }, () => []);
          const received: Item[][] = Array.from({ length: consumers }, () => []);

          const call = async <R>(step: Step, fn: (signal: AbortSignal | undefined) => Promise<R>): Promise<R> => {
            if (step === 'plain') return fn(undefined);
            const controller = new AbortController();
            signals.push(controller.signal);
            waiting.add(controller);
            if (step === 'abortable') {
              // The scheduler decides when (and so whether) this abort lands.
              void s.schedule(Promise.resolve(), 'abort').then(() => controller.abort(new Error('abort')));
            }
            try {
              return await fn(controller.signal);
            } finally {
              waiting.delete(controller);
            }
          };

          const producer = async (p: number): Promise<void> => {
            for (let i = 0; i < PER_PRODUCER; i++) {
              await s.schedule(Promise.resolve(), `producer ${p}`);
              const step = nextStep();
              try {
                if (step === 'nowait-then-abort' && !queue.full() && !queue.closed) {
                  queue.putNowait([p, i]); // may hand the item to the oldest getter...
                  abortOldestWaiting(); // ...which may abort before it resumes
                } else {
                  await call(step, (signal) => queue.put([p, i], { signal }));
                }
                (delivered[p] as number[]).push(i);
              } catch (error) {
                if (error instanceof QueueClosed) return;
                // aborted: the item was not inserted; go on with the next one
              }
            }
          };

          const consumer = async (c: number): Promise<void> => {
            for (;;) {
              await s.schedule(Promise.resolve(), `consumer ${c}`);
              const step = nextStep();
              try {
                if (step === 'nowait-then-abort' && !queue.empty()) {
                  (received[c] as Item[]).push(queue.getNowait()); // may admit the oldest putter...
                  abortOldestWaiting(); // ...which may abort before it resumes (too late: its put completed)
                } else {
                  (received[c] as Item[]).push(await call(step, (signal) => queue.get({ signal })));
                }
              } catch (error) {
                if (error instanceof QueueClosed) return;
              }
            }
          };

          const closer = s.schedule(Promise.resolve(), 'close').then(() => queue.close());
          const all = Promise.all([
            ...Array.from({ length: producers }, (_, p) => producer(p)),
            ...Array.from({ length: consumers }, (_, c) => consumer(c)),
            closer,
          ]);
          await s.waitFor(all);
          await s.waitAll(); // scheduled aborts that never got a turn

          const leftover: Item[] = [];
          while (!queue.empty()) leftover.push(queue.getNowait());
          const everything = [...received.flat(), ...leftover];
          for (let p = 0; p < producers; p++) {
            const fromP = everything.filter(([producer]) => producer === p).map(([, index]) => index);
            expect([...fromP].sort((a, b) => a - b)).toEqual(delivered[p]); // none lost, none duplicated
            for (const stream of [...received, leftover]) {
              const order = stream.filter(([producer]) => producer === p).map(([, index]) => index);
              expect(order).toEqual([...order].sort((a, b) => a - b)); // each consumer sees p's items in order
            }
          }
          if (consumers === 1) {
            for (let p = 0; p < producers; p++) {
              const order = everything.filter(([producer]) => producer === p).map(([, index]) => index);
              expect(order).toEqual(delivered[p]);
            }
          }
          for (const signal of signals) expect(abortListeners(signal)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
