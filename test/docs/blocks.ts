/**
 * Finds the TypeScript examples the documentation shows: the fenced ```` ```ts ```` blocks of
 * `README.md` and `docs/*.md`, and those inside the TSDoc comments of `src/` (the `@example`s
 * TypeDoc renders). The fence's info string says what the runner does with a block:
 *
 * - ```` ```ts ````: a complete program, type-checked and run;
 * - ```` ```ts no-run ````: type-checked only (needs Redis, runs forever, a fragment shown for shape);
 * - ```` ```ts file=NAME.ts ````: a companion module that the page's other blocks import as
 *   `./NAME.js` (a worker pool's task module, say); type-checked, never run by itself.
 *
 * Examples in TSDoc are always type-checked only: they show a call in place, often against the
 * network or a reader's own values. Fences of other languages (```` ```sh ````) are not code the
 * runner knows and are skipped.
 */

/** One TypeScript block, where it was found and what to do with it. */
export interface Block {
  /** The file it came from, relative to the repository root (`docs/sync.md`). */
  readonly source: string;
  /** The 1-based line of the block's first line of code in `source`. */
  readonly line: number;
  readonly code: string;
  /** `run`: type-check and execute; `check`: type-check only; `module`: a companion module. */
  readonly mode: 'run' | 'check' | 'module';
  /** For `module` blocks, the file name the page's blocks import (`factorize.ts`). */
  readonly file?: string;
}

const FENCE = /^ {0,3}(`{3,})\s*([^`]*)$/;
const TS_LANGS = new Set(['ts', 'typescript', 'mts']);
const MODULE_FILE = /^file=([A-Za-z0-9_-][A-Za-z0-9_.-]*\.ts)$/;

/**
 * The TypeScript blocks of a markdown text. `firstLine` is the line `text` starts at in
 * `source` (for text cut out of a larger file). Throws on a fence left open or an info string
 * the runner does not know, so a typo in a marker fails loudly instead of running a block
 * that was meant to be only checked.
 */
export function markdownBlocks(source: string, text: string, firstLine = 1, defaultMode: 'run' | 'check' = 'run'): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const ticks = open[1] ?? '```';
    const [lang = '', ...words] = (open[2] ?? '').trim().split(/\s+/);
    const close = lines.findIndex((candidate, j) => j > i && candidate.trim() === ticks);
    if (close === -1) throw new Error(`${source}:${firstLine + i}: the fence opened here is never closed`);
    if (TS_LANGS.has(lang)) {
      const code = lines.slice(i + 1, close).join('\n');
      blocks.push(tsBlock(source, firstLine + i + 1, code, words, defaultMode));
    }
    i = close;
  }
  return blocks;
}

function tsBlock(source: string, line: number, code: string, words: string[], defaultMode: 'run' | 'check'): Block {
  if (words.length === 0) return { source, line, code, mode: defaultMode };
  const [word] = words;
  if (words.length === 1 && word === 'no-run') return { source, line, code, mode: 'check' };
  const file = words.length === 1 ? MODULE_FILE.exec(word ?? '')?.[1] : undefined;
  if (file !== undefined) return { source, line, code, mode: 'module', file };
  throw new Error(`${source}:${line - 1}: unknown fence marker \`${words.join(' ')}\` (known: \`no-run\`, \`file=NAME.ts\`)`);
}

/**
 * The TypeScript blocks inside the `/** ... *\/` comments of a source file: each comment's
 * ` * ` prefixes are stripped and the rest is read as markdown, every block type-checked only.
 */
export function tsdocBlocks(source: string, text: string): Block[] {
  const blocks: Block[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, comment.index).split('\n').length;
    const body = comment[0]
      .split('\n')
      .map((line) => line.replace(/^\s*\/?\*\*?\/? ?/, '').replace(/\s*\*\/$/, ''))
      .join('\n');
    blocks.push(...markdownBlocks(source, body, firstLine, 'check'));
  }
  return blocks;
}
