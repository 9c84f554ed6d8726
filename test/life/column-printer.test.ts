import { describe, expect, it } from 'vitest';
import { ColumnPrinter, Grid, simulate } from '../../src/life/index.js';

describe('ColumnPrinter', () => {
  it('prints the seed glider\'s five generations side by side with centred numbered headers', () => {
    let grid = Grid.parse('---*-----\n----*----\n--***----\n---------\n---------');
    const columns = new ColumnPrinter();
    for (let i = 0; i < 5; i++) {
      columns.append(grid.toString());
      grid = simulate(grid);
    }
    expect(columns.length).toBe(5);
    expect(columns.toString()).toBe(
      [
        '    0     |     1     |     2     |     3     |     4',
        '---*----- | --------- | --------- | --------- | ---------',
        '----*---- | --*-*---- | ----*---- | ---*----- | ----*----',
        '--***---- | ---**---- | --*-*---- | ----**--- | -----*---',
        '--------- | ---*----- | ---**---- | ---**---- | ---***---',
        '--------- | --------- | --------- | --------- | ---------',
      ].join('\n'),
    );
  });

  it('keeps columns aligned with even widths, two-digit headers and ragged columns', () => {
    const columns = new ColumnPrinter();
    for (let i = 0; i < 11; i++) columns.append(i === 10 ? '-' : '--\n--');
    const lines = columns.toString().split('\n');
    expect(lines[0]).toBe('0  | 1  | 2  | 3  | 4  | 5  | 6  | 7  | 8  | 9  | 10');
    expect(lines[1]).toBe('-- | -- | -- | -- | -- | -- | -- | -- | -- | -- | -');
    expect(lines[2]).toBe('-- | -- | -- | -- | -- | -- | -- | -- | -- | -- |');
  });

  it('takes a custom header', () => {
    const columns = new ColumnPrinter();
    columns.append('---', 'start');
    columns.append('*', 'end');
    expect(columns.toString()).toBe('start | end\n---   | *');
  });

  it('prints nothing when empty', () => {
    expect(new ColumnPrinter().toString()).toBe('');
  });

  it('rejects non-string columns and headers', () => {
    const columns = new ColumnPrinter();
    expect(() => columns.append(3 as any)).toThrow(new TypeError('Expected `text` to be a string, got `3` (number)'));
    expect(() => columns.append('-', 3 as any)).toThrow(new TypeError('Expected `header` to be a string, got `3` (number)'));
  });
});
