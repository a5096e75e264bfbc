/**
 * fast-check arbitraries for the property tests of every package: shapes, values,
 * values kept away from kinks, broadcast-compatible and matmul-compatible shapes.
 *
 * Values are drawn as doubles in a range and never NaN or infinite. Kinks (the 0 of
 * relu and abs, the bounds of clamp) are avoided: a draw closer than `margin` to a
 * kink is rejected and drawn again, because a central difference that straddles a
 * kink measures the average of two slopes, not the derivative.
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

export interface ValueOptions {
  min?: number;
  max?: number;
  /** Points to keep away from, e.g. [0] for relu and abs. */
  avoid?: readonly number[];
  /** Minimum distance from every point in `avoid`. */
  margin?: number;
}

/** One double in [min, max], at least `margin` away from each point in `avoid`. */
export function value({ min = -2, max = 2, avoid = [], margin = 0.05 }: ValueOptions = {}) {
  const raw = fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .map((x) => (Object.is(x, -0) ? 0 : x)); // −0 is the point 0; it would only print oddly
  if (avoid.length === 0) return raw;
  return raw.filter((x) => avoid.every((k) => Math.abs(x - k) >= margin));
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
