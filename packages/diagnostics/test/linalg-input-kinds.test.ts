/**
 * toMatrix reads a { data, shape } object by its shape even when it carries other
 * fields — here a `cols` of its own, as a tensor class might have — rather than taking
 * it for a { data, rows, cols } Matrix, which needs both sizes. Judged by σ₁ of
 * [[3, 0, 0], [0, 4, 0]], which is 4 (the largest singular value of a diagonal matrix is
 * its largest |entry|).
 */

import { expect, it } from 'vitest';
import { type MatrixInput, toMatrix } from '../src/linalg.ts';
import { largestSingularValue } from '../src/spectral.ts';

it('a tensor-like object with an extra `cols` field is read by its shape', () => {
  const tensorLike = { data: new Float64Array([3, 0, 0, 0, 4, 0]), shape: [2, 3], cols: 3 };
  const input: MatrixInput = tensorLike;
  const m = toMatrix(input, 'test');
  expect([m.rows, m.cols]).toEqual([2, 3]);
  expect(largestSingularValue(input).value).toBeAllclose(4, { rtol: 1e-9, atol: 0 });
});
