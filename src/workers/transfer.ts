/**
 * `withTransfer`: lets a task function return a value whose `ArrayBuffer`s (or ports) move to the
 * main thread instead of being copied, like piscina's `Piscina.move`. The marker is recognised
 * by a registered symbol (`Symbol.for`), so it works even when the task module and the worker
 * entry loaded this file twice (from `src/` and from `dist/`, say). This file imports only the
 * argument checks, so task modules can import it cheaply.
 *
 * @module
 */

import type { TransferListItem } from 'node:worker_threads';
import { expectation } from '../core/validate.js';

/** The brand of a {@link Transfer}; `Symbol.for` so that every copy of this module agrees on it. */
const TRANSFER: unique symbol = Symbol.for('loom.workers.transfer') as typeof TRANSFER;

/** A value to post together with the objects to transfer rather than copy. */
export interface Transfer<T> {
  /** The brand that tells the pool to unwrap this value. */
  readonly [TRANSFER]: true;
  /** What the caller receives. */
  readonly value: T;
  /** The objects inside `value` to transfer rather than copy (`ArrayBuffer`s, ports). */
  readonly transferList: readonly TransferListItem[];
}

/**
 * Wraps a task's return value so that the objects in `transferList` are transferred to the
 * main thread (zero-copy; they become unusable in the worker). The pool unwraps it: the caller
 * receives `value`.
 *
 * @example
 * ```ts
 * // in a task module
 * import { withTransfer } from 'loom/workers';
 * export function render(width: number, height: number) {
 *   const pixels = new Uint8Array(width * height);
 *   return withTransfer(pixels, [pixels.buffer]);
 * }
 * ```
 */
export function withTransfer<T>(value: T, transferList: readonly TransferListItem[]): Transfer<T> {
  if (!Array.isArray(transferList)) throw new TypeError(expectation('transferList', 'an array', transferList));
  return { [TRANSFER]: true, value, transferList };
}

/** True when `value` came from {@link withTransfer} (in any copy of this module). */
export function isTransfer(value: unknown): value is Transfer<unknown> {
  return typeof value === 'object' && value !== null && (value as { [TRANSFER]?: unknown })[TRANSFER] === true;
}
