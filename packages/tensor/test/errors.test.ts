/**
 * errors.ts: ShapeError, how shapes print, and the shape and axis helpers every op
 * shares — sizes, row-major strides, the [outer, n, inner] view around an axis, and
 * the checks whose messages name the op, the argument and the allowed range.
 */

import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aroundAxis,
  checkShape,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  rowMajorStrides,
  ShapeError,
  sameShape,
  sizeOf,
} from '../src/errors.ts';

describe('ShapeError and formatShape', () => {
  it('ShapeError is an Error named ShapeError, carrying its message', () => {
    const error = new ShapeError('matmul: inner dimensions differ');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ShapeError');
    expect(error.message).toBe('matmul: inner dimensions differ');
    expect(String(error)).toBe('ShapeError: matmul: inner dimensions differ');
  });

  it('formatShape writes dims between brackets, comma-separated without spaces', () => {
    expect(formatShape([3, 4])).toBe('[3,4]');
    expect(formatShape([])).toBe('[]');
    expect(formatShape([0, 1, 2])).toBe('[0,1,2]');
  });
});

/** The product of the dims, written out here so the properties do not lean on sizeOf. */
const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

describe('sizes and strides', () => {
  it('sizeOf is the product of the dims: 1 for a scalar, 0 with an empty dim', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([5, 0, 3])).toBe(0);
  });

  it('rowMajorStrides: [2,3,4] → [12,4,1], and each stride is the size of the dims after it', () => {
    expect(rowMajorStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(rowMajorStrides([])).toEqual([]);
    fc.assert(
      fc.property(arbitraries.shape({ minRank: 1, maxRank: 4 }), (shape) => {
        const strides = rowMajorStrides(shape);
        shape.forEach((_, d) => {
          expect(strides[d]).toBe(product(shape.slice(d + 1)));
        });
      }),
    );
  });

  it('aroundAxis: outer · n · inner is the size, and (o, r, i) is the entry at those indices', () => {
    expect(aroundAxis([2, 3, 4], 1)).toEqual({ outer: 2, n: 3, inner: 4 });
    expect(aroundAxis([5], 0)).toEqual({ outer: 1, n: 5, inner: 1 });
    fc.assert(
      fc.property(
        arbitraries
          .shape({ minRank: 1, maxRank: 4 })
          .chain((shape) =>
            fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 })),
          ),
        ([shape, axis]) => {
          const { outer, n, inner } = aroundAxis(shape, axis);
          expect(outer * n * inner).toBe(product(shape));
          // (outer − 1, n − 1, inner − 1) is the last entry of the data.
          expect(((outer - 1) * n + (n - 1)) * inner + (inner - 1)).toBe(product(shape) - 1);
          // Stepping r by one moves by the stride of the axis.
          expect(inner).toBe(rowMajorStrides(shape)[axis]);
        },
      ),
    );
  });

  it('sameShape compares rank and every dim', () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([], [])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2, 3], [2, 3, 1])).toBe(false);
    expect(sameShape([6], [2, 3])).toBe(false);
  });
});

describe('shape and axis checks', () => {
  it('checkShape accepts non-negative integer dims and names the op and the argument otherwise', () => {
    expect(() => checkShape('zeros', [2, 0, 3])).not.toThrow();
    expect(() => checkShape('zeros', [2, -1])).toThrow(
      'zeros: shape must hold non-negative integers, got [2,-1]',
    );
    expect(() => checkShape('reshape', [1.5], 'newShape')).toThrow(
      'reshape: newShape must hold non-negative integers, got [1.5]',
    );
    expect(() => checkShape('zeros', [Number.NaN])).toThrow(RangeError);
  });

  it('normalizeAxis maps [−rank, rank) onto [0, rank), counting negatives from the end', () => {
    expect([0, 1, 2, -1, -2, -3].map((a) => normalizeAxis('sum', a, 3))).toEqual([
      0, 1, 2, 2, 1, 0,
    ]);
    expect(() => normalizeAxis('sum', 3, 3)).toThrow(
      'sum: axis 3 is out of range for rank 3; allowed [-3, 2]',
    );
    expect(() => normalizeAxis('sum', -4, 3)).toThrow(
      'sum: axis -4 is out of range for rank 3; allowed [-3, 2]',
    );
    expect(() => normalizeAxis('softmax', 0.5, 2, 'dim')).toThrow(
      'softmax: dim 0.5 is out of range for rank 2; allowed [-2, 1]',
    );
    expect(() => normalizeAxis('sum', 0, 0)).toThrow(
      'sum: axis 0 is out of range for rank 0; allowed none (the tensor is a scalar)',
    );
  });

  it('normalizeAxes: all axes for undefined, sorted, and a repeated axis refused', () => {
    expect(normalizeAxes('sum', undefined, 3)).toEqual([0, 1, 2]);
    expect(normalizeAxes('sum', undefined, 0)).toEqual([]);
    expect(normalizeAxes('sum', -1, 3)).toEqual([2]);
    expect(normalizeAxes('sum', [2, 0], 3)).toEqual([0, 2]);
    expect(() => normalizeAxes('mean', [1, -2], 3)).toThrow('mean: axis 1 appears twice in [1,-2]');
    expect(() => normalizeAxes('mean', [0, 5], 3)).toThrow(
      'mean: axis 5 is out of range for rank 3; allowed [-3, 2]',
    );
  });
});
