/**
 * series-csv.ts: csv-parse's rows with their line numbers, quoted cells kept whole, and
 * malformed files refused in one line.
 */

import { describe, expect, it } from 'vitest';
import { parseCsv, readSeriesCsv } from '../src/series-csv.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const flags = {
  column: 'y',
  timeColumn: null,
  fill: null,
  horizon: 1,
  validationFraction: 0.2,
  season: null,
};

describe('parseCsv', () => {
  it('keeps quoted commas and CRLF apart from the structure, numbering each row by its line', () => {
    const table = parseCsv(bytes('\ufeffname,y\r\n"Smith, J.",1.5\r\n\r\nLee,2\r\n'), 'f.csv');
    expect(table.header).toEqual(['name', 'y']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['Smith, J.', '1.5'] },
      { line: 4, cells: ['Lee', '2'] },
    ]);
  });

  it.each([
    [
      'a row of the wrong length',
      'a,y\n1,2,3\n',
      /^--series f\.csv: not a CSV file this reader accepts \(Invalid Record Length: expect 2, got 3 on line 2\)$/,
    ],
    ['an unclosed quote', 'a,y\n"1,2\n', /Quote Not Closed/],
    ['a header alone', 'a,y\n', /expected a header row and rows of values, found 1 row\(s\)/],
  ])('refuses %s in one line', (_, text, message) => {
    expect(() => parseCsv(bytes(text), 'f.csv')).toThrow(message);
  });
});

describe('readSeriesCsv', () => {
  const column = (n: number, f: (i: number) => number) =>
    bytes(`t,y\n${Array.from({ length: n }, (_, i) => `${i},${f(i)}`).join('\n')}\n`);

  it('splits at round(0.8 n) and estimates the season from the training part', () => {
    const read = readSeriesCsv(
      column(100, (i) => [3, 1, 4, 1, 5][i % 5]!),
      10,
      flags,
      'f.csv',
    );
    expect(read.splitAt).toBe(80);
    expect(read.season).toBe(5);
    expect(read.time).toBe(null);
  });

  it('refuses a --season longer than the window', () => {
    expect(() =>
      readSeriesCsv(
        column(100, (i) => i % 3),
        5,
        { ...flags, season: 12 },
        'f.csv',
      ),
    ).toThrow('--series f.csv: --season 12 is longer than --window 5');
  });
});
