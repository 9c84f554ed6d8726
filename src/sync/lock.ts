/**
 * The `Lock` handle that `Mutex` and `Semaphore` hand out, and the internal contract between a
 * handle and the primitive that issued it.
 *
 * A handle is one-shot: its first `release()` gives back what it holds, every later call (and
 * `[Symbol.dispose]` after an explicit `release()`) is a harmless no-op, like async-mutex's
 * idempotent releaser (`src/Semaphore.ts`). One-shot-ness is what makes `using` safe next to an
 * early explicit release, and what keeps a stale handle from releasing somebody else's hold.
 *
 * One class serves both primitives, so that the release call site stays monomorphic. The owner
 * is reached through a module-private symbol rather than a public method: users release through
 * the handle only, and `Mutex` exposes no `release()` that could free a lock its caller does not
 * hold. Rejected: a release closure per acquisition (async-mutex's way; one more allocation on
 * the hot path), and a shared handle with a generation number (a stale copy could still be
 * compared wrongly after the counter wraps, and `Condition` needs handle identity anyway).
 *
 * @module
 */

/**
 * Proof of holding a `Mutex` or one permit of a `Semaphore`. Give it back with `release()` or
 * let `using` do it.
 *
 * @example
 * ```ts
 * import { Mutex } from 'loom/sync';
 * const mutex = new Mutex();
 * {
 *   using _lock = await mutex.acquire();
 *   // ... critical section ...
 * } // released here, even if the block threw
 * ```
 */
export interface Lock extends Disposable {
  /** Gives back what this handle holds. Calling it again, or disposing afterwards, does nothing. */
  release(): void;
}

/** The key under which a primitive takes back a handle's hold. @internal (not exported from the package) */
export const releaseHandle: unique symbol = Symbol('loom.releaseHandle');

/** What a {@link LockHandle} calls back exactly once. @internal */
export interface HandleOwner {
  [releaseHandle](handle: LockHandle): void;
}

/** The one-shot {@link Lock} implementation. @internal */
export class LockHandle implements Lock {
  /** The issuer until the first `release()`; `undefined` ever after. */
  #owner: HandleOwner | undefined;

  constructor(owner: HandleOwner) {
    this.#owner = owner;
  }

  /** True once `release()` was called. */
  get released(): boolean {
    return this.#owner === undefined;
  }

  release(): void {
    const owner = this.#owner;
    if (owner === undefined) return;
    this.#owner = undefined;
    owner[releaseHandle](this);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/** Gives a handle back; the `passOn` of every queue that wakes waiters with a handle. @internal */
export function releaseLock(lock: Lock): void {
  lock.release();
}
