import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../../src/life/net/frame-writer.js';
import { LineReader, MAX_FRAME_BYTES, newFrame, parseClientFrame, parseServerFrame, type Frame } from '../../../src/life/net/protocol.js';

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
    for (const line of ['', 'Q', 'Q 1 2 3 x 4', 'Q a 0 0 * 1', 'Q 1 0 0 * 1 extra', 'Q 1 0 0 *', 'Q 1 0 0 *1', 'Q -1 0 0 * 1', 'Q 1 0 0 * -1', 'Q 1234567890123456 0 0 * 1', 'Q -0 0 0 * 1', 'Q 1 0 0 * -0', 'C -0', 'C', 'C x', 'C 1 2', 'Z 1']) {
      expect(parsed(parseClientFrame, line)).toBeUndefined();
    }
    for (const line of ['', 'A', 'A 1', 'A 1 x', 'A x *', 'A 1 **', 'A -0 *', 'E -0 x', 'E 1', 'Z 1 *']) expect(parsed(parseServerFrame, line)).toBeUndefined();
  });

  it('splits a stream into lines across chunk boundaries', () => {
    const lines: string[] = [];
    const reader = new LineReader(
      (bytes, start, end) => lines.push(text(bytes.subarray(start, end))) > 0,
      () => expect.unreachable(),
    );
    for (const chunk of ['A 1', ' *\nA 2 -\nA', ' 3', ' *', '\n', '\n\nA 4']) reader.push(bytesOf(chunk));
    expect(lines).toEqual(['A 1 *', 'A 2 -', 'A 3 *', '', '']);
    reader.push(bytesOf('\n'));
    expect(lines.at(-1)).toBe('A 4');
  });

  it('takes a line of 63 bytes and its newline, and reports a 64th byte before any newline comes', () => {
    const lines: string[] = [];
    let overflows = 0;
    const reader = new LineReader(
      (bytes, start, end) => lines.push(text(bytes.subarray(start, end))) > 0,
      () => overflows++,
    );
    const longest = 'x'.repeat(MAX_FRAME_BYTES - 1);
    reader.push(bytesOf(`${longest.slice(0, 10)}`));
    reader.push(bytesOf(`${longest.slice(10)}\n${longest}`));
    expect({ lines, overflows }).toEqual({ lines: [longest], overflows: 0 });
    reader.push(bytesOf('y'));
    expect(overflows).toBe(1);
    reader.push(bytesOf('\nA 1 *\n'));
    expect({ lines, overflows }).toEqual({ lines: [longest], overflows: 1 });
  });

  it('finds an unbounded line in the first chunk that passes the bound, copying nothing of it', () => {
    let overflows = 0;
    const reader = new LineReader(() => true, () => overflows++);
    const mebibyte = new Uint8Array(2 ** 20).fill(0x41);
    for (let i = 0; i < 20; i++) reader.push(mebibyte);
    expect({ overflows, copied: reader.copied }).toEqual({ overflows: 1, copied: 0 });
  });

  it('stops where onLine says, keeps the rest of the chunk, and reads it on resume', () => {
    const lines: string[] = [];
    const reader = new LineReader(
      (bytes, start, end) => lines.push(text(bytes.subarray(start, end))) % 2 === 1,
      () => expect.unreachable(),
    );
    reader.push(bytesOf('A 1 *\nA 2 *\nA 3 *\nA'));
    expect({ lines, stopped: reader.stopped }).toEqual({ lines: ['A 1 *', 'A 2 *'], stopped: true });
    reader.push(bytesOf(' 4 *\nA 5 *\n'));
    expect(lines).toHaveLength(2);
    reader.resume();
    expect({ lines, stopped: reader.stopped }).toEqual({ lines: ['A 1 *', 'A 2 *', 'A 3 *', 'A 4 *'], stopped: true });
    reader.resume();
    expect({ lines, stopped: reader.stopped }).toEqual({ lines: ['A 1 *', 'A 2 *', 'A 3 *', 'A 4 *', 'A 5 *'], stopped: false });
    reader.resume();
    expect(lines).toHaveLength(5);
  });

  it('stops after the last line of a chunk too, holding back the next chunk', () => {
    const lines: string[] = [];
    const reader = new LineReader((bytes, start, end) => lines.push(text(bytes.subarray(start, end))) > 1, () => expect.unreachable());
    reader.push(bytesOf('A 1 *\n'));
    reader.push(bytesOf('A 2 *\n'));
    expect({ lines, stopped: reader.stopped }).toEqual({ lines: ['A 1 *'], stopped: true });
    reader.resume();
    expect({ lines, stopped: reader.stopped }).toEqual({ lines: ['A 1 *', 'A 2 *'], stopped: false });
  });

  it('shortens an E message to fit the frame bound, at a character boundary, ending in ...', () => {
    const writer = new FrameWriter();
    writer.failure(123, 'ü'.repeat(100));
    const frame = text(writer.take());
    expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(frame).toBe(`E 123 ${'ü'.repeat(27)}...\n`);
    const fits = `${'m'.repeat(MAX_FRAME_BYTES - 'E 9 \n'.length)}`;
    writer.failure(9, fits);
    expect(text(writer.take())).toBe(`E 9 ${fits}\n`);
    writer.failure(9, `${fits}!`);
    expect(text(writer.take())).toBe(`E 9 ${fits.slice(0, -3)}...\n`);
  });
});
