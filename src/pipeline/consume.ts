/**
 * The three ways to run a pipeline, each an outlet for the last stage plus a way to wait:
 * `run()` drops the outputs as they come, `toArray()` keeps them, `for await` hands them to
 * the loop one at a time through a rendezvous buffer (capacity 0), so the loop's speed is
 * the pipeline's backpressure and the item in the loop body is the bound's "+ 1".
 *
 * @module
 */

import { Channel, DONE, EMPTY } from './channel.js';
import type { Run } from './run.js';

/** An outlet that counts and drops (`run()`). */
export const DROP = { put: (): boolean => true };

/** An outlet that keeps every output in `into` (`toArray()`). */
export function collect(into: unknown[]): { put(item: unknown): boolean } {
  return {
    put(item) {
      into.push(item);
      return true;
    },
  };
}

/** Waits for `run` to settle, then returns or throws its outcome. */
export async function finish(run: Run): Promise<void> {
  await run.settled;
  run.outcome();
}

/**
 * The consumer's side of `for await`: `next()` takes from the rendezvous buffer; once it is
 * done, waits for the run to settle and ends (or throws the run's failure). `return()` (a
 * `break`, or a throw in the loop body) tears the run down and waits for it to settle; it
 * rejects only if something failed meanwhile (say the source's `return()` threw).
 */
export class PipelineIterator<T> implements AsyncIterator<T> {
  readonly #run: Run;
  readonly #outlet: Channel<unknown>;

  constructor(run: Run, outlet: Channel<unknown>) {
    this.#run = run;
    this.#outlet = outlet;
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.#outlet.tryTake();
    if (item === EMPTY) return this.#outlet.take().then((taken) => (taken === DONE ? this.#end() : { done: false, value: taken as T }));
    if (item === DONE) return this.#end();
    return Promise.resolve({ done: false, value: item as T });
  }

  async return(): Promise<IteratorResult<T>> {
    this.#run.leave();
    return this.#end();
  }

  async #end(): Promise<IteratorResult<T>> {
    await finish(this.#run);
    return { done: true, value: undefined };
  }
}
