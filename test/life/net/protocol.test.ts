import { describe, expect, it } from 'vitest';
import {
  LineSplitter,
  encodeAnswer,
  encodeCancel,
  encodeFailure,
  encodeRequest,
  parseClientLine,
  parseServerLine,
} from '../../../src/life/net/protocol.js';

describe('life wire protocol', () => {
  it('round-trips requests, cancellations, answers and failures', () => {
    expect(encodeRequest(7, -1, 3, '*', 2)).toBe('Q 7 -1 3 * 2\n');
    expect(parseClientLine('Q 7 -1 3 * 2')).toEqual({ kind: 'Q', id: 7, y: -1, x: 3, state: '*', neighbors: 2 });
    expect(parseClientLine(encodeCancel(9).trimEnd())).toEqual({ kind: 'C', id: 9 });
    expect(parseServerLine(encodeAnswer(7, '-').trimEnd())).toEqual({ kind: 'A', id: 7, state: '-' });
    expect(encodeFailure(3, 'bad\nthing')).toBe('E 3 bad thing\n');
    expect(parseServerLine('E 3 bad thing')).toEqual({ kind: 'E', id: 3, message: 'bad thing' });
  });

  it('rejects malformed lines', () => {
    for (const line of ['', 'Q', 'Q 1 2 3 x 4', 'Q a 0 0 * 1', 'Q 1 0 0 * 1 extra', 'C', 'C x', 'Z 1']) {
      expect(parseClientLine(line)).toBeUndefined();
    }
    for (const line of ['', 'A', 'A 1', 'A 1 x', 'A x *', 'Z 1 *']) expect(parseServerLine(line)).toBeUndefined();
  });

  it('splits a stream into lines across chunk boundaries', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    for (const chunk of ['A 1', ' *\nA 2 -\nA', ' 3 *', '\n', '\n\nA 4']) splitter.push(chunk);
    expect(lines).toEqual(['A 1 *', 'A 2 -', 'A 3 *', '', '']);
  });
});
