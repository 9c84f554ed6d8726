/**
 * `npm run bench [-- suite...] [--quick]`: runs the benchmark suites, each printing loom and its
 * peers side by side with ratios. With no suite named, all of them run. `--quick` runs every case
 * once on tiny sizes (CI does this so that no benchmark rots); its figures mean nothing.
 *
 * @module
 */

import { parseArgs } from 'node:util';
import type { Suite } from './harness.js';

const suites: Record<string, () => Promise<{ default: Suite }>> = {
  queue: () => import('./queue.js'),
  mutex: () => import('./mutex.js'),
  map: () => import('./map.js'),
  'fan-out': () => import('./fan-out.js'),
  subprocess: () => import('./subprocess.js'),
  workers: () => import('./workers.js'),
  life: () => import('./life.js'),
  'life-engine': () => import('./life-engine.js'),
  bullmq: () => import('./bullmq.js'),
  photos: () => import('./photos.js'),
  pipeline: () => import('./pipeline.js'),
  soak: () => import('./soak.js'),
  parallel: () => import('./parallel.js'),
};

const { values, positionals } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, allowPositionals: true });
const unknown = positionals.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`Unknown benchmark suite ${unknown.join(', ')}: expected one of ${Object.keys(suites).join(', ')}`);
  process.exitCode = 2;
} else {
  const quick = values.quick ?? false;
  console.log(`# loom benchmarks${quick ? ' (quick mode: figures are not measurements)' : ''}: node ${process.version}, ${process.platform}/${process.arch}`);
  for (const name of positionals.length > 0 ? positionals : Object.keys(suites)) {
    const load = suites[name];
    if (load !== undefined) await (await load()).default({ quick });
  }
}
