/**
 * `map` overhead per task: 200,000 tasks that resolve at once, concurrency 16, so all that is
 * measured is the machinery. Peers: p-map, p-limit. The limit is {@link minimalMap}.
 *
 * @module
 */

import pLimit from 'p-limit';
import pMap from 'p-map';
import { map } from '../src/tasks/index.js';
import { interleaved, nsSince, printTable, type Suite } from './harness.js';
import { minimalMap } from './limits/minimal.js';

const CONCURRENCY = 16;

const identity = async (value: number): Promise<number> => value;

type Mapper = (items: readonly number[]) => Promise<number[]>;

const mappers: [string, Mapper][] = [
  ['loom map', (items) => map(items, identity, { concurrency: CONCURRENCY })],
  ['limit', (items) => minimalMap(items, identity, CONCURRENCY)],
  ['p-map', (items) => pMap(items, identity, { concurrency: CONCURRENCY })],
  [
    'p-limit',
    (items) => {
      const limit = pLimit(CONCURRENCY);
      return Promise.all(items.map((item) => limit(identity, item)));
    },
  ],
];

async function perTask(mapper: Mapper, items: readonly number[]): Promise<number> {
  const start = process.hrtime.bigint();
  const results = await mapper(items);
  const ns = nsSince(start) / items.length;
  if (results.length !== items.length || results[items.length - 1] !== items.length - 1) throw new Error('wrong results');
  return ns;
}

const suite: Suite = async ({ quick }) => {
  const items = Array.from({ length: quick ? 1_000 : 200_000 }, (_, i) => i);
  const rows = await interleaved(
    mappers.map(([name, mapper]) => [name, () => perTask(mapper, items)] as const),
    9,
    quick,
  );
  printTable(`map overhead per task, ${items.length.toLocaleString('en-US')} tasks, concurrency ${CONCURRENCY}`, 'ns/task', rows, 'limit', false);
};

export default suite;
