/**
 * The fixtures `test/fixtures/life/generate.py` wrote by running the seed's Python algorithm:
 * each case is a grid and its next six generations, as `Grid.toString()` prints them.
 */

import { readFileSync } from 'node:fs';

export interface ReferenceCase {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  /** Generation 0 (the start) followed by six more. */
  readonly generations: readonly string[];
}

export const referenceCases: readonly ReferenceCase[] = (
  JSON.parse(readFileSync(new URL('../fixtures/life/reference.json', import.meta.url), 'utf8')) as { cases: ReferenceCase[] }
).cases;
