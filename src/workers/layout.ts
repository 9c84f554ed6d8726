/**
 * Where each shared-memory primitive keeps its state inside its `SharedArrayBuffer`: one
 * `Int32Array` per primitive, with named slot indexes (STYLE 3, after piscina's `src/symbols.ts`).
 *
 * Every slot is an `Int32` because `Atomics.wait`/`waitAsync` only wait on `Int32Array` (or
 * `BigInt64Array`) elements. Each primitive's words are contiguous and start at its handle's
 * `byteOffset`, which is a multiple of 4; several primitives may share one buffer.
 *
 * @module
 */

/** `SharedMutex`: one word. */
export const MUTEX_WORDS = 1;
/** `SharedMutex` state word: one of the three values below (Drepper's "Futexes Are Tricky", mutex 2). */
export const MUTEX_STATE = 0;
/** Nobody holds the mutex. */
export const UNLOCKED = 0;
/** Held, and no thread has parked since it was taken: the release needs no `notify`. */
export const LOCKED = 1;
/** Held, and some thread may be parked on the state word: the release must `notify`. */
export const CONTENDED = 2;

/** `SharedSemaphore`: two words. */
export const SEMAPHORE_WORDS = 2;
/** Permits available now; never negative. */
export const SEMAPHORE_VALUE = 0;
/** Threads that are parked (or about to park) on `SEMAPHORE_VALUE`; a release notifies only when > 0. */
export const SEMAPHORE_WAITERS = 1;

/** `SharedBarrier`: two words. */
export const BARRIER_WORDS = 2;
/**
 * The barrier's whole state packed in one word, so that every transition is a single
 * `compareExchange`: bits 0–13 the parties that arrived in this generation, bit 14 "resetting",
 * bit 15 "broken", bits 16–30 the generation number (modulo 2^15).
 */
export const BARRIER_STATE = 0;
/** The number of parties, fixed at construction; read by `SharedBarrier.from`. */
export const BARRIER_PARTIES = 1;
/** Mask of the arrived-parties count in `BARRIER_STATE`. */
export const BARRIER_COUNT_MASK = 0x3fff;
/** Set while `reset()` waits for the parties of a broken generation to leave. */
export const BARRIER_RESETTING = 1 << 14;
/** Set when the generation is broken: waiters and new arrivals throw `BrokenBarrierError`. */
export const BARRIER_BROKEN = 1 << 15;
/** Shift of the generation number in `BARRIER_STATE`. */
export const BARRIER_GENERATION_SHIFT = 16;
/** Mask of the generation number once shifted down (15 bits, so the word stays positive). */
export const BARRIER_GENERATION_MASK = 0x7fff;
/** The most parties a barrier can count in `BARRIER_COUNT_MASK`. */
export const BARRIER_MAX_PARTIES = BARRIER_COUNT_MASK;

/** `AtomicCounter`: one word. */
export const COUNTER_WORDS = 1;
/** The counter's value, a signed 32-bit integer that wraps around like `Int32Array` arithmetic. */
export const COUNTER_VALUE = 0;
