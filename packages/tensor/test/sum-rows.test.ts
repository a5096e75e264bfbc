/**
 * sumRows, the bias gradient of linear (and of the recurrent layers' projections): the
 * column sums of a [rows, cols] matrix, bit for bit the sums a plain loop adds row
 * after row from zero, whatever the number of rows left over by its four-row passes.
 */

import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumRows } from '../src/index.ts';

describe('sumRows', () => {
  it('gives, bit for bit, the column sums added row after row in order', () => {
    const cases = fc
      .record({ rows: fc.integer({ min: 0, max: 11 }), cols: fc.integer({ min: 0, max: 5 }) })
      .chain(({ rows, cols }) =>
        fc.record({
          rows: fc.constant(rows),
          cols: fc.constant(cols),
          matrix: arbitraries.float64Array(rows * cols),
        }),
      );
    fc.assert(
      fc.property(cases, ({ rows, cols, matrix }) => {
        const expected: number[] = [];
        for (let j = 0; j < cols; j++) {
          let sum = 0;
          for (let r = 0; r < rows; r++) sum += matrix[r * cols + j]!;
          expected.push(sum);
        }
        expect(Array.from(sumRows(matrix, rows, cols))).toEqual(expected);
      }),
      { numRuns: 60, seed: 5 },
    );
  });
});
