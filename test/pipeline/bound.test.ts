/**
 * The memory bound, as a property (fast-check): whatever the workers and buffers per stage,
 * whatever order the calls finish in and however slowly the consumer reads, the items pulled
 * from the source and not yet consumed never exceed the sum over stages of `workers + buffer`,
 * plus one; and every item comes out exactly once.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipeline } from '../../src/pipeline/index.js';

const stageArb = fc.record({ workers: fc.integer({ min: 1, max: 4 }), buffer: fc.integer({ min: 0, max: 3 }) });

describe('the memory bound', () => {
  it('pulled - consumed <= sum(workers + buffer) + 1 at every step, every item delivered once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(stageArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        async (s, stages, count, consumerWaits) => {
          const bound = stages.reduce((sum, stage) => sum + stage.workers + stage.buffer, 0) + 1;
          let pulled = 0;
          let consumed = 0;
          let worst = 0;
          const check = (): void => {
            worst = Math.max(worst, pulled - consumed);
          };
          function* source(): Generator<number> {
            for (let i = 0; i < count; i++) {
              pulled++;
              check();
              yield i;
            }
          }
          let p = pipeline(source());
          for (const [i, stage] of stages.entries()) {
            p = p.stage(`s${i}`, async (n) => {
              check();
              return s.schedule(Promise.resolve(n), `s${i}:${n}`);
            }, stage);
          }
          const seen: number[] = [];
          const consumer = (async () => {
            for await (const n of p) {
              check();
              seen.push(n);
              if (consumerWaits[seen.length % consumerWaits.length] === true) await s.schedule(Promise.resolve(), 'consumer');
              consumed++;
            }
          })();
          await s.waitFor(consumer);
          expect(worst).toBeLessThanOrEqual(bound);
          expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a slow consumer holds the source back: nothing is pulled that has nowhere to go', async () => {
    let pulled = 0;
    function* endless(): Generator<number> {
      for (;;) yield pulled++;
    }
    const p = pipeline(endless()).stage('a', async (n) => n, { workers: 2, buffer: 3 }).stage('b', async (n) => n, { workers: 1, buffer: 0 });
    let seen = 0;
    for await (const _ of p) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (++seen === 20) break;
    }
    expect(pulled - seen).toBeLessThanOrEqual(2 + 3 + 1 + 0 + 1);
    const [a] = p.stats().stages;
    expect(a?.bufferPeak).toBeLessThanOrEqual(3);
  });
});
