/**
 * A real photo pipeline, the seed's item 55 made real: `npm run photos [-- options]`.
 *
 * A local HTTP server (`photos/server.ts`, on 127.0.0.1) serves N photos that the example
 * generates (`photos/images.ts`, deterministic JPEGs from a seed) with a latency standing for
 * the network. Stage 1 downloads each with `fetch`; stage 2 decodes it, scales it to a
 * thumbnail and encodes that on a `WorkerPool` (`photos/thumbnail.ts`, jimp: pure JavaScript,
 * so threads are what make it faster); stage 3 uploads the thumbnail with a PUT to the same
 * server. The photos go through once as a `pipeline()` (N workers per stage, bounded buffers)
 * and once serially; then the server's store is checked (every photo uploaded exactly once
 * per run, each upload a JPEG of the thumbnail size) and the figures are printed: the
 * pipeline's stats table with its bottleneck, and photos/s serially and pipelined.
 *
 * On a terminal a progress line (photos done, rate, ETA) is redrawn from `onProgress`; when
 * stdout is not a terminal nothing of the kind is written. The exit status is 0 when the checks
 * pass, 1 when they do not (or the run failed), 2 for a bad command line, 130 on Ctrl-C (143 on
 * SIGTERM), once the server and the threads are closed.
 *
 * Not a `loom demo` item, and nothing the CLI loads imports it: jimp is a devDependency.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { WorkerPool } from '../src/workers/index.js';
import { seconds } from './harness.js';
import { parsePhotosArgs, USAGE, UsageError, type PhotosOptions } from './photos/args.js';
import { verifyUploads } from './photos/check.js';
import type { Size } from './photos/images.js';
import { progressReporter, type ProgressOutput } from './photos/progress.js';
import { startFleet, type Fleet } from './photos/remote.js';
import { runPipelined, runSerial, type PhotoJob } from './photos/runs.js';
import { startPhotoServer } from './photos/server.js';
import { statsTable } from './stats-table.js';

/** The task module the pool loads: `.ts` when this file runs from source (tests), else `.js`. */
export const TASKS = new URL(`./photos/thumbnail${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Where a run writes, and what stops it. */
export interface PhotosIO {
  /** One line of the report. */
  readonly out: (line: string) => void;
  /** Where the progress line goes (stdout); it gets nothing unless it is a terminal. */
  readonly progress: ProgressOutput;
  /** Aborting it stops the run: every stage's calls are cancelled, then it rejects with the reason. */
  readonly signal: AbortSignal;
  /** The pool's task module (default {@link TASKS}); tests give one that fails. */
  readonly tasks?: URL | undefined;
}

/** The figures of a run, beside what it printed. */
export interface PhotosReport {
  readonly serialPerSecond: number;
  readonly pipelinedPerSecond: number;
  /** The problems the end checks found, serial run first; empty when every upload arrived once at the right size. */
  readonly problems: readonly string[];
}

/**
 * Generates the photos, runs them through the pipeline and serially, checks the uploads and
 * prints the report with `io.out`. The server and the pool are closed whichever way it ends.
 *
 * @example
 * ```ts
 * const report = await runPhotos(options, { out: console.log, progress: process.stdout, signal });
 * ```
 */
export async function runPhotos(options: PhotosOptions, io: PhotosIO): Promise<PhotosReport> {
  const { count, threads, photo, thumbnail, workers } = options;
  const pool = new WorkerPool({ module: io.tasks ?? TASKS, size: threads, concurrentTasksPerWorker: 1 });
  /** The loom workers of `--redis`, closed with the pool. */
  let fleet: Fleet | undefined;
  let ended = false;
  try {
    const generating = performance.now();
    const photos = await Promise.all(
      Array.from({ length: count }, (_, index) => pool.run<Uint8Array>('generate', [options.seed, index, photo.width, photo.height], { signal: io.signal })),
    );
    const kb = photos.reduce((sum, bytes) => sum + bytes.byteLength, 0) / count / 1024;
    io.out(`Generated ${count} JPEG photos of ${photo.width}x${photo.height} (${kb.toFixed(0)} KB on average) in ${seconds(performance.now() - generating)} s on ${threads} thread${threads === 1 ? '' : 's'}`);
    io.out(`Server latency ${options.latency} ms per request; thumbnails ${thumbnail.width}x${thumbnail.height}`);
    // One thumbnail per thread first, so that neither timed run pays for compiling jimp's decoder.
    const first = photos[0] as Uint8Array;
    await Promise.all(Array.from({ length: threads }, () => pool.run('thumbnail', [first, thumbnail.width, thumbnail.height], { signal: io.signal })));

    fleet = options.redis === undefined ? undefined : await startFleet(options.redis, 2, Math.max(1, Math.floor(threads / 2)));
    if (fleet !== undefined) {
      const { resize } = fleet;
      await Promise.all(Array.from({ length: threads }, () => resize(first, thumbnail.width, thumbnail.height, io.signal)));
      io.out(`Thumbnails on 2 loom worker processes (${Math.max(1, Math.floor(threads / 2))} thread${threads < 4 ? '' : 's'} each) through BullMQ at ${options.redis ?? ''}`);
    }
    const server = await startPhotoServer({ photos, latency: options.latency });
    try {
      const job: PhotoJob = { server, pool, count, thumbnail, resize: fleet?.resize };
      const progress = progressReporter(io.progress, count);
      let stats;
      try {
        stats = await runPipelined(job, 'pipelined', workers, { signal: io.signal, onProgress: progress.onProgress });
      } finally {
        progress.done();
      }
      const serialMs = await runSerial(job, 'serial', io.signal);

      io.out('');
      const where = fleet === undefined ? `${threads} thread${threads === 1 ? '' : 's'}` : '2 loom workers';
      io.out(`Pipelined (${workers.download} downloads, ${workers.resize} thumbnails on ${where}, ${workers.upload} uploads at once):`);
      for (const line of statsTable(stats)) io.out(`  ${line}`);
      const serialPerSecond = count / (serialMs / 1000);
      const pipelinedPerSecond = count / (stats.elapsed / 1000);
      io.out('');
      io.out(`Serially:  ${count} photos in ${seconds(serialMs)} s, ${serialPerSecond.toFixed(2)} photos/s`);
      io.out(`Pipelined: ${count} photos in ${seconds(stats.elapsed)} s, ${pipelinedPerSecond.toFixed(2)} photos/s (${(pipelinedPerSecond / serialPerSecond).toFixed(2)}x)`);

      const measure = (bytes: Uint8Array): Promise<Size> => pool.run<Size>('measure', [bytes], { signal: io.signal });
      const problems: string[] = [];
      for (const run of ['serial', 'pipelined']) {
        const found = await verifyUploads(count, server.uploads(run), thumbnail, measure);
        io.out(`Check, ${run} run: ${found.length === 0 ? `${count} uploads, each exactly once, each ${thumbnail.width}x${thumbnail.height}: ok` : `${found.length} problem${found.length === 1 ? '' : 's'}`}`);
        for (const problem of found) io.out(`  ${problem}`);
        problems.push(...found.map((problem) => `${run}: ${problem}`));
      }
      ended = true;
      return { serialPerSecond, pipelinedPerSecond, problems };
    } finally {
      await server.close();
    }
  } finally {
    await fleet?.close();
    // After a failure or an abort, threads still busy with a thumbnail are ended, not waited for.
    await (ended ? pool.shutdown() : pool.terminate());
  }
}

/**
 * The command: parses `argv` (the arguments after the script), runs, and returns the exit
 * status. Prints the usage for `--help`, and the mistake and the usage (to `err`) for a bad
 * command line.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['--quick'], { out: console.log, err: console.error, progress: process.stdout, signal });
 * ```
 */
export async function main(argv: readonly string[], io: PhotosIO & { readonly err: (line: string) => void }): Promise<number> {
  let options;
  try {
    options = parsePhotosArgs(argv, availableParallelism());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(error.message);
    io.err(USAGE);
    return 2;
  }
  if (options === 'help') {
    io.out(USAGE);
    return 0;
  }
  const report = await runPhotos(options, io);
  return report.problems.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const controller = new AbortController();
  // Each stage call watches this signal through fetch and the pool: many listeners at once, not a leak.
  setMaxListeners(0, controller.signal);
  /** 128 + the signal's number, as shells report a death by signal. */
  let interrupted = 0;
  const onSigint = (): void => {
    interrupted = 130;
    controller.abort(new Error('Interrupted'));
  };
  const onSigterm = (): void => {
    interrupted = 143;
    controller.abort(new Error('Terminated'));
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  try {
    process.exitCode = await main(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line), progress: process.stdout, signal: controller.signal });
  } catch (error) {
    console.error(interrupted !== 0 ? (controller.signal.reason as Error).message : error);
    process.exitCode = interrupted !== 0 ? interrupted : 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}
