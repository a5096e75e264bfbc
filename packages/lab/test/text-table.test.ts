/** text-table.ts: tables for the terminal — columns as wide as their widest cell, numbers right-aligned. */

import { describe, expect, it } from 'vitest';
import { textTable } from '../src/text-table.ts';

describe('textTable', () => {
  it('pads each column to its widest cell, right-aligns columns of numbers, rules the header', () => {
    expect(
      textTable(
        ['model', 'T', 'note'],
        [
          ['tanh RNN', 10, 'ok'],
          ['LSTM', 100, 'a longer note'],
        ],
      ),
    ).toBe(
      [
        'model       T  note',
        '────────  ───  ─────────────',
        'tanh RNN   10  ok',
        'LSTM      100  a longer note',
      ].join('\n'),
    );
  });

  it("counts '—' as a number (a missing one), but not other text", () => {
    const lines = textTable(
      ['steps', 'solved'],
      [
        [700, 'yes'],
        ['—', 'no'],
      ],
    ).split('\n');
    expect(lines.slice(2)).toEqual(['  700  yes', '    —  no']);
  });
});
