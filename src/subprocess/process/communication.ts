/**
 * One `communicate()` conversation with a child, started once and shared by every call.
 *
 * CPython's promise, kept: `communicate({ timeout })` may time out, and a later call carries on
 * where it stopped. That works because the conversation is not tied to a call: the first call
 * starts feeding stdin and capturing stdout and stderr, and these keep running whether or not
 * anybody is waiting; each call only waits (with its own timeout and signal) for `done`. So
 * output written before and after a timeout is all there, and input not yet written at the
 * timeout is still delivered.
 *
 * @module
 */

import type { Readable, Writable } from 'node:stream';
import { Collector, emptyOutput, type Encoding } from '../stdio/collect.js';
import { feed, type Input } from '../stdio/input.js';

/** The streams and limits a conversation works with. */
export interface Parties {
  readonly stdin: Writable | undefined;
  readonly stdout: Readable | undefined;
  readonly stderr: Readable | undefined;
  readonly encoding: Encoding;
  readonly maxBuffer: number;
  /** Resolves when the child has exited (or failed to start). */
  readonly exited: Promise<void>;
  /** Called when a stream exceeds `maxBuffer`: kills the child and returns the error to report. */
  readonly overflow: (stream: 'stdout' | 'stderr') => unknown;
}

/** Captured output of both streams. */
export interface Outputs {
  readonly stdout: string | Buffer;
  readonly stderr: string | Buffer;
}

/** A running (or finished) conversation. */
export class Communication {
  readonly #out: Collector | undefined;
  readonly #err: Collector | undefined;
  readonly #encoding: Encoding;
  /** Set once `done` fulfilled: the final outputs, decoded once. */
  #final: Outputs | undefined;
  /**
   * Settles when input is written, both streams closed and the child exited; rejects on
   * `maxBuffer` or a stdin error. Always has a handler attached (see the constructor), since
   * nobody may be waiting when it settles: the last `communicate()` may have timed out.
   */
  readonly done: Promise<void>;

  constructor(parties: Parties, input: Input | undefined) {
    this.#encoding = parties.encoding;
    let overflowed: ((error: unknown) => void) | undefined;
    const overflow = new Promise<never>((_resolve, reject) => {
      overflowed = reject;
    });
    const onOverflow = (stream: 'stdout' | 'stderr') => (): void => overflowed?.(parties.overflow(stream));
    const { stdout, stderr, stdin, encoding, maxBuffer } = parties;
    this.#out = stdout === undefined ? undefined : new Collector(stdout, encoding, maxBuffer, onOverflow('stdout'));
    this.#err = stderr === undefined ? undefined : new Collector(stderr, encoding, maxBuffer, onOverflow('stderr'));
    const fed = stdin === undefined ? undefined : feed(stdin, input);
    const all = Promise.all([fed, this.#out?.done, this.#err?.done, parties.exited]).then(() => undefined);
    this.done = Promise.race([all, overflow]);
    this.done.catch(() => undefined);
  }

  /** What both streams delivered so far (the partial output of a `TimeoutExpired`). */
  snapshot(): Outputs {
    return {
      stdout: this.#out?.snapshot() ?? emptyOutput(this.#encoding),
      stderr: this.#err?.snapshot() ?? emptyOutput(this.#encoding),
    };
  }

  /** The complete outputs; only after `done` fulfilled. */
  result(): Outputs {
    this.#final ??= {
      stdout: this.#out?.finish() ?? emptyOutput(this.#encoding),
      stderr: this.#err?.finish() ?? emptyOutput(this.#encoding),
    };
    return this.#final;
  }
}
