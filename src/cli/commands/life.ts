/**
 * `loom life`: Conway's Game of Life from the command line (the seed's items 56–60), with every
 * fan-out strategy of the seed, the two kinds of I/O (a timer latency, or real requests to a
 * game server over TCP) and the shared-memory engine on worker threads. Small grids print
 * their generations side by side like the seed; large ones one timing line per generation;
 * `--watch` redraws the grid in place (see `life/run.ts`).
 *
 * The options are data, checked by the shared parser like every command's; what their values
 * must look like is checked by `life/config.ts`, which throws `UsageError` (exit status 2)
 * before any server, socket or thread exists. The strategies, the network and the worker
 * threads are imported only when the command runs, as `demo` does with the examples, so that
 * `loom --help` stays cheap.
 *
 * @module
 */

import type { Command } from '../command.js';
import { lifeSettings, STRATEGIES } from './life/config.js';
import { noPositionals } from './life/values.js';

/**
 * The `life` command.
 *
 * @example
 * ```ts
 * await lifeCommand.run({ positionals: [], values: { strategy: 'async', latency: '100' }, out: console.log, err: console.error, signal });
 * ```
 */
export const lifeCommand: Command = {
  name: 'life',
  usage: '[--height H --width W] [--generations N] [--pattern glider|blinker|random|FILE.rle] [--seed S] '
    + `[--strategy ${STRATEGIES.join('|')}] [--latency MS] [--io timer|tcp] [--server HOST:PORT] [--workers N] [--watch]`,
  summary: 'Runs Conway\'s Game of Life with each of the seed\'s strategies, timer or TCP I/O, or on worker threads.',
  details: [
    'Small grids print their generations side by side, like the seed; large ones print the time each generation '
      + 'took and its ratio to the latency floor (with --latency 100: 45 cells take ~4.5 s serially, ~0.1 s fanned out).',
    'Example: loom life --pattern random --height 100 --width 100 --strategy async --latency 100 --io tcp',
  ],
  options: {
    height: { type: 'string', valueName: 'H', description: 'Rows of the grid (default: the pattern\'s own; 20 for random).' },
    width: { type: 'string', valueName: 'W', description: 'Columns of the grid (default: the pattern\'s own; 40 for random).' },
    generations: { type: 'string', valueName: 'N', description: 'Generations to run (default 5; with --watch, until interrupted).' },
    pattern: { type: 'string', valueName: 'P', description: 'glider (the seed\'s, default), blinker, random, or an RLE file (FILE.rle).' },
    seed: { type: 'string', valueName: 'S', description: 'Seed of the random pattern (default 1).' },
    strategy: { type: 'string', valueName: 'S', description: `${STRATEGIES.join(', ')} (default serial).` },
    latency: { type: 'string', valueName: 'MS', description: 'I/O latency per cell in milliseconds (default 0: the pure rule).' },
    io: { type: 'string', valueName: 'KIND', description: 'timer (default) or tcp: real requests to a game server.' },
    server: { type: 'string', valueName: 'HOST:PORT', description: 'With --io tcp: this `loom life-server` instead of one in this process.' },
    workers: { type: 'string', valueName: 'N', description: 'Workers (pipeline, phased), cells in flight (pool) or threads (parallel).' },
    watch: { type: 'boolean', description: 'Redraws the grid in place each generation, until interrupted.' },
  },
  async run({ positionals, values, out, signal }) {
    noPositionals('life', positionals);
    const { config, grid } = await lifeSettings(values);
    const { runLife } = await import('./life/run.js');
    await runLife(config, grid, { out, signal });
  },
};
