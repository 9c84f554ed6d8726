/**
 * A byte buffer that grows as a child's output arrives and ends as one `Buffer` with nothing
 * joined at the end.
 *
 * What buffering a large output costs on Node is mostly the kernel handing out fresh memory: a
 * freshly allocated page is faulted in on its first write (150-200 ms of system time for 256 MiB
 * on the build machine, about as long as streaming them through `cat` takes), while copying a
 * chunk into memory already touched is cheap. So the aim is to touch as little fresh memory as
 * possible, once:
 *
 * - Rejected: keeping every chunk and joining them with one `Buffer.concat` at the end (what
 *   this replaced). The chunks are themselves fresh memory, so everything is faulted in twice
 *   and held twice at the peak; the GC cost of thousands of retained chunks turned out to be
 *   small (a few ms of mark-compact per 256 MiB).
 * - Rejected: doubling. Each growth copies everything so far into fresh memory, so in total
 *   about twice the output is faulted in, as with joining. Growing by 4 measured halfway.
 * - Chosen: growing by {@link GROWTH} (8): the copies on growth add at most a seventh of the
 *   output, and the chunks read from the pipe are dropped at once, so Node's allocator reuses
 *   the same warm memory for the next read. 256 MiB through `cat` then costs about 1.15x the
 *   CPU time of copying into one buffer allocated up front at the right size, against 1.4x for
 *   keeping the chunks and joining them. The spare capacity past the end is allocated but
 *   never written, which for large sizes costs address space rather than memory; it never
 *   takes the capacity past `limit` (the caller's `maxBuffer`), a small result is trimmed (see
 *   `bytes`), and should the spare capacity not be allocatable, growth takes only what it needs.
 * - Rejected: a resizable `ArrayBuffer` (grows in place, no copies): every result would be
 *   backed by a resizable buffer reserving up to `maxBuffer` of address space, which callers do
 *   not expect of a `Buffer`; measured no faster than growing by 8 here.
 * - Not possible with public APIs: reading the pipe straight into the result (libuv can read
 *   into a caller's buffer, but Node offers that only to sockets it creates from options).
 *
 * @module
 */

import { constants } from 'node:buffer';

/** The largest `Buffer` Node can allocate. */
const { MAX_LENGTH } = constants;

/** Each growth multiplies the capacity by this much, at least. */
const GROWTH = 8;

/**
 * Results up to this size are copied to a buffer of their exact size when they leave much spare
 * capacity: cheap at this size, and a small result then pins no more memory than it holds.
 * Larger spare capacity was never written to, so it is not backed by memory.
 */
const TRIM_BELOW = 4 * 1024 * 1024;

/**
 * Collects bytes, in order, into one growing buffer (internal to the subprocess module; the
 * `Collector` of `collect.ts` feeds it a child's output).
 *
 * @example
 * ```ts
 * const bytes = new ByteBuffer(100 * 1024 * 1024);
 * bytes.append(Buffer.from('hello, '));
 * bytes.append(Buffer.from('world'));
 * bytes.bytes().toString(); // 'hello, world'
 * ```
 */
export class ByteBuffer {
  /** The most bytes the caller will append in all; spare capacity never goes past it. */
  readonly #limit: number;
  /**
   * Holds the bytes received in `[0, #length)`; the rest is spare capacity, never read. The
   * first chunk is kept as it came (no copy), so a one-chunk output is never copied at all.
   * Bytes in `[0, #length)` are never written again: a growth copies them into a new store.
   */
  #store: Buffer | undefined;
  /** Bytes received so far; `#length <= #store.length`. */
  #length = 0;

  /** @param limit the most bytes that will be appended in all (`maxBuffer`); any number >= 0. */
  constructor(limit: number) {
    this.#limit = Math.floor(limit);
  }

  /** Bytes received so far. */
  get length(): number {
    return this.#length;
  }

  /**
   * Appends `chunk`, which the caller gives up (it may be kept as the first store). Throws
   * `RangeError` only when no buffer of the needed size can be allocated.
   */
  append(chunk: Buffer): void {
    const need = this.#length + chunk.length;
    if (this.#store === undefined) {
      this.#store = chunk;
      this.#length = need;
      return;
    }
    if (need > this.#store.length) this.#store = this.#grow(this.#store, need);
    chunk.copy(this.#store, this.#length);
    this.#length = need;
  }

  /** A new store of at least `need` bytes holding the bytes received so far from `old`. */
  #grow(old: Buffer, need: number): Buffer {
    const capacity = Math.max(need, Math.min(this.#limit, MAX_LENGTH, old.length * GROWTH));
    let store: Buffer;
    try {
      store = Buffer.allocUnsafeSlow(capacity);
    } catch {
      // The spare capacity is an optimisation; only `need` bytes are required.
      store = Buffer.allocUnsafeSlow(need);
    }
    old.copy(store, 0, 0, this.#length);
    return store;
  }

  /**
   * The bytes received so far, as one `Buffer`. It shares memory with this buffer and with
   * earlier and later results: bytes already received are never changed here, so the views
   * stay true, but writing into one may show in another.
   */
  bytes(): Buffer {
    const store = this.#store;
    if (store === undefined) return Buffer.alloc(0);
    const spare = store.length - this.#length;
    if (this.#length < TRIM_BELOW && spare > this.#length) {
      this.#store = Buffer.from(store.subarray(0, this.#length));
      return this.#store;
    }
    return store.subarray(0, this.#length);
  }
}
