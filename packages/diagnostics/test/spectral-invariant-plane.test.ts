/**
 * An exactly invariant plane is recognised at the first iteration, even when W nearly
 * annihilates part of it. W = a bᵀ is built around the start vector u₀ (seed 0) so that
 * W u₀ = (b·u₀) a and W a = (b·a) a = 0: span{u₀, a} = span{u₀, W u₀} is invariant, and
 * W² = 0, so ρ = 0. With a almost orthogonal to u₀ (u₀·a = 10⁻¹²‖a‖), the plane's second
 * direction q₂ ≈ a/‖a‖ is nearly in W's null space: ‖W q₂‖ ≈ 10⁻¹²‖W u₀‖. The residual of
 * the invariance test is then rounding, ~10⁻¹⁶‖W‖, which the tolerance must judge
 * against W's scale on the plane (‖W u₀‖), not against the tiny ‖W q₂‖.
 */

import { expect, it } from 'vitest';
import { dot, randomUnitVector } from '../src/linalg.ts';
import { spectralRadius } from '../src/spectral.ts';

it('W = abᵀ with W u₀ ∥ a and W a = 0: the plane span{u₀, Wu₀} at iteration 1, ρ ≈ 0', () => {
  const n = 3;
  const u0 = randomUnitVector(n, 0); // spectralRadius's start with the default seed
  // a: a fixed direction made orthogonal to u₀, then tilted by 10⁻¹² towards it
  const v = Float64Array.from([1, 2, -1.5]);
  const along = dot(v, u0);
  const a = v.map((x, i) => x - along * u0[i]!);
  const aNorm = Math.sqrt(dot(a, a));
  for (let i = 0; i < n; i++) a[i]! += 1e-12 * aNorm * u0[i]!;
  // b = u₀ − (u₀·a)/(a·a) a, so b·a = 0 and b·u₀ = 1 − (u₀·a)²/(a·a) ≈ 1
  const ua = dot(u0, a);
  const aa = dot(a, a);
  const b = u0.map((x, i) => x - (ua / aa) * a[i]!);
  const W = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a[i]! * b[j]!));
  const result = spectralRadius(W);
  expect(result).toMatchObject({ method: 'ritz', iterations: 1, converged: true });
  // ρ(W) = 0; found to the tolerance's scale ‖W‖ ≈ ‖a‖‖b‖
  expect(result.value).toBeLessThan(1e-6 * aNorm);
});
