/**
 * Replacement strings, as GNU parallel defines them (`%Global::replace` in its source):
 *
 * | string | value |
 * |---|---|
 * | `{}` | the arguments, each quoted, joined by spaces |
 * | `{.}` | without its extension: `s:\.[^/.]*$::` (`.hidden` becomes empty, as in GNU) |
 * | `{/}` | the basename: `s:.*\/::` (`a/` becomes empty) |
 * | `{//}` | Perl's `dirname` (`a/b` -> `a`, `a` -> `.`, `/` -> `/`, `a/` -> `.`) |
 * | `{/.}` | the basename without its extension |
 * | `{#}` | the job's sequence number, from 1 |
 * | `{%}` | the job slot, from 1 to the number of jobs at once |
 * | `{n}` `{n.}` `{n/}` `{n//}` `{n/.}` | the same for the n-th argument only (empty past the last) |
 *
 * Anything else in braces (`{x}`, `{ }`) is literal text. A template with none of these gets
 * the arguments appended (`echo` + `a b` runs `echo a b`), as GNU does; `{#}` and `{%}` count as
 * replacement strings there, so `echo {#}` does not append. Parsing is one left-to-right scan,
 * linear in the template's length.
 *
 * @module
 */

/** How one argument is transformed before it is quoted. */
export type Transform = '' | '.' | '/' | '//' | '/.';

/** One piece of a parsed template. */
export type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'args'; readonly transform: Transform }
  | { readonly kind: 'arg'; readonly position: number; readonly transform: Transform }
  | { readonly kind: 'seq' }
  | { readonly kind: 'slot' };

/** A parsed command template. */
export interface Template {
  readonly parts: readonly Part[];
  /** True when the template has no replacement string, so the arguments are appended. */
  readonly appends: boolean;
}

/** The values a template is expanded with. */
export interface Expansion {
  readonly args: readonly string[];
  readonly seq: number;
  readonly slot: number;
}

const TOKEN = /^\{(\d*)(\.|\/\/|\/\.|\/)?\}/;

/**
 * Parses `template` once; {@link expandTemplate} then fills it for each job.
 *
 * @example
 * ```ts
 * const template = parseTemplate('convert {} {.}.png');
 * expandTemplate(template, { args: ['a b.jpg'], seq: 1, slot: 1 }, shellQuote); // convert 'a b.jpg' 'a b'.png
 * ```
 */
export function parseTemplate(template: string): Template {
  const parts: Part[] = [];
  let text = '';
  let appends = true;
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open === -1) {
      text += template.slice(i);
      break;
    }
    text += template.slice(i, open);
    const part = tokenAt(template, open);
    if (part === undefined) {
      text += '{';
      i = open + 1;
      continue;
    }
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push(part.part);
    appends = false;
    i = open + part.length;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { parts, appends };
}

/** The replacement string starting at `open`, if there is one. Looks at most 16 characters ahead. */
function tokenAt(template: string, open: number): { part: Part; length: number } | undefined {
  const close = template.indexOf('}', open);
  if (close === -1 || close - open > 16) return undefined;
  const token = template.slice(open, close + 1);
  if (token === '{#}') return { part: { kind: 'seq' }, length: 3 };
  if (token === '{%}') return { part: { kind: 'slot' }, length: 3 };
  const match = TOKEN.exec(token);
  if (match === null) return undefined;
  const transform = (match[2] ?? '') as Transform;
  const digits = match[1] ?? '';
  if (digits === '') return { part: { kind: 'args', transform }, length: token.length };
  const position = Number(digits);
  // GNU treats `{0}` like `{}`.
  if (position === 0) return { part: { kind: 'args', transform }, length: token.length };
  return { part: { kind: 'arg', position, transform }, length: token.length };
}

/** Applies a replacement string's transform to one argument (GNU's Perl rules, see the module comment). */
export function transformArgument(value: string, transform: Transform): string {
  switch (transform) {
    case '':
      return value;
    case '.':
      return value.replace(/\.[^/.]*$/, '');
    case '/':
      return value.replace(/^[^]*\//, '');
    case '/.':
      return value.replace(/^[^]*\//, '').replace(/\.[^/.]*$/, '');
    case '//':
      return dirname(value);
  }
}

/** Perl's `File::Basename::dirname` on Unix. */
function dirname(path: string): string {
  if (/^\/+$/.test(path)) return '/';
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash === -1) return '.';
  const head = trimmed.slice(0, slash).replace(/\/+$/, '');
  return head === '' ? '/' : head;
}

/**
 * The command for one job: each argument transformed, then passed through `quote` (the shell
 * quoting for commands, identity for `--tagstring`), text kept as written.
 */
export function expandTemplate(template: Template, job: Expansion, quote: (value: string) => string): string {
  let out = '';
  for (const part of template.parts) {
    switch (part.kind) {
      case 'text':
        out += part.text;
        break;
      case 'seq':
        out += String(job.seq);
        break;
      case 'slot':
        out += String(job.slot);
        break;
      case 'args':
        out += job.args.map((arg) => quote(transformArgument(arg, part.transform))).join(' ');
        break;
      case 'arg': {
        const arg = job.args[part.position - 1];
        out += arg === undefined ? '' : quote(transformArgument(arg, part.transform));
        break;
      }
    }
  }
  if (template.appends && job.args.length > 0) {
    out += `${out === '' ? '' : ' '}${job.args.map(quote).join(' ')}`;
  }
  return out;
}
