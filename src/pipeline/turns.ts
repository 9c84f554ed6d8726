/**
 * Input order for an `ordered` stage: a finished item waits until every earlier input of the
 * stage has been passed on (or dropped), then takes its turn.
 *
 * The inputs a stage has taken and not yet passed on are each held by one of its `workers`,
 * so their indices lie in `[next, next + workers)`: slot `index % workers` is unique among
 * them, and a fixed array of `workers` slots holds every parked waiter, with no map and no
 * allocation beyond the waiter's own promise.
 *
 * @module
 */

/** The turn of one ordered stage. */
export class Turns {
  /** The index whose turn it is: every input before it has been passed on or dropped. */
  #next = 0;
  readonly #slots: ((() => void) | undefined)[];
  #aborted = false;

  constructor(workers: number) {
    this.#slots = new Array<(() => void) | undefined>(workers);
  }

  /** `undefined` when it is `index`'s turn now (or the run is torn down), else a promise of it. */
  wait(index: number): Promise<void> | undefined {
    if (index === this.#next || this.#aborted) return undefined;
    return new Promise<void>((resolve) => {
      this.#slots[index % this.#slots.length] = resolve;
    });
  }

  /** Ends the current turn (the caller's item has been passed on or dropped) and wakes the next, if it waits. */
  advance(): void {
    const slot = ++this.#next % this.#slots.length;
    const wake = this.#slots[slot];
    if (wake === undefined) return;
    this.#slots[slot] = undefined;
    wake();
  }

  /** Releases every waiter: the run is torn down, order no longer matters. */
  abort(): void {
    this.#aborted = true;
    for (const [slot, wake] of this.#slots.entries()) {
      this.#slots[slot] = undefined;
      wake?.();
    }
  }
}
