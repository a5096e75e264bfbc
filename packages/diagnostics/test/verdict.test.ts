import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradientVerdict } from '../src/verdict.ts';

/** gₜ = α^(T−t), t = 1..T: what a linear RNN with W_hh = αI gives for a loss at T. */
function geometric(alpha: number, T: number): number[] {
  return Array.from({ length: T }, (_, i) => alpha ** (T - (i + 1)));
}

describe('gradientVerdict', () => {
  it('recovers α as the per-step decay rate of α^(T−t), and α^(T−1) as the ratio', () => {
    const arb = fc.tuple(
      fc.double({ min: 0.2, max: 2, noNaN: true }),
      fc.integer({ min: 2, max: 200 }),
    );
    fc.assert(
      fc.property(arb, ([alpha, T]) => {
        const report = gradientVerdict(geometric(alpha, T));
        expect(report.decayRate).toBeAllclose(alpha, { rtol: 1e-10, atol: 0 });
        expect(report.ratio).toBeAllclose(alpha ** (T - 1), { rtol: 1e-10, atol: 0 });
        expect(report.steps).toBe(T - 1);
      }),
    );
  });

  it('calls 0.9 over 50 steps vanishing, 1.1 exploding and 0.99 healthy, and says why', () => {
    const vanishing = gradientVerdict(geometric(0.9, 50));
    expect(vanishing.verdict).toBe('vanishing');
    expect(vanishing.reason).toBe(
      '‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = 0.00573 < 0.01 over 49 steps (×0.9 per step back)',
    );
    expect(vanishing.stepsPerDecade).toBeAllclose(-1 / Math.log10(0.9));
    const exploding = gradientVerdict(geometric(1.1, 50));
    expect(exploding.verdict).toBe('exploding');
    expect(exploding.reason).toBe(
      '‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = 107 > 100 over 49 steps (×1.1 per step back)',
    );
    const healthy = gradientVerdict(geometric(0.99, 50));
    expect(healthy.verdict).toBe('healthy');
    expect(healthy.reason).toBe(
      '‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = 0.611 over 49 steps (×0.99 per step back), within [0.01, 100]',
    );
  });

  it('writes large and small ratios with powers of ten', () => {
    expect(gradientVerdict(geometric(1.43, 40)).reason).toBe(
      '‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = 1.14e+6 > 100 over 39 steps (×1.43 per step back)',
    );
    expect(gradientVerdict(geometric(0.5, 50)).reason).toBe(
      '‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = 1.78e-15 < 0.01 over 49 steps (×0.5 per step back)',
    );
  });

  it('uses the thresholds it is given', () => {
    const g = geometric(0.9, 50);
    expect(gradientVerdict(g, { vanishingRatio: 1e-3 }).verdict).toBe('healthy');
    expect(gradientVerdict(g, { vanishingRatio: 1e-3 }).thresholds).toEqual({
      vanishingRatio: 1e-3,
      explodingRatio: 100,
    });
  });

  it('calls any non-finite norm exploding and names the first timestep where it appears', () => {
    const report = gradientVerdict([1, Number.POSITIVE_INFINITY, Number.NaN, 2]);
    expect(report.verdict).toBe('exploding');
    expect(report.firstNonFinite).toBe(2);
    expect(report.reason).toBe('‖∂L/∂hₜ‖ is Infinity at t = 2, the first non-finite value');
  });

  it('counts a gradient that underflowed to 0 at t = 1 as vanishing', () => {
    const report = gradientVerdict([0, 1e-20, 1]);
    expect(report.verdict).toBe('vanishing');
    expect(report.decayRate).toBe(0);
  });

  it('refuses what it cannot judge', () => {
    expect(() => gradientVerdict([1])).toThrow(
      'gradientVerdict: need gradient norms for at least 2 timesteps, got 1',
    );
    expect(() => gradientVerdict([1, 0])).toThrow(
      'gradientVerdict: the gradient at the last timestep (t = 2) is 0, so there is no signal to follow back in time',
    );
    expect(() => gradientVerdict([1, -1, 1])).toThrow(
      'gradientVerdict: a norm cannot be negative, got -1 at t = 2',
    );
    expect(() => gradientVerdict([1, 1], { vanishingRatio: 2 })).toThrow(
      'gradientVerdict: need 0 < vanishingRatio < 1 < explodingRatio, got 2 and 100',
    );
  });
});
