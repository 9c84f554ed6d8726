/**
 * The limit of the pipeline benchmark: the smallest hand-written three-stage pipeline — three
 * bounded queues, `workers` loops per stage, and a close sentinel per worker, as Python's
 * `queue` pipelines do it. No stats, no ordering, no error policy, no cancellation. Its queue
 * hands back an item (or accepts one) without a promise when it can, and the loops await only
 * real waits: the least a JavaScript version of that design does. Nothing in `src/` uses it.
 *
 * @module
 */

/** Marks the end of a stage's input: each worker that takes it exits. */
const CLOSE: unique symbol = Symbol('CLOSE');
/** `get` found nothing: the caller parks with `wait()`. */
const NONE: unique symbol = Symbol('NONE');

type Item = number | typeof CLOSE;

/** A bounded FIFO: items in an array with a moving head; parked getters and putters in arrays. */
class TinyQueue {
  #items: Item[] = [];
  #head = 0;
  readonly #getters: ((item: Item) => void)[] = [];
  readonly #putters: [Item, () => void][] = [];

  constructor(readonly capacity: number) {}

  /** `true` when accepted now, else a promise resolved once it is. */
  put(item: Item): true | Promise<void> {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      getter(item);
      return true;
    }
    if (this.#items.length - this.#head < this.capacity) {
      this.#items.push(item);
      return true;
    }
    return new Promise((resolve) => this.#putters.push([item, resolve]));
  }

  /** The next item, or {@link NONE} when the caller must `wait()`. */
  get(): Item | typeof NONE {
    if (this.#items.length === this.#head) return NONE;
    const item = this.#items[this.#head++] as Item;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    const putter = this.#putters.shift();
    if (putter !== undefined) {
      this.#items.push(putter[0]);
      putter[1]();
    }
    return item;
  }

  wait(): Promise<Item> {
    return new Promise((resolve) => this.#getters.push(resolve));
  }
}

type Fn = (item: number) => Promise<number>;

/** Runs `items` through `fns` (one stage each) with `workers` loops per stage and buffers of `buffer`; returns how many came out. */
export async function minimalPipeline(items: Iterable<number>, fns: readonly Fn[], workers: number, buffer: number): Promise<number> {
  const queues = fns.map(() => new TinyQueue(buffer));
  let out = 0;
  const stages = fns.map(async (fn, s) => {
    const input = queues[s] as TinyQueue;
    const output = queues[s + 1];
    const worker = async (): Promise<void> => {
      for (;;) {
        let item = input.get();
        if (item === NONE) item = await input.wait();
        if (item === CLOSE) return;
        const result = await fn(item);
        if (output === undefined) out++;
        else {
          const put = output.put(result);
          if (put !== true) await put;
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
    if (output !== undefined) for (let i = 0; i < workers; i++) await output.put(CLOSE);
  });
  const first = queues[0] as TinyQueue;
  for (const item of items) {
    const put = first.put(item);
    if (put !== true) await put;
  }
  for (let i = 0; i < workers; i++) await first.put(CLOSE);
  await Promise.all(stages);
  return out;
}
