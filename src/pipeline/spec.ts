/**
 * What a `Pipeline` records of each builder call, and what a stage's workers get from the
 * run: the shapes shared by the builder, the run and the workers.
 *
 * @module
 */

import type { CallScope, StageFn } from './call.js';
import type { Channel } from './channel.js';
import type { ResolvedStageOptions } from './options.js';
import type { StageMeter } from './stats.js';
import type { Turns } from './turns.js';

/** `.stage` maps, `.filter` keeps or drops, `.flatMap` expands, `.batch` groups. */
export type StageKind = 'map' | 'filter' | 'flatMap' | 'batch';

/** One builder call, validated. */
export interface StageSpec {
  readonly kind: StageKind;
  readonly name: string;
  /** The user's function (unused by `.batch`). */
  readonly fn: StageFn;
  readonly opts: ResolvedStageOptions;
  /** `.batch` only: the batch size and its `maxWait` (ms). */
  readonly size: number;
  readonly maxWait: number;
}

/** Where a stage passes its items: the next stage's buffer, or the run's consumer. */
export interface Outlet {
  /** `true` when accepted now, `false` when dropped (the run is torn down), else a promise of either. */
  put(item: unknown): boolean | Promise<boolean>;
}

/** What a stage's workers get from the run. */
export interface RunScope extends CallScope {
  /** Reports a failure: the first one tears the run down and is what the run rejects with. */
  fail(error: unknown): void;
}

/** One stage of a running pipeline. */
export interface StageRuntime {
  readonly spec: StageSpec;
  readonly input: Channel<unknown>;
  readonly output: Outlet;
  readonly meter: StageMeter;
  /** Set for an `ordered` stage. */
  readonly turns: Turns | undefined;
  /** Names the stage in a per-attempt timeout message: `Stage "resize"`. */
  readonly what: string;
}
