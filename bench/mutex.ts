/**
 * Mutex acquire/release: uncontended (one task, acquire then release in a loop) and contended
 * (100 tasks each looping acquire, a yield to the event loop's microtask queue, release).
 * Peer: async-mutex. The limit is {@link MinimalMutex}, a flag and a list of waiters that
 * returns one shared resolved promise; `limit, one-shot handle` ({@link MinimalHandleMutex})
 * adds what loom's contract requires of any implementation, a fresh handle per acquisition.
 *
 * @module
 */

import { Mutex as AsyncMutex } from 'async-mutex';
import { Mutex } from '../src/sync/index.js';
import { interleaved, nsSince, printTable, type Suite } from './harness.js';
import { MinimalHandleMutex, MinimalMutex } from './limits/minimal.js';

/** A lock under test, reduced to "acquire, then give back a release function". */
type Acquire = () => Promise<() => void>;

function loomAcquire(): Acquire {
  const mutex = new Mutex();
  return async () => {
    const lock = await mutex.acquire();
    return () => lock.release();
  };
}

function asyncMutexAcquire(): Acquire {
  const mutex = new AsyncMutex();
  return () => mutex.acquire();
}

function handleLimitAcquire(): Acquire {
  const mutex = new MinimalHandleMutex();
  return async () => {
    const lock = await mutex.acquire();
    return () => lock.release();
  };
}

function limitAcquire(): Acquire {
  const mutex = new MinimalMutex();
  return async () => {
    await mutex.acquire();
    return () => mutex.release();
  };
}

/** ns per acquire/release pair, uncontended. Each implementation is driven the same way. */
async function uncontended(acquire: Acquire, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) (await acquire())();
  return nsSince(start) / n;
}

/** Awaited inside the critical section: one trip through the microtask queue, so the others queue up. */
const YIELD: Promise<void> = Promise.resolve();

/** ns per acquire/release pair with `tasks` tasks contending. */
async function contended(acquire: Acquire, tasks: number, perTask: number): Promise<number> {
  let inside = 0;
  const task = async (): Promise<void> => {
    for (let i = 0; i < perTask; i++) {
      const release = await acquire();
      if (++inside !== 1) throw new Error('mutual exclusion broken');
      await YIELD;
      inside--;
      release();
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: tasks }, task));
  return nsSince(start) / (tasks * perTask);
}

const suite: Suite = async ({ quick }) => {
  const n = quick ? 1_000 : 1_000_000;
  const perTask = quick ? 10 : 10_000;
  const cases: [string, () => Acquire][] = [
    ['loom Mutex', loomAcquire],
    ['limit', limitAcquire],
    ['limit, one-shot handle', handleLimitAcquire],
    ['async-mutex', asyncMutexAcquire],
  ];
  const free = await interleaved(
    cases.map(([name, make]) => [name, () => uncontended(make(), n)] as const),
    7,
    quick,
  );
  const busy = await interleaved(
    cases.map(([name, make]) => [name, () => contended(make(), 100, perTask)] as const),
    7,
    quick,
  );
  printTable('Mutex acquire/release, uncontended', 'ns/op', free, 'limit', false);
  printTable('Mutex acquire/release, 100 contending tasks', 'ns/op', busy, 'limit', false);
};

export default suite;
