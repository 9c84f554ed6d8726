/**
 * The contract between `loom demo` and the seed's examples: each file in `examples/` exports
 * one {@link Demo} as its default export and runs it when executed directly
 * (`node dist/examples/54-lock.js`). `examples/index.ts` lists them for the CLI.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';
import { pathToFileURL } from 'node:url';

/** What a demo gets from whoever runs it. */
export interface DemoContext {
  /** Smaller sizes so that the whole demo runs in a second or two (the test suite uses it). */
  readonly quick: boolean;
  /** Prints one line of the demo's output. */
  readonly out: (line: string) => void;
  /** Aborted when the user presses Ctrl-C; a demo passes it to every wait. */
  readonly signal: AbortSignal;
}

/** One seed item, runnable. */
export interface Demo {
  /** The seed's item number (52–60). */
  readonly item: number;
  /** The item's title, as the seed words it. */
  readonly title: string;
  /** Runs every example of the item, printing what it shows and measured times next to the seed's figures. */
  run(ctx: DemoContext): Promise<void>;
}

/** Seconds with three decimals, as the seed prints them (`Took 0.399 seconds`). */
export function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * Runs `demo` when `moduleUrl` is the entry point of the process (`node dist/examples/54-lock.js [--quick]`).
 * SIGINT and SIGTERM abort the demo's signal, which every wait of the demo watches; a closed
 * stdout (`| head`) does the same instead of crashing with EPIPE.
 */
export async function runIfMain(moduleUrl: string, demo: Demo): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(entry).href !== moduleUrl) return;
  const controller = new AbortController();
  // Every concurrent wait of a demo may watch this one signal through Node APIs (sockets,
  // timers) that add a listener each; dozens at once are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const stop = (): void => controller.abort(new Error('Interrupted'));
  const onStdoutError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.on('error', onStdoutError);
  try {
    await demo.run({ quick: process.argv.includes('--quick'), out: (line) => console.log(line), signal: controller.signal });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stdout.off('error', onStdoutError);
  }
}
