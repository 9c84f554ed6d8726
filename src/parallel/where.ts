/**
 * Where the jobs of a run execute, and the environment they (and the helpers that start them)
 * get.
 *
 * @module
 */

import { childEnv } from '../subprocess/arguments/options.js';

/** Where the jobs run. */
export interface Where {
  readonly cwd?: string | undefined;
  /** Merged over `process.env`, as loom/subprocess merges it for the helpers (`undefined` removes a name). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The environment the helpers, and so the jobs, get in `where`. */
export function envOf(where: Where): NodeJS.ProcessEnv {
  return childEnv(where.env, undefined) ?? process.env;
}
