/**
 * linalg.ts: matrices read from their three accepted forms, the products power
 * iteration needs, norms, seeded unit vectors and row blocks that share storage.
 */

import { arbitraries } from '@unroll/gradcheck';
import { tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dot,
  type Matrix,
  matTVec,
  matVec,
  norm,
  randomUnitVector,
  rowBlock,
  toMatrix,
} from '../src/linalg.ts';

const A: Matrix = { data: Float64Array.of(1, 2, 3, 4, 5, 6), rows: 2, cols: 3 };

describe('toMatrix', () => {
  it('passes a Matrix through, reads a tensor without copying, and copies nested rows', () => {
    expect(toMatrix(A, 'test')).toBe(A);
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const fromTensor = toMatrix(t, 'test');
    expect([fromTensor.rows, fromTensor.cols]).toEqual([2, 3]);
    expect(fromTensor.data).toBe(t.data);
    const fromRows = toMatrix(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      'test',
    );
    expect([fromRows.rows, fromRows.cols, Array.from(fromRows.data)]).toEqual([
      3,
      2,
      [1, 2, 3, 4, 5, 6],
    ]);
    expect(toMatrix([], 'test')).toEqual({ data: new Float64Array(0), rows: 0, cols: 0 });
  });

  it('refuses a shape that is not 2-D, data that does not fill it, and ragged rows', () => {
    expect(() => toMatrix(tensor([1, 2, 3]), 'spectralRadius')).toThrow(
      'spectralRadius: expected a 2-D matrix, got shape [3]',
    );
    expect(() => toMatrix({ data: [1, 2, 3], shape: [2, 2] }, 'spectralRadius')).toThrow(
      'spectralRadius: data has 3 entries for shape [2, 2]',
    );
    expect(() => toMatrix([[1, 2], [3]], 'spectralRadius')).toThrow(
      'spectralRadius: row 1 has 1 entries, row 0 has 2',
    );
  });
});

describe('products and norms', () => {
  it('matVec is A x and matTVec is Aᵀ y, worked by hand', () => {
    expect(Array.from(matVec(A, [1, 0, -1], new Float64Array(2)))).toEqual([-2, -2]);
    const out = Float64Array.of(99, 99, 99); // overwritten, not added to
    expect(Array.from(matTVec(A, [1, 2], out))).toEqual([9, 12, 15]);
    expect(dot([1, 2, 3], [4, -5, 6])).toBe(12);
    expect(norm([3, 4])).toBe(5);
  });

  it('⟨y, A x⟩ = ⟨Aᵀ y, x⟩ for random matrices and vectors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 1000 }),
        (rows, cols, seed) => {
          const M: Matrix = { data: randomUnitVector(rows * cols, seed), rows, cols };
          const x = randomUnitVector(cols, seed + 1);
          const y = randomUnitVector(rows, seed + 2);
          const left = dot(y, matVec(M, x, new Float64Array(rows)));
          const right = dot(matTVec(M, y, new Float64Array(cols)), x);
          expect(left).toBeAllclose(right, { rtol: 1e-12, atol: 1e-15 });
        },
      ),
    );
  });

  it('randomUnitVector has length 1, and the same seed gives the same vector', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), arbitraries.seed(), (n, seed) => {
        const v = randomUnitVector(n, seed);
        expect(v).toHaveLength(n);
        expect(norm(v)).toBeAllclose(1, { rtol: 1e-14, atol: 0 });
        expect(randomUnitVector(n, seed)).toEqual(v);
      }),
    );
    expect(randomUnitVector(5, 1)).not.toEqual(randomUnitVector(5, 2));
  });
});

describe('rowBlock', () => {
  it('takes rows [start, start + count), sharing a Float64Array’s storage', () => {
    const data = Float64Array.of(1, 2, 3, 4, 5, 6);
    const M: Matrix = { data, rows: 3, cols: 2 };
    const block = rowBlock(M, 1, 2);
    expect([block.rows, block.cols, Array.from(block.data)]).toEqual([2, 2, [3, 4, 5, 6]]);
    (block.data as Float64Array)[0] = 30;
    expect(data[2]).toBe(30);
  });

  it('copies the rows out of other array-likes', () => {
    const M: Matrix = { data: [1, 2, 3, 4, 5, 6], rows: 3, cols: 2 };
    const block = rowBlock(M, 2, 1);
    expect(Array.from(block.data)).toEqual([5, 6]);
    expect(block.data).toBeInstanceOf(Float64Array);
  });
});
