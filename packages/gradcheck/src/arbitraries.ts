/**
 * fast-check arbitraries for the property tests of every package: shapes, values,
 * values kept away from kinks, broadcast-compatible and matmul-compatible shapes.
 *
 * Values are drawn in a range, never NaN or infinite, and by default have ordinary
 * sizes: spread over the interval, not over the floating-point exponents (see `value`
 * for the mix and why). Kinks (the 0 of relu and abs, the bounds of clamp) are
 * avoided: a draw closer than `margin` to a kink is rejected and drawn again, because
 * a central difference that straddles a kink measures the average of two slopes, not
 * the derivative.
 */

import fc from 'fast-check';

export interface ShapeOptions {
  minRank?: number;
  maxRank?: number;
  minDim?: number;
  maxDim?: number;
}

/** A tensor shape: `rank` dims, each in [minDim, maxDim]. Rank 0 is a scalar. */
export function shape({
  minRank = 0,
  maxRank = 3,
  minDim = 1,
  maxDim = 4,
}: ShapeOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), {
    minLength: minRank,
    maxLength: maxRank,
  });
}

/** Number of entries of a shape (1 for a scalar). */
export function sizeOf(dims: readonly number[]): number {
  let size = 1;
  for (const d of dims) size *= d;
  return size;
}

/**
 * How values spread over [min, max].
 *
 * - `'ordinary'` (the default): mostly numbers of the size a network meets, some small
 *   ones, and a few deliberate edge values; see `value`.
 * - `'uniform'`: uniform over [min, max], nothing else.
 * - `'exponent'`: fast-check's own `fc.double`, which spreads its draws over the
 *   floating-point exponents rather than over the interval, so that most draws in
 *   [−2, 2] are smaller than 10⁻⁶ in magnitude. Useful to probe tiny and subnormal
 *   inputs on purpose; useless as the default, because near 0 a missing term of a
 *   gradient falls below atol and a wrong product rule looks right.
 */
export type ValueDistribution = 'ordinary' | 'uniform' | 'exponent';

export interface ValueOptions {
  min?: number;
  max?: number;
  /** Points to keep away from, e.g. [0] for relu and abs. */
  avoid?: readonly number[];
  /** Minimum distance from every point in `avoid`. */
  margin?: number;
  /** How the draws spread over [min, max]; `'ordinary'` unless a test needs another. */
  distribution?: ValueDistribution;
}

/**
 * A uniform draw in [lo, hi] on a grid of 2³⁰ steps. Built on an integer because
 * `fc.double` is not uniform: it picks exponents, then mantissas.
 */
function uniformIn(lo: number, hi: number): fc.Arbitrary<number> {
  const steps = 2 ** 30;
  // noBias: fast-check otherwise favours integers near the bounds, i.e. lo and hi.
  return fc.noBias(fc.integer({ min: 0, max: steps })).map((i) => lo + (hi - lo) * (i / steps));
}

/** The smallest magnitude the log-uniform share reaches: three decades below 1. */
const SMALLEST_ORDINARY = 1e-3;

/**
 * A magnitude log-uniform in [lo, hi] (equal chance for each decade), with the sign
 * given. Falls back to uniform when the interval is too narrow to span decades.
 */
function logUniformIn(lo: number, hi: number, sign: 1 | -1): fc.Arbitrary<number> {
  const from = Math.max(lo, SMALLEST_ORDINARY);
  if (!(from < hi)) return uniformIn(lo, hi).map((m) => sign * m);
  return uniformIn(Math.log(from), Math.log(hi)).map((l) => sign * Math.min(hi, Math.exp(l)));
}

/**
 * The edge values worth a deliberate share of draws: 0, ±1, the interval's ends, and
 * points exactly `margin` away from each avoided kink (nudged outward by a hair so
 * rounding cannot put them inside). Only those in [min, max] are kept.
 */
function edgeValues(min: number, max: number, avoid: readonly number[], margin: number) {
  const nudge = margin * (1 + 1e-9);
  const candidates = [0, 1, -1, min, max, ...avoid.flatMap((k) => [k - nudge, k + nudge])];
  return [...new Set(candidates)].filter((x) => x >= min && x <= max);
}

