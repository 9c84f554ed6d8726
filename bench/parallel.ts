/**
 * `loom parallel` against GNU parallel, a raw Node spawn loop and `xargs -P`:
 *
 * - N jobs of `true {}` with 4 at a time, jobs/s (1,000 jobs; quick: 20). Rows: the CLI
 *   (`node dist/src/cli/main.js parallel -j4 true {} ::: 1..N`, Node's start-up included, as a
 *   user pays it), the engine called in this process (`parallel('true {}', ...)`, its default
 *   shell spawner; and with `spawner: 'direct'`, each job forked by Node itself), GNU parallel
 *   with the same command line (`PARALLEL_SHELL=/bin/sh`), a raw Node loop spawning
 *   `/bin/sh -c 'true N'` 4 at a time (the floor for one Node process forking through
 *   `child_process`), and `xargs -P 4 -n 1 true` (no shell, C). Targets: >= 2.5x GNU's
 *   jobs/s and >= 0.9x the raw loop's.
 * - 100 jobs of `sleep 0.5` with `-j 100`, ms of wall time; the ideal is 500 ms (quick: 5 jobs
 *   of 0.05 s), target <= 1.1x. Also a row for `/bin/sh` starting them all with `&`, the floor
 *   for forking them from one shell: the engine's `perl` helpers fork each job once and exec
 *   `/bin/sh` before the command (see `src/parallel/helpers.ts`).
 *
 * GNU parallel is optional: its row says "GNU parallel not installed" where it is absent.
 * Cases run in interleaved rounds (see `interleaved`). The machine is shared: read ratios, not
 * absolute figures.
 *
 * @module
 */

import { execFile, execFileSync, spawn as nodeSpawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parallel } from '../src/parallel/index.js';
import { interleaved, printTable, type Row, type Suite } from './harness.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

function gnuInstalled(): boolean {
  try {
    execFileSync('parallel', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a program to its end with output discarded; resolves with the ms it took. */
function timed(file: string, args: readonly string[], env?: NodeJS.ProcessEnv, input?: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error) => {
      if (error) reject(new Error(`${file} failed`, { cause: error }));
      else resolve(performance.now() - start);
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** The floor: one Node process spawning `/bin/sh -c 'true N'`, `jobs` at a time. */
async function rawLoop(n: number, jobs: number): Promise<number> {
  const start = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = ++next;
      await new Promise<void>((resolve, reject) => {
        const child = nodeSpawn('/bin/sh', ['-c', `true ${i}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.resume();
        child.stderr.resume();
        child.once('error', reject);
        child.once('close', () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return performance.now() - start;
}

async function engine(command: string, values: string[], jobs: number, spawner: 'shell' | 'direct' = 'shell'): Promise<number> {
  const start = performance.now();
  for await (const job of parallel(command, [values], { jobs, spawner })) if (!job.ok) throw new Error(`job failed: ${job.command}`);
  return performance.now() - start;
}

const suite: Suite = async ({ quick }) => {
  const n = quick ? 20 : 1000;
  const values = Array.from({ length: n }, (_, i) => String(i + 1));
  const gnu = gnuInstalled();
  const shell = { PARALLEL_SHELL: '/bin/sh' };
  const cases: [string, () => Promise<number>][] = [
    ['loom parallel (CLI)', () => timed(process.execPath, [CLI, 'parallel', '-j4', 'true {}', ':::', ...values])],
    ['loom parallel() (engine)', () => engine('true {}', values, 4)],
    ['loom parallel(), spawner direct', () => engine('true {}', values, 4, 'direct')],
    ['raw Node loop', () => rawLoop(n, 4)],
    ['xargs -P 4', () => timed('xargs', ['-P', '4', '-n', '1', 'true'], undefined, values.join('\n'))],
  ];
  if (gnu) cases.push(['GNU parallel', () => timed('parallel', ['-j4', 'true {}', ':::', ...values], shell)]);
  const measured = await interleaved(cases, quick ? 1 : 3, quick);
  const rows: Row[] = measured.map((row) => ({ name: row.name, median: (n * 1000) / row.median }));
  if (!gnu) rows.push({ name: 'GNU parallel not installed', median: 0 });
  printTable(`parallel: ${n} jobs of \`true {}\`, -j 4`, 'jobs/s', rows, 'raw Node loop', true);
  if (gnu) printTable(`parallel: ${n} jobs of \`true {}\`, -j 4, against GNU`, 'jobs/s', rows.filter((row) => row.name !== 'raw Node loop'), 'GNU parallel', true);

  const sleeps = quick ? 5 : 100;
  const seconds = quick ? '0.05' : '0.5';
  const ideal = Number(seconds) * 1000;
  const sleepValues = Array.from({ length: sleeps }, () => seconds);
  const sleepCases: [string, () => Promise<number>][] = [
    ['loom parallel (CLI)', () => timed(process.execPath, [CLI, 'parallel', '-j', String(sleeps), 'sleep {}', ':::', ...sleepValues])],
    ['loom parallel() (engine)', () => engine('sleep {}', sleepValues, sleeps)],
    ['shell `&` loop', () => timed('/bin/sh', ['-c', `for i in $(seq ${sleeps}); do sleep ${seconds} & done; wait`])],
  ];
  if (gnu) sleepCases.push(['GNU parallel', () => timed('parallel', ['-j', String(sleeps), 'sleep {}', ':::', ...sleepValues], shell)]);
  const sleepRows: Row[] = [{ name: 'ideal', median: ideal }, ...(await interleaved(sleepCases, quick ? 1 : 3, quick))];
  printTable(`parallel: ${sleeps} jobs of \`sleep ${seconds}\`, -j ${sleeps}`, 'ms', sleepRows, 'ideal', false);
};

export default suite;
