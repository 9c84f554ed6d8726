/**
 * The "limit" of each core benchmark: the smallest hand-written version of the same thing,
 * with no options, no cancellation, no validation and no fairness beyond what falls out of an
 * array. loom must come close to these (within the ratios in `bench/README.md`) while doing all
 * of that. They live in the bench folder only; nothing in `src/` uses them.
 *
 * @module
 */

const RESOLVED: Promise<void> = Promise.resolve();

/** A bounded FIFO queue: items in an array with a moving head, waiters in arrays. */
export class MinimalQueue<T> {
  #items: T[] = [];
  #head = 0;
  readonly #getters: ((item: T) => void)[] = [];
  readonly #putters: (() => void)[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  put(item: T): Promise<void> {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      getter(item);
      return RESOLVED;
    }
    if (this.#items.length - this.#head < this.#capacity) {
      this.#items.push(item);
      return RESOLVED;
    }
    return new Promise((resolve) => {
      this.#putters.push(() => {
        this.#items.push(item);
        resolve();
      });
    });
  }

  get(): Promise<T> {
    if (this.#items.length > this.#head) {
      const item = this.#items[this.#head++] as T;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      this.#putters.shift()?.();
      return Promise.resolve(item);
    }
    return new Promise((resolve) => this.#getters.push(resolve));
  }
}

/** A mutex: a flag and an array of waiters, ownership handed to the next waiter on release. */
export class MinimalMutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return RESOLVED;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#locked = false;
    else next();
  }
}

/**
 * {@link MinimalMutex} with loom's contract: each acquisition gets its own one-shot release
 * handle, so a second `release()` of a stale handle cannot free the next holder's lock. This
 * is the least any safe `acquire(): Promise<Lock>` must allocate (a handle and a promise).
 */
export class MinimalHandleMutex {
  readonly #mutex = new MinimalMutex();

  async acquire(): Promise<{ release(): void }> {
    await this.#mutex.acquire();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#mutex.release();
      },
    };
  }
}

/** Maps with `concurrency` loops pulling indexes from a shared counter; results in input order. */
export async function minimalMap<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, concurrency: number): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
