/**
 * What spectral.ts promises around its numbers: the options it refuses (naming the
 * function, the option, the value and the allowed range), empty matrices, the eigenvalue
 * modulus of a 2×2 block by the quadratic formula, and what a run that hits
 * maxIterations says — converged: false, and for σ₁ a lower bound (‖Wv‖ ≤ σ₁ for
 * every unit v, the variational definition of σ₁).
 */

import { describe, expect, it } from 'vitest';
import { randomUnitVector } from '../src/linalg.ts';
import {
  largestEigenvalueModulus2x2,
  largestSingularValue,
  spectralRadius,
} from '../src/spectral.ts';
import { blockDiagonal, randomOrthogonal, referenceSigma1, similar } from './reference-linalg.ts';

describe('options', () => {
  it('refuses an iteration limit that is not a positive integer', () => {
    for (const bad of [0, 2.5]) {
      expect(() => spectralRadius([[1]], { maxIterations: bad })).toThrow(
        `spectralRadius: maxIterations must be a positive integer, got ${bad}`,
      );
      expect(() => largestSingularValue([[1]], { maxIterations: bad })).toThrow(
        `largestSingularValue: maxIterations must be a positive integer, got ${bad}`,
      );
    }
    expect(spectralRadius([[2]], { maxIterations: 1 }).value).toBe(2);
  });
  it('refuses a tolerance outside (0, 1), at either end', () => {
    for (const bad of [0, 1, Number.NaN]) {
      expect(() => largestSingularValue([[1]], { tolerance: bad })).toThrow(
        `largestSingularValue: tolerance must be in (0, 1), got ${bad}`,
      );
    }
  });
  it('the start vector’s seed changes the path, not the converged value', () => {
    const m = similar(blockDiagonal([1.5, 0.4, -0.2]), 2);
    const a = largestSingularValue(m, { seed: 1 });
    const b = largestSingularValue(m, { seed: 2 });
    expect(a.value).toBeAllclose(b.value, { rtol: 1e-9, atol: 0 });
    expect(a.vector).not.toEqual(largestSingularValue(m).vector);
  });
});

describe('empty matrices', () => {
  it('have ρ = 0 and σ₁ = 0, found without iterating', () => {
    expect(spectralRadius([])).toEqual({
      value: 0,
      method: 'rayleigh',
      iterations: 0,
      converged: true,
    });
    for (const shape of [
      [0, 3],
      [3, 0],
    ]) {
      const result = largestSingularValue({ data: [], shape });
      expect([result.value, result.iterations, result.converged]).toEqual([0, 0, true]);
    }
  });
});

describe('largestEigenvalueModulus2x2', () => {
  it('is the larger |λ| of λ² − (a + d)λ + (ad − bc) = 0, real or complex', () => {
    // [[1, 2], [3, 4]]: λ = (5 ± √33)/2
    expect(largestEigenvalueModulus2x2(1, 2, 3, 4)).toBeAllclose((5 + Math.sqrt(33)) / 2);
    // [[2, 0], [0, −3]]: the negative one is larger in modulus
    expect(largestEigenvalueModulus2x2(2, 0, 0, -3)).toBe(3);
    // r·rotation(θ): λ = r e^{±iθ}, |λ| = r
    const r = 0.7;
    const t = 1.1;
    const c = r * Math.cos(t);
    const s = r * Math.sin(t);
    expect(largestEigenvalueModulus2x2(c, -s, s, c)).toBeAllclose(r, { atol: 1e-15 });
    // [[1, 1], [0, 1]]: a double root at 1 (discriminant exactly 0)
    expect(largestEigenvalueModulus2x2(1, 1, 0, 1)).toBe(1);
  });
});

describe('a run that hits maxIterations', () => {
  it('largestSingularValue says so and returns ‖Wv‖ ≤ σ₁ for its last unit v', () => {
    const m = similar(blockDiagonal([1, 0.98, 0.5]), 3);
    const sigma1 = referenceSigma1(m);
    const result = largestSingularValue(m, { maxIterations: 2 });
    expect(result).toMatchObject({ iterations: 2, converged: false });
    expect(Math.hypot(...result.vector)).toBeAllclose(1, { atol: 1e-14 });
    const wv = m.map((row) => row.reduce((s, w, j) => s + w * result.vector[j]!, 0));
    expect(result.value).toBeAllclose(Math.hypot(...wv), { rtol: 1e-14, atol: 0 });
    expect(result.value).toBeLessThanOrEqual(sigma1 * (1 + 1e-12));
    expect(result.value).toBeGreaterThan(0.5 * sigma1);
  });
  it('spectralRadius says so and estimates ρ by the growth rate of the iterate', () => {
    // An orthogonal matrix times 0.9 grows every vector by exactly 0.9; with 3 steps the
    // steady-growth test (10 equal steps) cannot have fired.
    const m = randomOrthogonal(6, 4).map((row) => row.map((v) => 0.9 * v));
    const result = spectralRadius(m, { maxIterations: 3 });
    expect(result).toMatchObject({ method: 'growth', iterations: 3, converged: false });
    expect(result.value).toBeAllclose(0.9, { rtol: 1e-12, atol: 0 });
  });
});

