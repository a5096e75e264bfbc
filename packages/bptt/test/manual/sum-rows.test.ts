import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumRows } from '../../src/manual/sequence.ts';

describe('sumRows', () => {
  it('gives, bit for bit, the column sums added row after row from zero', () => {
    // The order matters for the bits: a bias gradient must not change with the loop's shape.
    const shapes = fc.record({
      rows: fc.integer({ min: 0, max: 11 }),
      cols: fc.integer({ min: 0, max: 5 }),
    });
    const cases = shapes.chain(({ rows, cols }) =>
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
      { numRuns: 60, seed: 3 },
    );
  });
});
