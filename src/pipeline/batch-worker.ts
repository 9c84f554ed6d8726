/**
 * The one worker of a `.batch(name, size, { maxWait })`: groups its inputs into arrays of
 * `size`, in arrival order. A partial batch goes out `maxWait` ms after its first item came
 * (if no more came to fill it), and whatever is left goes out when the input ends — like
 * Kafka's `linger.ms` or RxJS's `bufferTime` with a count.
 *
 * The wait for the next item and the `maxWait` timer race; a take that loses the race stays
 * pending and is awaited on the next round, so no item handed to it is lost. The timer is
 * armed per batch and cleared when the batch goes out or the worker ends.
 *
 * @module
 */

import { DONE, EMPTY } from './channel.js';
import type { StageRuntime } from './spec.js';

/** Resolves the `maxWait` race. */
const EXPIRED: unique symbol = Symbol('EXPIRED');

/** Runs the batching worker of `stage` until its input is done. Never rejects. */
export async function batchWorker(stage: StageRuntime): Promise<void> {
  const { input, output, meter, spec } = stage;
  let batch: unknown[] = [];
  let pending: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let expiry: Promise<typeof EXPIRED> | undefined;
  /** Sends the batch on; false once the run is torn down. */
  const flush = async (): Promise<boolean> => {
    clearTimeout(timer);
    timer = undefined;
    expiry = undefined;
    const full = batch;
    batch = [];
    let accepted = output.put(full);
    if (typeof accepted !== 'boolean') {
      const start = performance.now();
      accepted = await accepted;
      meter.blocked += performance.now() - start;
    }
    meter.finished += full.length;
    if (accepted) meter.emitted++;
    else meter.dropped += full.length;
    return accepted;
  };
  try {
    for (;;) {
      let item: unknown = pending === undefined ? input.tryTake() : EMPTY;
      if (item === EMPTY) {
        const start = performance.now();
        pending ??= input.take();
        item = expiry === undefined ? await pending : await Promise.race([pending, expiry]);
        meter.starved += performance.now() - start;
        if (item === EXPIRED) {
          if (!(await flush())) return;
          continue;
        }
        pending = undefined;
      }
      if (item === DONE) {
        if (batch.length > 0) await flush();
        return;
      }
      meter.received++;
      batch.push(item);
      if (batch.length >= spec.size) {
        if (!(await flush())) return;
      } else if (batch.length === 1 && spec.maxWait !== Infinity) {
        expiry = new Promise((resolve) => {
          timer = setTimeout(resolve, spec.maxWait, EXPIRED);
        });
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
