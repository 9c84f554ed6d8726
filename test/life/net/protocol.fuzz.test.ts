/**
 * Fuzzing the wire protocol's reader and both frame parsers with fast-check (fixed seeds, so a
 * failure reproduces): arbitrary bytes, split into chunks at arbitrary points, with the reader
 * stopped and resumed at arbitrary lines. The oracle is independent of the code under test:
 * `String.split` for the lines and regular expressions for the frames.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../../src/life/net/frame-writer.js';
import { LineReader, MAX_FRAME_BYTES, newFrame, parseClientFrame, parseServerFrame } from '../../../src/life/net/protocol.js';

const RUNS = { seed: 10, numRuns: 400 };

/** Bytes with plenty of newlines, spaces, digits and frame letters, so lines of every length occur. */
const streamBytes = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(0x0a, 0x20, 0x2a, 0x2d, 0x41, 0x43, 0x45, 0x51, 0x30, 0x31, 0x39) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }) },
    ),
    { maxLength: 600 },
  )
  .map((bytes) => Uint8Array.from(bytes));

/** `bytes` cut at the sorted `cuts`. */
function chunks(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    // Each chunk in its own buffer, as sockets hand them over.
    pieces.push(Uint8Array.from(bytes.subarray(from, point)));
    from = point;
  }
  return pieces;
}

/** What the reader must deliver for `bytes`: the lines before the first one past the bound, and whether there is one. */
function expectedLines(bytes: Uint8Array): { lines: string[]; overflow: boolean } {
  const all = Buffer.from(bytes).toString('latin1').split('\n');
  const complete = all.slice(0, -1);
  const tail = all.at(-1) ?? '';
  const tooLong = complete.findIndex((line) => line.length > MAX_FRAME_BYTES - 1);
  if (tooLong !== -1) return { lines: complete.slice(0, tooLong), overflow: true };
  return { lines: complete, overflow: tail.length > MAX_FRAME_BYTES - 1 };
}

describe('life wire protocol under fuzzing', () => {
  it('delivers exactly the lines the bytes hold, however split and however often stopped, copying each byte at most once', () => {
    fc.assert(
      fc.property(streamBytes, fc.array(fc.nat(), { maxLength: 30 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (bytes, cuts, verdicts) => {
        const lines: string[] = [];
        let overflows = 0;
        let call = 0;
        const reader = new LineReader(
          (line, start, end) => {
            lines.push(Buffer.from(line.subarray(start, end)).toString('latin1'));
            return verdicts[call++ % verdicts.length] as boolean;
          },
          () => overflows++,
        );
        for (const chunk of chunks(bytes, cuts)) {
          reader.push(chunk);
          if (call % 3 === 0) reader.resume();
        }
        for (let guard = 0; reader.stopped && guard <= bytes.length; guard++) reader.resume();
        const expected = expectedLines(bytes);
        expect({ lines, overflow: overflows > 0 }).toEqual(expected);
        expect(overflows).toBeLessThanOrEqual(1);
        expect(reader.copied).toBeLessThanOrEqual(2 * bytes.length);
      }),
      RUNS,
    );
  });

  it('parses a client frame exactly when a regular expression does, with the same fields, and never throws', () => {
    const pattern = /^(?:Q (\d{1,15}) (-?\d{1,15}) (-?\d{1,15}) ([*-]) (\d{1,15})|C (\d{1,15}))$/s;
    fc.assert(
      fc.property(fc.oneof(streamBytes, validClientFrames), (bytes) => {
        const frame = newFrame();
        const ok = parseClientFrame(bytes, 0, bytes.length, frame);
        const match = pattern.exec(Buffer.from(bytes).toString('latin1'));
        expect(ok).toBe(match !== null);
        if (match === null) return;
        if (match[6] !== undefined) {
          expect({ kind: frame.kind, id: frame.id }).toEqual({ kind: 'C', id: Number(match[6]) });
        } else {
          expect({ kind: frame.kind, id: frame.id, y: frame.y, x: frame.x, state: frame.state, neighbors: frame.neighbors }).toEqual({
            kind: 'Q',
            id: Number(match[1]),
            y: Number(match[2]),
            x: Number(match[3]),
            state: match[4],
            neighbors: Number(match[5]),
          });
        }
      }),
      RUNS,
    );
  });

  it('parses a server frame exactly when a regular expression does, with the same fields, and never throws', () => {
    const pattern = /^(?:A (\d{1,15}) ([*-])|E (\d{1,15}) (.*))$/s;
    fc.assert(
      fc.property(fc.oneof(streamBytes, validServerFrames), (bytes) => {
        const frame = newFrame();
        const ok = parseServerFrame(bytes, 0, bytes.length, frame);
        const match = pattern.exec(Buffer.from(bytes).toString('latin1'));
        expect(ok).toBe(match !== null);
        if (match === null) return;
        if (match[1] !== undefined) {
          expect({ kind: frame.kind, id: frame.id, state: frame.state }).toEqual({ kind: 'A', id: Number(match[1]), state: match[2] });
        } else {
          const message = new TextDecoder().decode(bytes.subarray(bytes.indexOf(0x20, 2) + 1));
          expect({ kind: frame.kind, id: frame.id, message: frame.message }).toEqual({ kind: 'E', id: Number(match[3]), message });
        }
      }),
      RUNS,
    );
  });

  it('writes E frames that fit the bound and parse back to a prefix of the message, for any message', () => {
    fc.assert(
      fc.property(fc.nat({ max: 999_999_999_999_999 }), fc.string({ unit: 'binary', maxLength: 200 }), (id, message) => {
        const writer = new FrameWriter();
        writer.failure(id, message);
        const bytes = writer.take();
        expect(bytes.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
        expect(bytes.indexOf(0x0a)).toBe(bytes.length - 1);
        const frame = newFrame();
        expect(parseServerFrame(bytes, 0, bytes.length - 1, frame)).toBe(true);
        const flat = new TextDecoder().decode(new TextEncoder().encode(message.replace(/[\r\n]+/g, ' ')));
        expect(frame.id).toBe(id);
        expect(frame.message === flat || (frame.message.endsWith('...') && flat.startsWith(frame.message.slice(0, -3)))).toBe(true);
      }),
      RUNS,
    );
  });
});

/** Request and cancel frames with fields anywhere in their ranges, as the writer writes them. */
const validClientFrames = fc
  .tuple(
    fc.nat({ max: 999_999_999_999_999 }),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.constantFrom('*' as const, '-' as const),
    fc.nat({ max: 2 ** 31 - 1 }),
    fc.boolean(),
  )
  .map(([id, y, x, state, neighbors, cancel]) => {
    const writer = new FrameWriter();
    if (cancel) writer.cancel(id);
    else writer.request(id, y, x, state, neighbors);
    const bytes = writer.take();
    expect(bytes.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    return bytes.subarray(0, bytes.length - 1);
  });

/** Answer frames as the writer writes them. */
const validServerFrames = fc.tuple(fc.nat({ max: 999_999_999_999_999 }), fc.constantFrom('*' as const, '-' as const)).map(([id, state]) => {
  const writer = new FrameWriter();
  writer.answer(id, state);
  const bytes = writer.take();
  return bytes.subarray(0, bytes.length - 1);
});
