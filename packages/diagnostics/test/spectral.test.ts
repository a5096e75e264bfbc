import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestSingularValue, spectralRadius } from '../src/spectral.ts';
import {
  blockDiagonal,
  type Dense,
  diagonal,
  multiply,
  randomOrthogonal,
  referenceSigma1,
  similar,
  symmetricEigenvalues,
  transpose,
} from './reference-linalg.ts';

const scaled = (m: Dense, alpha: number): Dense => m.map((row) => row.map((v) => v * alpha));

describe('the reference constructions', () => {
  it('Jacobi recovers the eigenvalues of Q·D·Qᵀ', () => {
    const q = randomOrthogonal(6, 3);
    const d = [-2, -0.5, 0.1, 0.3, 1, 1.7];
    expect(symmetricEigenvalues(multiply(multiply(q, diagonal(d)), transpose(q)))).toBeAllclose(d, {
      atol: 1e-12,
    });
  });
});

describe('spectralRadius', () => {
  it('of a diagonal matrix is its largest |entry|, negative or positive', () => {
    expect(spectralRadius(diagonal([0.3, -0.9, 0.5])).value).toBeAllclose(0.9, { atol: 1e-9 });
    expect(spectralRadius(diagonal([1.2, 0.2, -0.4, 0.7])).value).toBeAllclose(1.2, { atol: 1e-9 });
  });

  it('handles two dominant eigenvalues of opposite sign, where the iterate flips forever', () => {
    const result = spectralRadius(diagonal([0.9, -0.9, 0.2]));
    expect(result.value).toBeAllclose(0.9, { atol: 1e-9 });
    expect(result.method).toBe('ritz');
  });

  it('of a scaled rotation block is its scale, normal or not', () => {
    const blocks = blockDiagonal([{ r: 0.95, theta: 0.7 }, 0.5, -0.3]);
    expect(spectralRadius(blocks).value).toBeAllclose(0.95, { atol: 1e-9 });
    // Not normal: ‖Wu‖ keeps oscillating, and only the 2-D invariant plane gives ρ.
    const result = spectralRadius(similar(blocks, 4, 3));
    expect(result).toMatchObject({ method: 'ritz', converged: true });
    expect(result.value).toBeAllclose(0.95, { atol: 1e-9 });
  });

  it('of an orthogonal matrix times α is α, by the growth rate', () => {
    for (const alpha of [0.5, 1, 1.3]) {
      const result = spectralRadius(scaled(randomOrthogonal(8, 11), alpha));
      expect(result.value).toBeAllclose(alpha, { atol: 1e-9 });
      expect(result.converged).toBe(true);
    }
  });

  it('of a random symmetric matrix is its largest |eigenvalue|', () => {
    const q = randomOrthogonal(10, 5);
    const d = [-1.4, -0.3, 0.1, 0.2, 0.25, 0.5, 0.8, 0.9, 1.1, 1.3];
    const result = spectralRadius(multiply(multiply(q, diagonal(d)), transpose(q)));
    expect(result.value).toBeAllclose(1.4, { atol: 1e-8 });
  });

  it('of a non-normal matrix with any known spectrum, real or complex dominant', () => {
    const block = fc.oneof(
      arbitraries.value({ min: -1.5, max: 1.5 }),
      fc.record({
        r: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        theta: fc.double({ min: 0.1, max: 3, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (blocks, seed) => {
          const moduli = blocks
            .map((b) => (typeof b === 'number' ? Math.abs(b) : b.r))
            .sort((a, b) => b - a);
          // a clear gap between the largest and the next distinct modulus keeps convergence quick
          fc.pre(moduli.length === 1 || moduli[0]! - moduli[1]! > 0.05 || moduli[0] === moduli[1]);
          const m = similar(blockDiagonal(blocks), seed);
          const result = spectralRadius(m, { maxIterations: 20_000 });
          expect(result.value).toBeAllclose(moduli[0]!, { atol: 1e-7, rtol: 1e-7 });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('says it did not converge for a defective eigenvalue, and still lands near it', () => {
    // a 3×3 Jordan block: ‖Wᵏu‖^(1/k) → 0.9 only like 1/k
    const result = spectralRadius([
      [0.9, 1, 0],
      [0, 0.9, 1],
      [0, 0, 0.9],
    ]);
    expect(result).toMatchObject({ method: 'growth', converged: false });
    expect(result.value).toBeAllclose(0.9, { rtol: 2e-3, atol: 0 });
  });

  it('of a nilpotent matrix is 0', () => {
    const result = spectralRadius([
      [0, 1, 2],
      [0, 0, 3],
      [0, 0, 0],
    ]);
    expect(result.value).toBe(0);
  });

  it('never exceeds the largest singular value', () => {
    const arb = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.array(fc.array(arbitraries.value({ min: -2, max: 2 }), { minLength: n, maxLength: n }), {
        minLength: n,
        maxLength: n,
      }),
    );
    fc.assert(
      fc.property(arb, (m) => {
        const rho = spectralRadius(m, { maxIterations: 3000 }).value;
        expect(rho).toBeLessThanOrEqual(largestSingularValue(m).value * (1 + 1e-6) + 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a matrix that is not square, and bad options', () => {
    expect(() => spectralRadius([[1, 2]])).toThrow(
      'spectralRadius: the matrix must be square, got [1, 2]',
    );
    expect(() => spectralRadius({ data: [1, 2, 3], shape: [3] })).toThrow(
      'spectralRadius: expected a 2-D matrix, got shape [3]',
    );
    expect(() => spectralRadius([[1]], { tolerance: 0 })).toThrow(
      'spectralRadius: tolerance must be in (0, 1), got 0',
    );
  });
});

describe('largestSingularValue', () => {
  it('agrees with √λmax(AᵀA) from Jacobi on random rectangular matrices', () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 6 }))
      .chain(([r, c]) =>
        fc.array(fc.array(arbitraries.value({ min: -3, max: 3 }), { minLength: c, maxLength: c }), {
          minLength: r,
          maxLength: r,
        }),
      );
    fc.assert(
      fc.property(arb, (m) => {
        fc.pre(m.some((row) => row.some((v) => v !== 0)));
        expect(largestSingularValue(m, { maxIterations: 20_000 }).value).toBeAllclose(
          referenceSigma1(m),
          {
            rtol: 1e-8,
            atol: 1e-10,
          },
        );
      }),
      { numRuns: 80 },
    );
  });

  it('is α for an orthogonal matrix times α, and |largest entry| for a diagonal one', () => {
    expect(largestSingularValue(scaled(randomOrthogonal(7, 2), 0.8)).value).toBeAllclose(0.8, {
      atol: 1e-12,
    });
    expect(largestSingularValue(diagonal([0.1, -3, 2])).value).toBeAllclose(3, { atol: 1e-9 });
  });

  it('returns a unit right singular vector v with ‖Av‖ = σ₁', () => {
    const m = similar(blockDiagonal([{ r: 0.9, theta: 1 }, 0.4]), 7);
    const { value, vector } = largestSingularValue(m);
    expect(Math.hypot(...vector)).toBeAllclose(1);
    const av = m.map((row) => row.reduce((s, v, j) => s + v * vector[j]!, 0));
    expect(Math.hypot(...av)).toBeAllclose(value, { rtol: 1e-12 });
    expect(value).toBeGreaterThan(0.9); // non-normal: σ₁ > ρ
  });

  it('is 0 for the zero matrix', () => {
    expect(largestSingularValue(diagonal([0, 0])).value).toBe(0);
  });
});
