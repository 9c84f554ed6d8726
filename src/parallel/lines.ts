/**
 * Line splitting for `--line-buffer`: bytes in, complete lines (newline included) out, the
 * partial last line kept until more bytes or the end. Lines are never joined across jobs, so
 * two jobs' lines interleave only whole.
 *
 * @module
 */

/** Splits one stream of one job into lines. */
export class LineSplitter {
  #pending: Buffer = Buffer.alloc(0);
  readonly #emit: (line: Buffer) => void;

  constructor(emit: (line: Buffer) => void) {
    this.#emit = emit;
  }

  /** Emits every complete line `chunk` finishes. */
  push(chunk: Buffer): void {
    let data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10)) {
      this.#emit(data.subarray(0, end + 1));
      data = data.subarray(end + 1);
    }
    this.#pending = data;
  }

  /** Emits the last line if it had no newline. */
  end(): void {
    if (this.#pending.length > 0) this.#emit(this.#pending);
    this.#pending = Buffer.alloc(0);
  }
}
