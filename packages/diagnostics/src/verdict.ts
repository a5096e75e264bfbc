/**
 * The verdict: is the gradient signal that enters at the last timestep still there
 * when it reaches the first?
 *
 * Given gₜ = ‖∂L/∂hₜ‖ for t = 1..T (or the Jacobian norms ‖∂h_T/∂hₜ‖, which measure
 * the same propagation without the loss), the numbers are
 *
 *   ratio     = g₁ / g_T                      how much of the signal survives T − 1 steps
 *   decayRate = ratio^(1/(T−1))               the geometric mean of the per-step factors
 *             = (∏ₜ gₜ / gₜ₊₁)^(1/(T−1))      gₜ/gₜ₊₁, so < 1 means shrinking backwards in time
 *   stepsPerDecade = −1 / log₁₀(decayRate)    how many steps back the gradient loses 10×
 *
 * and the thresholds (defaults, both overridable):
 *
 *   exploding   some gₜ is NaN or ±∞, or ratio > 100   (grows more than 100× going back)
 *   vanishing   ratio < 0.01                            (less than 1% reaches t = 1)
 *   healthy     otherwise
 *
 * The thresholds are about the whole sequence, on purpose: a per-step factor of 0.9
 * is harmless over 10 steps (0.35 survives) and fatal over 100 (2.7·10⁻⁵). Read the
 * verdict for the sequence length you train on. With a loss at every timestep, gₜ
 * also collects the loss's direct contribution at t, which hides the decay of the
 * long-range part: judge the Jacobian norms ‖∂h_T/∂hₜ‖ instead.
 */

export type GradientVerdict = 'vanishing' | 'exploding' | 'healthy';

export interface VerdictThresholds {
  /** Vanishing when g₁ / g_T is below this. Default 1e-2. */
  vanishingRatio?: number;
  /** Exploding when g₁ / g_T is above this. Default 1e2. */
  explodingRatio?: number;
}

export interface VerdictReport {
  verdict: GradientVerdict;
  /** One sentence with the numbers that decided it. */
  reason: string;
  /** g₁ / g_T. */
  ratio: number;
  /** ratio^(1/(T−1)): the average factor per step back in time. */
  decayRate: number;
  /** Steps back over which the gradient changes 10×; Infinity when decayRate is 1. */
  stepsPerDecade: number;
  /** T − 1, the number of steps the signal travels. */
  steps: number;
  first: number;
  last: number;
  min: number;
  max: number;
  /** Timestep (1-based) of the first non-finite norm, or null. */
  firstNonFinite: number | null;
  thresholds: Required<VerdictThresholds>;
}

export const DEFAULT_THRESHOLDS: Required<VerdictThresholds> = {
  vanishingRatio: 1e-2,
  explodingRatio: 1e2,
};

/** Three significant digits; powers of ten written out beyond 10⁴ and below 10⁻³. */
function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e4 || size < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(3)).toString();
}

/** Judges a series gₜ, t = 1..T, of gradient norms (index 0 is t = 1). */
export function gradientVerdict(
  norms: ArrayLike<number>,
  thresholds: VerdictThresholds = {},
): VerdictReport {
  const limits = { ...DEFAULT_THRESHOLDS, ...thresholds };
  if (!(limits.vanishingRatio > 0 && limits.vanishingRatio < 1 && limits.explodingRatio > 1)) {
    throw new RangeError(
      `gradientVerdict: need 0 < vanishingRatio < 1 < explodingRatio, got ${limits.vanishingRatio} and ${limits.explodingRatio}`,
    );
  }
  const T = norms.length;
  if (T < 2) {
    throw new RangeError(`gradientVerdict: need gradient norms for at least 2 timesteps, got ${T}`);
  }
  let min = Infinity;
  let max = -Infinity;
  let firstNonFinite: number | null = null;
  for (let t = 0; t < T; t++) {
    const g = norms[t]!;
    if (!Number.isFinite(g)) {
      firstNonFinite ??= t + 1;
      continue;
    }
    if (g < 0)
      throw new RangeError(`gradientVerdict: a norm cannot be negative, got ${g} at t = ${t + 1}`);
    if (g < min) min = g;
    if (g > max) max = g;
  }
  const first = norms[0]!;
  const last = norms[T - 1]!;
  const steps = T - 1;
  const ratio = first / last;
  const decayRate = ratio ** (1 / steps);
  const stepsPerDecade = decayRate === 1 ? Infinity : -1 / Math.log10(decayRate);
  const base = {
    ratio,
    decayRate,
    stepsPerDecade,
    steps,
    first,
    last,
    min,
    max,
    firstNonFinite,
    thresholds: limits,
  };

  if (firstNonFinite !== null) {
    return {
      ...base,
      verdict: 'exploding',
      reason: `‖∂L/∂hₜ‖ is ${fmt(norms[firstNonFinite - 1]!)} at t = ${firstNonFinite}, the first non-finite value`,
    };
  }
  if (last === 0) {
    throw new RangeError(
      `gradientVerdict: the gradient at the last timestep (t = ${T}) is 0, so there is no signal to follow back in time`,
    );
  }
  const ratioText = `‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ = ${fmt(ratio)}`;
  const rateText = `over ${steps} steps (×${fmt(decayRate)} per step back)`;
  if (ratio < limits.vanishingRatio) {
    return {
      ...base,
      verdict: 'vanishing',
      reason: `${ratioText} < ${fmt(limits.vanishingRatio)} ${rateText}`,
    };
  }
  if (ratio > limits.explodingRatio) {
    return {
      ...base,
      verdict: 'exploding',
      reason: `${ratioText} > ${fmt(limits.explodingRatio)} ${rateText}`,
    };
  }
  return {
    ...base,
    verdict: 'healthy',
    reason: `${ratioText} ${rateText}, within [${fmt(limits.vanishingRatio)}, ${fmt(limits.explodingRatio)}]`,
  };
}