describe('how the result was found', () => {
  it("a unique dominant real eigenvalue: 'rayleigh', converged", () => {
    const result = spectralRadius(similar(blockDiagonal([1.2, 0.5, -0.3]), 6));
    expect(result).toMatchObject({ method: 'rayleigh', converged: true });
    expect(result.value).toBeAllclose(1.2, { rtol: 1e-9, atol: 0 });
  });
  it("an orthogonal matrix times α: 'growth', converged", () => {
    const m = randomOrthogonal(6, 8).map((row) => row.map((v) => 0.7 * v));
    expect(spectralRadius(m)).toMatchObject({ method: 'growth', converged: true });
  });
  it("the zero matrix: Wu = 0 at once, ρ = 0 by 'growth' in one iteration", () => {
    expect(
      spectralRadius([
        [0, 0],
        [0, 0],
      ]),
    ).toEqual({ value: 0, method: 'growth', iterations: 1, converged: true });
    const sigma = largestSingularValue([
      [0, 0],
      [0, 0],
    ]);
    expect([sigma.value, sigma.iterations, sigma.converged]).toEqual([0, 1, true]);
  });
  it('σ₁ of a 1×1 matrix is found in one iteration, even when that is the limit', () => {
    expect(largestSingularValue([[-2]], { maxIterations: 1 })).toMatchObject({
      value: 2,
      iterations: 1,
      converged: true,
    });
  });
  it('not converged after two steps, ρ is the growth ‖W²u₀‖/‖Wu₀‖ of the second step', () => {
    const m = similar(blockDiagonal([1, 0.98, 0.5, -0.2]), 3);
    const u0 = randomUnitVector(4, 0);
    const apply = (v: ArrayLike<number>) =>
      m.map((row) => row.reduce((s, w, j) => s + w * v[j]!, 0));
    const w1 = apply(u0);
    const w2 = apply(w1);
    const result = spectralRadius(m, { maxIterations: 2 });
    expect(result.converged).toBe(false);
    expect(result.value).toBeAllclose(Math.hypot(...w2) / Math.hypot(...w1), {
      rtol: 1e-12,
      atol: 0,
    });
  });
});

describe('the tolerance is relative: a matrix scaled by 10⁻³ is found as accurately', () => {
  const tiny = (m: number[][]) => m.map((row) => row.map((v) => 1e-3 * v));
  it('ρ by rayleigh, by ritz, and σ₁', () => {
    const real = tiny(similar(blockDiagonal([1.2, 0.9, -0.3]), 6));
    expect(spectralRadius(real).value).toBeAllclose(1.2e-3, { rtol: 1e-11, atol: 0 });
    const complex = tiny(similar(blockDiagonal([{ r: 0.95, theta: 0.7 }, 0.8, -0.3]), 4, 3));
    const ritz = spectralRadius(complex);
    expect(ritz.method).toBe('ritz');
    expect(ritz.value).toBeAllclose(0.95e-3, { rtol: 1e-9, atol: 0 });
    const unscaled = similar(blockDiagonal([1, 0.9, 0.2]), 5);
    expect(largestSingularValue(tiny(unscaled)).value).toBeAllclose(
      1e-3 * referenceSigma1(unscaled),
      { rtol: 1e-11, atol: 0 },
    );
  });
});

describe('the tolerance is relative: a matrix scaled by 10³ converges as well', () => {
  it('ρ by the growth rate and by the Rayleigh quotient, and σ₁', () => {
    const big = randomOrthogonal(6, 9).map((row) => row.map((v) => 1000 * v));
    expect(spectralRadius(big)).toMatchObject({ method: 'growth', converged: true });
    expect(spectralRadius(big).value).toBeAllclose(1000, { rtol: 1e-9, atol: 0 });
    const m = similar(blockDiagonal([1, 0.9, 0.2]), 5).map((row) => row.map((v) => 1000 * v));
    expect(largestSingularValue(m).converged).toBe(true);
    const real = similar(blockDiagonal([1.2, 0.5, -0.3]), 6).map((row) => row.map((v) => 1000 * v));
    expect(spectralRadius(real)).toMatchObject({ method: 'rayleigh', converged: true });
  });
});
