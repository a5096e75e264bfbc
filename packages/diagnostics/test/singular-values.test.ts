import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../src/singular-values.ts';
import { largestSingularValue } from '../src/spectral.ts';

const matrix = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }))
  .chain(([rows, cols]) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      data: fc.array(arbitraries.value({ min: -3, max: 3 }), {
        minLength: rows * cols,
        maxLength: rows * cols,
      }),
    }),
  );

describe('singularValues', () => {
  it('finds 3 and 2 for a rotation times diag(3, 2)', () => {
    const [c, s] = [Math.cos(0.3), Math.sin(0.3)];
    const sv = singularValues([3 * c, -2 * s, 3 * s, 2 * c], 2, 2);
    expect(sv[0]).toBeCloseTo(3, 12);
    expect(sv[1]).toBeCloseTo(2, 12);
  });

  it('has Σσᵢ² = ‖W‖²_F, largest first, on random rectangular matrices', () => {
    fc.assert(
      fc.property(matrix, ({ rows, cols, data }) => {
        const sv = singularValues(data, rows, cols);
        expect(sv).toHaveLength(cols);
        for (let i = 1; i < sv.length; i++) expect(sv[i]!).toBeLessThanOrEqual(sv[i - 1]!);
        const frobenius = data.reduce((a, w) => a + w * w, 0);
        expect(sv.reduce((a, s) => a + s * s, 0)).toBeAllclose(frobenius, { rtol: 1e-10 });
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('has σ₁ equal to power iteration, and σ₁σ₂ = |det W| for 2×2', () => {
    fc.assert(
      fc.property(matrix, ({ rows, cols, data }) => {
        fc.pre(data.some((v) => v !== 0));
        const sv = singularValues(data, rows, cols);
        const power = largestSingularValue({ data, rows, cols }, { maxIterations: 20_000 });
        expect(sv[0]!).toBeAllclose(power.value, { rtol: 1e-8, atol: 1e-10 });
      }),
      { numRuns: 60, seed: 8 },
    );
    const [a, b, c, d] = [1.5, -0.4, 0.7, 2.2];
    const [s1, s2] = singularValues([a, b, c, d], 2, 2);
    expect(s1! * s2!).toBeCloseTo(Math.abs(a * d - b * c), 12);
  });

  it('refuses data whose length is not rows × cols, naming both', () => {
    expect(() => singularValues([1, 2, 3], 2, 2)).toThrow(
      'singularValues: data has 3 entries, a 2×2 matrix has 4',
    );
  });
});
