import { describe, expect, it } from 'vitest';
import { compareArrays, describeComparison, relativeError, unravelIndex } from '../src/index.ts';

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
    // An infinite reference allows an infinite error, yet a finite value is not close to ∞
    // (torch.isclose: "inf and -inf are only considered close to themselves").
    expect(compareArrays([1], [Number.POSITIVE_INFINITY]).ok).toBe(false);
    expect(compareArrays([Number.NEGATIVE_INFINITY], [Number.POSITIVE_INFINITY]).ok).toBe(false);
    const c = compareArrays([2, 1], [2.5, Number.NEGATIVE_INFINITY], { atol: 0.1 });
    expect([c.failures, c.worstIndex, c.worstActual]).toEqual([2, 1, 1]);
  });

  it('ranks the entry that most exceeds its tolerance as worst, NaN first of all', () => {
    const c = compareArrays([1, 2.5, Number.NaN, 4], [1, 2, 3, 4.2]);
    expect(c.worstIndex).toBe(2);
    expect(c.failures).toBe(3);
  });

  it('passes an entry exactly at the bound: the criterion is ≤, not <', () => {
    // Numbers exact in binary: |0.75 − 0.5| = 0.25 = atol + rtol·|0.5| with atol 0.125, rtol 0.25.
    expect(compareArrays([0.75], [0.5], { atol: 0.125, rtol: 0.25 }).ok).toBe(true);
    expect(compareArrays([0.75], [0.5], { atol: 0.125 - 2 ** -20, rtol: 0.25 }).ok).toBe(false);
  });

  it('ranks by how far the tolerance is exceeded, not by the raw difference', () => {
    // Entry 0: |diff| 0.5 against 0.01 + 0.01·10 = 0.11, about 4.5× over.
    // Entry 1: |diff| 0.1 against 0.01 + 0.01·0.1 = 0.011, about 9.1× over: the worst.
    const c = compareArrays([10.5, 0.2], [10, 0.1], { atol: 0.01, rtol: 0.01 });
    expect(c.worstIndex).toBe(1);
    expect([c.worstActual, c.worstReference]).toEqual([0.2, 0.1]);
  });

  it('names the first of equally bad entries, and the first entry when it is the worst', () => {
    const tie = compareArrays([2, 3, 2], [1, 2, 1], { atol: 0.5, rtol: 0 });
    expect(tie.worstIndex).toBe(0);
    expect([tie.worstActual, tie.worstReference]).toEqual([2, 1]);
  });

  it('reports the largest absolute and relative errors over all entries', () => {
    // |diff|: 0, 0.25, 0.5, 0.125, 0; relative |a − n|/max(|a|, |n|): 0, 0.25/0.5 = 0.5,
    // 0.5/4 = 0.125, 0.125/2 = 0.0625, 0. Neither maximum is in the last differing entry,
    // nor both in one entry, so "the last one seen" or "the worst entry's" would not do.
    const c = compareArrays([1, 0.5, 4, 2, 2], [1, 0.25, 3.5, 1.875, 2]);
    expect(c.maxAbsError).toBe(0.5);
    expect(c.maxRelError).toBe(0.5);
    // Equal entries add no error, even infinite ones (where ∞ − ∞ would be NaN).
    const same = compareArrays([2, Number.POSITIVE_INFINITY], [2, Number.POSITIVE_INFINITY]);
    expect([same.maxAbsError, same.maxRelError]).toEqual([0, 0]);
  });

  it('compares nothing for empty arrays: it passes and has no worst entry', () => {
    const c = compareArrays([], []);
    expect([c.ok, c.size, c.failures, c.worstIndex]).toEqual([true, 0, 0, -1]);
    expect(c.worstActual).toBeNaN();
    expect(c.worstReference).toBeNaN();
    expect(describeComparison(c, { what: 'nothing', shape: [0, 3] })).toBe(
      'nothing passed: nothing to compare (shape [0, 3])',
    );
  });

  it('refuses arrays of different lengths', () => {
    expect(() => compareArrays([1, 2], [1])).toThrow('lengths differ');
  });
});

describe('describeComparison', () => {
  it('states the verdict, the worst entry with its difference and allowance, and the largest errors', () => {
    // The one failing entry is flat index 2, i.e. [1, 0]: |2.75 − 2| = 0.75 against
    // 0.25 + 0.125·2 = 0.5; its relative error is 0.75/2.75 = 3/11.
    const c = compareArrays([1, 2, 2.75, 4], [1, 2, 2, 4], { atol: 0.25, rtol: 0.125 });
    expect(describeComparison(c, { names: ['got', 'want'], shape: [2, 2], what: 'm' })).toBe(
      [
        'm FAILED: 1 of 4 entries outside atol + rtol·|want| (atol 0.25, rtol 0.125)',
        '  shape [2, 2], worst entry [1, 0]: got 2.75, want 2, |diff| 0.75 vs allowed 0.5',
        `  max abs error 0.75, max rel error ${3 / 11}`,
      ].join('\n'),
    );
  });

  it('calls a rank-0 entry (scalar), and uses plain names by default', () => {
    const c = compareArrays([3], [2], { atol: 0, rtol: 0 });
    expect(describeComparison(c, { shape: [] })).toBe(
      [
        'comparison FAILED: 1 of 1 entries outside atol + rtol·|expected| (atol 0, rtol 0)',
        '  shape [], worst entry (scalar): actual 3, expected 2, |diff| 1 vs allowed 0',
        '  max abs error 1, max rel error 0.3333333333333333',
      ].join('\n'),
    );
    expect(describeComparison(compareArrays([1, 2], [1, 2]))).toContain(
      'shape [2], worst entry [0]',
    );
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
