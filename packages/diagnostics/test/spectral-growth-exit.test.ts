/**
 * The 'growth' exit of spectralRadius, worked by hand: for α·Q with Q orthogonal,
 * ‖W u‖ = α for every unit u, so the growth rate is the same at every step. The first
 * step has no earlier rate to compare with; steps 2, 3, …, 11 are ten unchanged rates
 * in a row, the documented count (ten equal steps), so the run stops at iteration 11
 * with ρ = α.
 */

import { expect, it } from 'vitest';
import { spectralRadius } from '../src/spectral.ts';
import { randomOrthogonal } from './reference-linalg.ts';

it('α·Q stops by its growth rate after ten unchanged rates: iteration 11, ρ = α', () => {
  for (const [n, seed, alpha] of [
    [6, 8, 0.7],
    [8, 3, 2.5],
  ] as const) {
    const m = randomOrthogonal(n, seed).map((row) => row.map((v) => alpha * v));
    const result = spectralRadius(m);
    expect(result).toMatchObject({ method: 'growth', iterations: 11, converged: true });
    expect(result.value).toBeAllclose(alpha, { rtol: 1e-12, atol: 0 });
  }
});
