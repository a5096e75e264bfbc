import { describe, expect, it } from 'vitest';
import { compareArrays, relativeError, unravelIndex } from '../src/index.ts';

describe('compareArrays', () => {
  it("uses PyTorch's criterion |a − n| ≤ atol + rtol·|n|, scaled by the reference", () => {
    // At n = 1000 the allowed error is 1e-5 + 1e-3·1000 ≈ 1.00001.
    expect(compareArrays([1000.9], [1000]).ok).toBe(true);
    expect(compareArrays([1001.1], [1000]).ok).toBe(false);
    // Near zero only atol is left.
    expect(compareArrays([9e-6], [0]).ok).toBe(true);
    expect(compareArrays([2e-5], [0]).ok).toBe(false);
  });

  it('agrees on equal infinities and fails NaN or a single infinity', () => {
    expect(compareArrays([Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY]).ok).toBe(true);
    expect(compareArrays([Number.NaN], [1]).ok).toBe(false);
    expect(compareArrays([1], [Number.NaN]).ok).toBe(false);
    expect(compareArrays([Number.POSITIVE_INFINITY], [1]).ok).toBe(false);
  });

  it('ranks the entry that most exceeds its tolerance as worst, NaN first of all', () => {
    const c = compareArrays([1, 2.5, Number.NaN, 4], [1, 2, 3, 4.2]);
    expect(c.worstIndex).toBe(2);
    expect(c.failures).toBe(3);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => compareArrays([1, 2], [1])).toThrow('lengths differ');
  });
});

describe('relativeError', () => {
  it('is symmetric and zero for two zeros', () => {
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1, 2)).toBe(0.5);
    expect(relativeError(2, 1)).toBe(0.5);
  });
});

describe('unravelIndex', () => {
  it('turns a flat row-major index into a multi-index', () => {
    expect(unravelIndex(5, [2, 3])).toEqual([1, 2]);
    expect(unravelIndex(13, [2, 3, 4])).toEqual([1, 0, 1]);
    expect(unravelIndex(0, [])).toEqual([]);
  });
});
