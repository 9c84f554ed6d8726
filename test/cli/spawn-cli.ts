/**
 * Runs the BUILT `loom` command (`dist/src/cli/main.js`) as a real child process, so that the
 * tests see what a shell sees: the exit status, standard output and standard error, and the
 * process's reaction to signals (after effection's `test/main.test.ts`).
 */

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bin of the build; `npm test` builds before it runs vitest. */
export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** How a finished run ended. */
export interface Finished {
  /** The exit status, or `null` when a signal killed the process. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `loom` with its output collected as it arrives. */
export interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves once a whole line equal to `line` appeared on standard output. */
  readonly lineOnStdout: (line: string) => Promise<void>;
  /** Resolves when the process exited and its streams closed. */
  readonly finished: Promise<Finished>;
}

/** Starts `node dist/src/cli/main.js ...args`. */
export function startCli(args: readonly string[]): Running {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  const lineWatchers = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const check of lineWatchers) check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  const lineOnStdout = (line: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!stdout.split('\n').slice(0, -1).includes(line)) return;
        lineWatchers.delete(check);
        resolve();
      };
      lineWatchers.add(check);
      check();
      void finished.then(() => {
        lineWatchers.delete(check);
        reject(new Error(`loom exited without printing ${JSON.stringify(line)}; stdout: ${stdout}; stderr: ${stderr}`));
      }, reject);
    });
  return { child, lineOnStdout, finished };
}

/** Runs `loom ...args` to the end. */
export function runCli(args: readonly string[]): Promise<Finished> {
  return startCli(args).finished;
}
