import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../../src/life/net/frame-writer.js';
import { LineReader, newFrame, parseClientFrame, parseServerFrame, type Frame } from '../../../src/life/net/protocol.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const bytesOf = (line: string): Uint8Array => Buffer.from(line, 'utf8');

/** Parses `line` whole with `parse`, or undefined when it is invalid. */
function parsed(parse: typeof parseClientFrame, line: string): Partial<Frame> | undefined {
  const frame = newFrame();
  const bytes = bytesOf(line);
  if (!parse(bytes, 0, bytes.length, frame)) return undefined;
  const { kind, id } = frame;
  if (kind === 'C') return { kind, id };
  if (kind === 'A') return { kind, id, state: frame.state };
  if (kind === 'E') return { kind, id, message: frame.message };
  return { kind, id, y: frame.y, x: frame.x, state: frame.state, neighbors: frame.neighbors };
}

describe('life wire protocol', () => {
  it('writes requests, cancellations, answers and failures as bytes, one line each', () => {
    const writer = new FrameWriter();
    writer.request(7, -1, 3, '*', 2);
    writer.cancel(9);
    writer.answer(10, '-');
    writer.failure(3, 'bad\nthing');
    writer.request(0, 1_234_567_890_123, -45, '-', 0);
    expect(writer.length).toBe(text(writer.take()).length);
    expect(writer.length).toBe(0);
    writer.request(7, -1, 3, '*', 2);
    writer.cancel(9);
    writer.answer(10, '-');
    writer.failure(3, 'bad\r\nthing ü');
    writer.request(0, 1_234_567_890_123, -45, '-', 0);
    expect(text(writer.take())).toBe('Q 7 -1 3 * 2\nC 9\nA 10 -\nE 3 bad thing ü\nQ 0 1234567890123 -45 - 0\n');
  });

  it('grows past its first buffer without losing a byte', () => {
    const writer = new FrameWriter();
    const expected: string[] = [];
    for (let id = 0; id < 2000; id++) {
      writer.answer(id, id % 2 === 0 ? '*' : '-');
      expected.push(`A ${id} ${id % 2 === 0 ? '*' : '-'}\n`);
    }
    expect(text(writer.take())).toBe(expected.join(''));
  });

  it('parses the frames it writes', () => {
    expect(parsed(parseClientFrame, 'Q 7 -1 3 * 2')).toEqual({ kind: 'Q', id: 7, y: -1, x: 3, state: '*', neighbors: 2 });
    expect(parsed(parseClientFrame, 'C 9')).toEqual({ kind: 'C', id: 9 });
    expect(parsed(parseServerFrame, 'A 7 -')).toEqual({ kind: 'A', id: 7, state: '-' });
    expect(parsed(parseServerFrame, 'E 3 bad thing ü')).toEqual({ kind: 'E', id: 3, message: 'bad thing ü' });
    const bytes = bytesOf('xxQ 1 2 3 - 4yy');
    const frame = newFrame();
    expect(parseClientFrame(bytes, 2, bytes.length - 2, frame)).toBe(true);
    expect([frame.id, frame.y, frame.x, frame.state, frame.neighbors]).toEqual([1, 2, 3, '-', 4]);
  });

  it('rejects malformed lines', () => {
    for (const line of ['', 'Q', 'Q 1 2 3 x 4', 'Q a 0 0 * 1', 'Q 1 0 0 * 1 extra', 'Q 1 0 0 *', 'Q 1 0 0 *1', 'Q -1 0 0 * 1', 'Q 1 0 0 * -1', 'Q 1234567890123456 0 0 * 1', 'C', 'C x', 'C 1 2', 'Z 1']) {
      expect(parsed(parseClientFrame, line)).toBeUndefined();
    }
    for (const line of ['', 'A', 'A 1', 'A 1 x', 'A x *', 'A 1 **', 'E 1', 'Z 1 *']) expect(parsed(parseServerFrame, line)).toBeUndefined();
  });

  it('splits a stream into lines across chunk boundaries', () => {
    const lines: string[] = [];
    const reader = new LineReader((bytes, start, end) => lines.push(text(bytes.subarray(start, end))));
    for (const chunk of ['A 1', ' *\nA 2 -\nA', ' 3', ' *', '\n', '\n\nA 4']) reader.push(bytesOf(chunk));
    expect(lines).toEqual(['A 1 *', 'A 2 -', 'A 3 *', '', '']);
    reader.push(bytesOf('\n'));
    expect(lines.at(-1)).toBe('A 4');
  });
});
