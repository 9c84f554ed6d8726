/**
 * The photo pipeline of `npm run photos` (`examples/photos.ts`): download → thumbnail (jimp on
 * a `WorkerPool`) → upload over a local HTTP server, measured in photos/s three ways in
 * alternating rounds: serially (one photo from download to upload at a time), and as a
 * `pipeline()` whose thumbnail stage runs on 1 and on 2 threads. The server answers at once
 * (latency 0), so the gain over serial is the CPU stage's parallelism, not overlapped waits:
 * the target is >= 1.7x serial with 2 threads on 2 cores. The 1-thread row shows what
 * the pipeline alone gives (overlapping the HTTP work with the thumbnails).
 *
 * With Redis (`LOOM_REDIS_URL`, default `redis://127.0.0.1:6379`), a fourth row runs the
 * thumbnail stage on two `loom worker` processes of one thread each through BullMQ
 * (`npm run photos -- --redis`), beside the same pipeline on a local 2-thread `WorkerPool`:
 * the price of the fleet on one machine. Without Redis that row is left out with a line.
 *
 * Every round's uploads are checked as `npm run photos` checks them, so a fast wrong run
 * cannot pass for a measurement.
 *
 * @module
 */

import { WorkerPool } from '../src/workers/index.js';
import { TASKS } from '../examples/photos.js';
import { verifyUploads } from '../examples/photos/check.js';
import type { Size } from '../examples/photos/images.js';
import { startFleet, type Fleet } from '../examples/photos/remote.js';
import { runPipelined, runSerial, type PhotoJob } from '../examples/photos/runs.js';
import { startPhotoServer, type PhotoServer } from '../examples/photos/server.js';
import { pingRedis } from './redis.js';
import { interleaved, printTable, type Suite } from './harness.js';

/** `n` in base 26 with the digits a–z: a run name (the server takes lowercase letters only). */
function letters(n: number): string {
  let text = '';
  do {
    text = String.fromCharCode(97 + (n % 26)) + text;
    n = Math.floor(n / 26);
  } while (n > 0);
  return text;
}

const suite: Suite = async ({ quick }) => {
  const count = quick ? 3 : 12;
  const photo: Size = quick ? { width: 64, height: 48 } : { width: 1024, height: 768 };
  const thumbnail: Size = quick ? { width: 16, height: 12 } : { width: 160, height: 120 };
  const runs = quick ? 1 : 3;
  const one = new WorkerPool({ module: TASKS, size: 1, concurrentTasksPerWorker: 1 });
  const two = new WorkerPool({ module: TASKS, size: 2, concurrentTasksPerWorker: 1 });
  let server: PhotoServer | undefined;
  let fleet: Fleet | undefined;
  try {
    const url = process.env.LOOM_REDIS_URL ?? 'redis://127.0.0.1:6379';
    if (await pingRedis(url)) fleet = await startFleet(url, 2, 1);
    else if (process.env.LOOM_REQUIRE_REDIS === '1') throw new Error(`bench photos: Redis does not answer at ${url}, and LOOM_REQUIRE_REDIS=1 requires it`);
    else console.log(`\n(photos: the row on loom workers is left out: no Redis answers at ${url})`);
    const photos = await Promise.all(Array.from({ length: count }, (_, index) => two.run<Uint8Array>('generate', [55, index, photo.width, photo.height])));
    // Both pools warm (threads started, jimp loaded) before the first measured round.
    await one.run('measure', [photos[0]]);
    server = await startPhotoServer({ photos, latency: 0 });
    const signal = new AbortController().signal;
    const job = (pool: WorkerPool, remote?: Fleet): PhotoJob => ({ server: server as PhotoServer, pool, count, thumbnail, resize: remote?.resize });
    // Both workers warm (jimp loaded in each thread) before the first measured round.
    if (fleet !== undefined) {
      const { resize } = fleet;
      await Promise.all([0, 1].map(() => resize(photos[0] as Uint8Array, thumbnail.width, thumbnail.height, new AbortController().signal)));
    }
    let round = 0;
    /** Photos/s of one measured run, after checking its uploads (each round uploads under a name of its own). */
    const measured = async (name: string, run: (job: PhotoJob, uploads: string) => Promise<number>, pool: WorkerPool, remote?: Fleet): Promise<number> => {
      const uploads = name + letters(round++);
      const ms = await run(job(pool, remote), uploads);
      const problems = await verifyUploads(count, (server as PhotoServer).uploads(uploads), thumbnail, (bytes) => two.run<Size>('measure', [bytes]));
      if (problems.length > 0) throw new Error(`The photos bench uploaded wrongly: ${problems.join('; ')}`);
      return count / (ms / 1000);
    };
    const pipelined = (threads: number) => async (job: PhotoJob, uploads: string): Promise<number> =>
      (await runPipelined(job, uploads, { download: 2, resize: threads, upload: 2 }, { signal })).elapsed;
    const rows = await interleaved(
      [
        ['serial', () => measured('serial', (j, uploads) => runSerial(j, uploads, signal), two)],
        ['pipeline, 1 thread', () => measured('one', pipelined(1), one)],
        ['pipeline, 2 threads', () => measured('two', pipelined(2), two)],
        ...(fleet === undefined ? [] : [['pipeline, resize on 2 loom workers', () => measured('fleet', pipelined(2), two, fleet)] as const]),
      ],
      runs,
      quick,
    );
    printTable(`Photos: ${count} JPEGs of ${photo.width}x${photo.height} -> ${thumbnail.width}x${thumbnail.height} thumbnails (jimp), server latency 0`, 'photos/s', rows, 'serial', true);
  } finally {
    await server?.close();
    await fleet?.close();
    await Promise.all([one.shutdown(), two.shutdown()]);
  }
};

export default suite;
