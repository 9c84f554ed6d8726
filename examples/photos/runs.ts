/**
 * The two ways the example moves photos through download → thumbnail → upload: serially, one
 * photo at a time from download to upload (the baseline a plain loop gives), and as a
 * `pipeline()` with its own workers per stage, where downloads and uploads overlap each other
 * and the thumbnails, and the thumbnails run on every thread of the pool at once.
 *
 * Both make the thumbnails on the same `WorkerPool`, so the comparison is the pipeline's
 * overlap and parallelism, not where jimp runs. `npm run photos` and the `photos` benchmark
 * both run these.
 *
 * @module
 */

import { pipeline, type PipelineStats } from '../../src/pipeline/index.js';
import type { WorkerPool } from '../../src/workers/index.js';
import { download, upload } from './http.js';
import type { Size } from './images.js';
import type { PhotoServer } from './server.js';

/** What both runs work with. */
export interface PhotoJob {
  /** Serves the photos and stores the uploads. */
  readonly server: PhotoServer;
  /** Runs `thumbnail.ts`' tasks. */
  readonly pool: WorkerPool;
  /** Photos `0` to `count - 1` are processed. */
  readonly count: number;
  /** The thumbnails' size. */
  readonly thumbnail: Size;
  /** Makes the thumbnails elsewhere instead of on `pool` (`--redis`: on loom workers through BullMQ). */
  readonly resize?: ((photo: Uint8Array, width: number, height: number, signal: AbortSignal) => Promise<Uint8Array<ArrayBuffer>>) | undefined;
}

/**
 * One photo between two stages: its index, and its bytes (the photo, then its thumbnail), in an
 * `ArrayBuffer` of their own (never shared memory), so that they can be transferred.
 */
interface InFlight {
  readonly index: number;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** Workers per stage of the pipelined run. */
export interface StageWorkers {
  readonly download: number;
  readonly resize: number;
  readonly upload: number;
}

/** Stage 1: the photo's bytes from the server. */
async function fetchPhoto(job: PhotoJob, index: number, signal: AbortSignal): Promise<InFlight> {
  return { index, bytes: await download(job.server.photoUrl(index), { signal }) };
}

/** Stage 2: its thumbnail, made on a thread; the photo's memory moves there, not a copy. */
async function makeThumbnail(job: PhotoJob, photo: InFlight, signal: AbortSignal): Promise<InFlight> {
  const { width, height } = job.thumbnail;
  if (job.resize !== undefined) return { index: photo.index, bytes: await job.resize(photo.bytes, width, height, signal) };
  const bytes = await job.pool.run<Uint8Array<ArrayBuffer>>('thumbnail', [photo.bytes, width, height], { signal, transfer: [photo.bytes.buffer] });
  return { index: photo.index, bytes };
}

/** Stage 3: the thumbnail stored on the server under `run`. */
async function sendThumbnail(job: PhotoJob, run: string, thumb: InFlight, signal: AbortSignal): Promise<number> {
  await upload(job.server.uploadUrl(run, thumb.index), thumb.bytes, { signal });
  return thumb.index;
}

/**
 * Every photo from download to upload before the next one starts; uploads go to run `run`.
 * Resolves with the milliseconds it took.
 *
 * @example
 * ```ts
 * const ms = await runSerial(job, 'serial', signal);
 * ```
 */
export async function runSerial(job: PhotoJob, run: string, signal: AbortSignal): Promise<number> {
  const start = performance.now();
  for (let index = 0; index < job.count; index++) {
    const photo = await fetchPhoto(job, index, signal);
    const thumb = await makeThumbnail(job, photo, signal);
    await sendThumbnail(job, run, thumb, signal);
  }
  return performance.now() - start;
}

/**
 * The photos through a three-stage `pipeline()` (`download`, `resize`, `upload`, with
 * `workers` calls each and buffers of the same size); uploads go to run `run`. Resolves with
 * the run's statistics; rejects with the pipeline's `StageError` (or the abort reason) after
 * every call has settled.
 *
 * @example
 * ```ts
 * const stats = await runPipelined(job, 'pipelined', { download: 3, resize: 2, upload: 5 }, { signal });
 * console.log(stats.bottleneck); // 'resize'
 * ```
 */
export function runPipelined(
  job: PhotoJob,
  run: string,
  workers: StageWorkers,
  opts: { signal: AbortSignal; onProgress?: ((stats: PipelineStats) => void) | undefined; progressInterval?: number },
): Promise<PipelineStats> {
  const indexes = Array.from({ length: job.count }, (_, index) => index);
  return pipeline(indexes, { signal: opts.signal, onProgress: opts.onProgress, progressInterval: opts.progressInterval ?? 100 })
    .stage('download', (index, _i, signal) => fetchPhoto(job, index, signal), { workers: workers.download })
    .stage('resize', (photo, _i, signal) => makeThumbnail(job, photo, signal), { workers: workers.resize })
    .stage('upload', (thumb, _i, signal) => sendThumbnail(job, run, thumb, signal), { workers: workers.upload })
    .run();
}
