/**
 * `loom worker`: runs the exports of a task module for the jobs of a BullMQ queue, the shell
 * face of `startWorker` (`loom/bullmq`). Start as many as the work needs, on as many machines;
 * each prints one ready line, so that scripts and tests can wait for it.
 *
 * Stopping is part of the job, not an interruption: on SIGTERM or SIGINT the worker stops
 * taking jobs, lets the running ones finish for `--grace` milliseconds, hands the rest back to
 * the queue (another worker runs them from the start), closes its connections, prints what it
 * did and exits 0 (the command is marked `stopsOnSignal`). A second signal exits at once, and
 * the jobs it held come back through BullMQ's stalled-job check, as after a crash.
 *
 * @module
 */

import { once } from 'node:events';
import { UsageError, type Command } from '../command.js';
import { integerValue, noPositionals, textValue } from './life/values.js';

/** Values of the options as the parser hands them over. */
type Values = Readonly<Record<string, string | boolean | undefined>>;

/**
 * The `worker` command.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const working = workerCommand.run({ positionals: [], values: { redis: 'redis://127.0.0.1:6379', queue: 'photos', module: 'tasks.js' }, out: console.log, err: console.error, signal: controller.signal });
 * controller.abort(new Error('Interrupted'));
 * await working.catch(() => {});
 * ```
 */
export const workerCommand: Command = {
  name: 'worker',
  usage: '--redis URL --queue NAME --module FILE [--concurrency N] [--threads N]',
  summary: 'Runs the exports of a task module for the jobs of a BullMQ queue (the far end of BullExecutor), until stopped.',
  details: [
    'Prints `loom worker ready: queue NAME, concurrency N, threads T` once it takes jobs. On SIGTERM or SIGINT it stops '
      + 'taking jobs, lets running ones finish (handing back those still running after --grace ms), and exits 0.',
    'Needs the optional packages bullmq and ioredis (`npm install bullmq ioredis`).',
  ],
  options: {
    redis: { type: 'string', valueName: 'URL', description: 'The Redis server, redis://[user:password@]host[:port][/db] (required).' },
    queue: { type: 'string', valueName: 'NAME', description: 'The BullMQ queue to take jobs from (required).' },
    module: { type: 'string', valueName: 'FILE', description: 'The task module: an ES module whose exported functions are the tasks (required).' },
    prefix: { type: 'string', valueName: 'PREFIX', description: 'The key prefix of the queue (default bull).' },
    concurrency: { type: 'string', valueName: 'N', description: 'Jobs run at once (default: --threads, or 1).' },
    threads: { type: 'string', valueName: 'N', description: 'Run tasks on N worker threads (default 0: in the worker process).' },
    grace: { type: 'string', valueName: 'MS', description: 'On stop, how long running jobs may finish before they are handed back (default 10000).' },
    'lock-duration': { type: 'string', valueName: 'MS', description: "A job's lock without renewal, BullMQ's lockDuration (default 30000)." },
    'stalled-interval': { type: 'string', valueName: 'MS', description: "Time between stalled-job checks, BullMQ's stalledInterval (default 30000)." },
  },
  stopsOnSignal: true,
  async run({ positionals, values, out, err, signal }) {
    noPositionals('worker', positionals);
    const connection = required(values, 'redis', 'URL');
    const queue = required(values, 'queue', 'NAME');
    const module = required(values, 'module', 'FILE');
    const prefix = textValue(values, 'prefix');
    const threads = integerValue(values, 'threads', 0, { min: 0, max: 1024 });
    const concurrency = integerValue(values, 'concurrency', Math.max(threads, 1), { min: 1, max: 100_000 });
    const grace = integerValue(values, 'grace', 10_000, { min: 0 });
    const lockDuration = optionalInteger(values, 'lock-duration');
    const stalledInterval = optionalInteger(values, 'stalled-interval');
    const { checkRedisUrl } = await import('../../bullmq/connection.js');
    try {
      checkRedisUrl('--redis', connection);
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/ \(string\)$/, ''));
    }
    signal.throwIfAborted();
    const { startWorker } = await import('../../bullmq/worker.js');
    const worker = await startWorker({
      queue,
      connection,
      module,
      concurrency,
      threads,
      ...(prefix === undefined ? {} : { prefix }),
      ...(lockDuration === undefined ? {} : { lockDuration }),
      ...(stalledInterval === undefined ? {} : { stalledInterval }),
      onError: (error) => err(`loom worker: ${error instanceof Error ? error.message : String(error)}`),
    });
    out(`loom worker ready: queue ${queue}, concurrency ${concurrency}, threads ${threads}`);
    try {
      if (!signal.aborted) await once(signal, 'abort');
    } finally {
      await worker.close({ timeout: grace });
      const { completed, failed, handedBack } = worker.counts;
      out(`loom worker stopped: ${completed} completed, ${failed} failed, ${handedBack} handed back`);
    }
  },
};

function required(values: Values, name: string, valueName: string): string {
  const value = textValue(values, name);
  if (value === undefined || value === '') throw new UsageError(`Missing --${name} ${valueName}: loom worker needs --redis, --queue and --module`);
  return value;
}

function optionalInteger(values: Values, name: string): number | undefined {
  return textValue(values, name) === undefined ? undefined : integerValue(values, name, 0, { min: 1 });
}
