/**
 * `Queue`: the first-in, first-out queue, like Python's `queue.Queue` and `asyncio.Queue`,
 * on a ring buffer (see `ring-buffer.ts` for why not `Array.prototype.shift`).
 *
 * @module
 */

import { BaseQueue, type QueueOptions } from './base-queue.js';
import { RingBuffer } from './ring-buffer.js';

/**
 * A FIFO queue for coordinating producers and consumers: bounded (`put` waits while it is
 * full, so a fast producer cannot exhaust memory), closable, with `taskDone()`/`join()` to
 * wait for the work to finish and `for await` to consume it. Waiting getters and putters are
 * served first come, first served; every waiting call takes `{ signal, timeout }`.
 *
 * @example
 * ```ts
 * import { Queue } from 'loom/queue';
 * const downloads = new Queue<string>({ maxsize: 10 });
 * const worker = (async () => {
 *   for await (const url of downloads) await fetch(url);
 * })();
 * for (const url of ['https://example.com/a', 'https://example.com/b']) await downloads.put(url);
 * await downloads.join(); // every URL fetched
 * downloads.close();
 * await worker;
 * ```
 */
export class Queue<T> extends BaseQueue<T> {
  /**
   * @param options `maxsize`: the most items held, an integer >= 0 (default 0: unbounded).
   * @throws TypeError/RangeError synchronously on a bad `maxsize` or options.
   */
  constructor(options?: QueueOptions) {
    super(new RingBuffer<T>(), options);
  }
}
