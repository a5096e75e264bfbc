/**
 * The options a check is given must reach the judge: a step ε or a tolerance that is
 * silently replaced by its default would make a test pass or fail for the wrong reason.
 * Reference values by hand: for f(x) = x³ the central difference is exactly
 * ((x + ε)³ − (x − ε)³) / 2ε = 3x² + ε², so at x = 1 and ε = 0.1 it is 3.01.
 */
import { describe, expect, it } from 'vitest';
import { directionalCheck, gradcheck, jacobianCheck } from '../src/index.ts';

const cube = (v: Float64Array) => v[0]! ** 3;
const cubes = (v: Float64Array) => Float64Array.from(v, (vi) => vi ** 3);

describe('the step ε reaches the central difference', () => {
  it('gradcheck: 3x² + ε² at ε = 0.1, and 3x² to 1e-9 at the default ε', () => {
    const coarse = gradcheck(cube, Float64Array.of(1), [3], { eps: 0.1 });
    expect(coarse.numericalGradient[0]).toBeCloseTo(3.01, 12);
    // |3 − 3.01| = 0.01 exceeds 1e-5 + 1e-3·3.01: the coarse step convicts the true gradient.
    expect(coarse.ok).toBe(false);
    const fine = gradcheck(cube, Float64Array.of(1), [3]);
    expect(Math.abs(fine.numericalGradient[0]! - 3)).toBeLessThan(1e-9);
    expect(fine.ok).toBe(true);
  });

  it('jacobianCheck: the diagonal 3xᵢ² + ε² at ε = 0.1', () => {
    const x = Float64Array.of(1, -2);
    const coarse = jacobianCheck(cubes, x, [3, 0, 0, 12], { eps: 0.1 });
    expect(Array.from(coarse.numericalGradient, (n) => +n.toFixed(12))).toEqual([
      3.01, 0, 0, 12.01,
    ]);
    expect(coarse.ok).toBe(false);
    expect(jacobianCheck(cubes, x, [3, 0, 0, 12]).ok).toBe(true);
  });

  it('directionalCheck: vᵀJu off by ε²·Σvᵢuᵢ³ at ε = 0.1, with |Σvᵢuᵢ³| ≤ 1 for unit u, v', () => {
    // f = x³ entrywise: (vᵀf(x + εu) − vᵀf(x − εu)) / 2ε = Σ vᵢ(3xᵢ²uᵢ + ε²uᵢ³) exactly.
    const x = Float64Array.of(1, -2);
    const vjp = (v: Float64Array) => Float64Array.from(x, (xi, i) => 3 * xi * xi * v[i]!);
    expect(directionalCheck(cubes, x, vjp, { trials: 1 }).ok).toBe(true);
    const coarse = directionalCheck(cubes, x, vjp, { trials: 1, eps: 0.1 });
    // The analytic side is exact, so the gap is the ε² term alone: far above the rounding
    // (~1e-15 at this ε), at most ε² = 0.01.
    const gap = Math.abs(coarse.numericalGradient[0]! - coarse.analyticGradient[0]!);
    expect(gap).toBeGreaterThan(1e-6);
    expect(gap).toBeLessThanOrEqual(0.01 + 1e-12);
  });
});

describe('the tolerances reach the comparison', () => {
  // A gradient off by 0.01 at 3: outside the defaults (1e-5 + 1e-3·3 ≈ 0.003).
  const wrong = [3.01];
  const x = () => Float64Array.of(1);

  it('fails with the default tolerances', () => {
    const r = gradcheck(cube, x(), wrong);
    expect([r.ok, r.atol, r.rtol]).toEqual([false, 1e-5, 1e-3]);
  });

  it('passes with a looser atol, or a looser rtol, given alone', () => {
    expect(gradcheck(cube, x(), wrong, { atol: 0.02 }).ok).toBe(true);
    expect(gradcheck(cube, x(), wrong, { rtol: 0.01 }).ok).toBe(true);
    expect(jacobianCheck(cubes, x(), wrong, { atol: 0.02 }).ok).toBe(true);
  });

  it('fails even the exact gradient with atol = rtol = 0, where rounding is left', () => {
    // The central difference of x³ at 1 is 3 + 1e-12 plus rounding near 1e-10: never exactly 3.
    const r = gradcheck(cube, x(), [3], { atol: 0, rtol: 0 });
    expect([r.ok, r.atol, r.rtol]).toEqual([false, 0, 0]);
  });
});