/**
 * One double in [min, max], at least `margin` away from each point in `avoid`.
 *
 * The default (`'ordinary'`) mix, by weight:
 * - 80 uniform over [min, max]: on [−2, 2] this makes 95% of draws at least 0.1 in
 *   magnitude, the scale of weights and activations, where a missing term of a
 *   gradient is as large as the terms that are there;
 * - 15 log-uniform in magnitude from 10⁻³ (or from the interval's near end) to its far
 *   end, with either sign when the interval spans 0: small inputs, where a wrong
 *   relative error or a term scaled by x still shows above atol = 10⁻⁵;
 * - 5 edge values (see `edgeValues`): 0 where the op allows it, ±1, the ends, and
 *   points right at a kink's margin, the places where special cases live.
 */
export function value({
  min = -2,
  max = 2,
  avoid = [],
  margin = 0.05,
  distribution = 'ordinary',
}: ValueOptions = {}): fc.Arbitrary<number> {
  if (!(min <= max)) throw new Error(`value: min must be ≤ max, got min ${min}, max ${max}`);
  let raw: fc.Arbitrary<number>;
  if (distribution === 'exponent') {
    raw = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  } else if (distribution === 'uniform') {
    raw = uniformIn(min, max);
  } else {
    // Small magnitudes for each sign the interval allows.
    const small: fc.Arbitrary<number>[] = [];
    if (max > 0) small.push(logUniformIn(Math.max(min, 0), max, 1));
    if (min < 0) small.push(logUniformIn(Math.max(-max, 0), -min, -1));
    const edges = edgeValues(min, max, avoid, margin).filter((x) =>
      avoid.every((k) => Math.abs(x - k) >= margin),
    );
    const parts: fc.WeightedArbitrary<number>[] = [{ arbitrary: uniformIn(min, max), weight: 80 }];
    if (small.length > 0) parts.push({ arbitrary: fc.oneof(...small), weight: 15 });
    if (edges.length > 0) parts.push({ arbitrary: fc.constantFrom(...edges), weight: 5 });
    raw = fc.oneof(...parts);
  }
  const clean = raw.map((x) => (Object.is(x, -0) ? 0 : x)); // −0 is the point 0; it would only print oddly
  if (avoid.length === 0) return clean;
  return clean.filter((x) => avoid.every((k) => Math.abs(x - k) >= margin));
}

/** A Float64Array of exactly `length` values drawn as by `value`. */
export function float64Array(length: number, options: ValueOptions = {}) {
  return fc
    .array(value(options), { minLength: length, maxLength: length })
    .map((xs) => Float64Array.from(xs));
}

/** A shape together with values to fill it. */
export function shapedValues(shapeOptions: ShapeOptions = {}, valueOptions: ValueOptions = {}) {
  return shape(shapeOptions).chain((dims) =>
    float64Array(sizeOf(dims), valueOptions).map((values) => ({ shape: dims, values })),
  );
}

/**
 * Two shapes that broadcast together (NumPy rules: align from the right; each pair of
 * dims is equal or one of them is 1; missing leading dims count as 1). Built from a
 * common shape `result` by dropping leading dims and turning some dims into 1, so both
 * also broadcast with `result`. Their own broadcast is `result` itself, or smaller
 * where both turned a dim into 1 or dropped it.
 */
export function broadcastableShapes(options: ShapeOptions = {}) {
  return shape({ minRank: 0, maxRank: 3, ...options }).chain((result) => {
    const derived = fc
      .tuple(
        fc.integer({ min: 0, max: result.length }),
        fc.array(fc.boolean(), { minLength: result.length, maxLength: result.length }),
      )
      .map(([dropped, ones]) => result.map((d, i) => (ones[i] ? 1 : d)).slice(dropped));
    return fc.tuple(derived, derived).map(([a, b]) => ({ a, b, result }));
  });
}

export interface MatmulShapeOptions {
  maxDim?: number;
  /** Allow a leading batch dimension (3-D matmul). */
  batched?: boolean;
}

/** Shapes [.., m, k] and [.., k, n] for a matrix product. */
export function matmulShapes({ maxDim = 5, batched = false }: MatmulShapeOptions = {}) {
  const dim = fc.integer({ min: 1, max: maxDim });
  return fc
    .record({ batch: batched ? dim : fc.constant(0), m: dim, k: dim, n: dim })
    .map(({ batch, m, k, n }) => ({
      m,
      k,
      n,
      a: batch > 0 ? [batch, m, k] : [m, k],
      b: batch > 0 ? [batch, k, n] : [k, n],
    }));
}

/** A seed for a seeded generator (a non-negative 32-bit integer). */
export function seed() {
  return fc.integer({ min: 0, max: 0x7fffffff });
}
