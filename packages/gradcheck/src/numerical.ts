/**
 * Central finite differences: the independent judge of every gradient in unroll.
 *
 *   ∂f/∂xᵢ ≈ (f(x + ε·eᵢ) − f(x − ε·eᵢ)) / 2ε
 *
 * Taylor-expanding f around x, the even terms cancel, so the truncation error is
 * ε²·|f‴|/6 = O(ε²) (the one-sided difference (f(x + ε) − f(x)) / ε only reaches O(ε)).
 * Round-off grows like δ/ε, with δ ≈ 1e-16·|f| in float64. At ε = 1e-6 truncation is
 * near 1e-13 and round-off near 1e-10 (the two balance a little higher, near ε = 5e-6):
 * both far below the tolerances we check with.
 */

/** A function of a flat vector of parameters to a single number (a loss). */
export type ScalarFunction = (x: Float64Array) => number;

/** A function of a flat vector to a flat vector of outputs. */
export type VectorFunction = (x: Float64Array) => Float64Array;

export interface DifferenceOptions {
  /** Step size of the central difference (absolute, as in PyTorch's gradcheck). */
  eps?: number;
}

export const DEFAULT_EPS = 1e-6;

/**
 * The gradient of `f` at `x` by central differences. `x` is probed in place, one entry
 * at a time, and every entry is restored to its exact original bits afterwards.
 */
export function numericalGradient(
  f: ScalarFunction,
  x: Float64Array,
  { eps = DEFAULT_EPS }: DifferenceOptions = {},
): Float64Array {
  checkEps(eps);
  const gradient = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const original = x[i]!;
    x[i] = original + eps;
    const fPlus = f(x);
    x[i] = original - eps;
    const fMinus = f(x);
    x[i] = original; // restore the saved value itself, not original + eps − eps
    // eq. 1.3 — the central difference
    gradient[i] = (fPlus - fMinus) / (2 * eps);
  }
  return gradient;
}

/**
 * The Jacobian of `f` at `x` by central differences, row-major with shape
 * [outputs, inputs]: entry (r, c) is ∂f_r/∂x_c. Costs two evaluations of `f` per input.
 */
export function numericalJacobian(
  f: VectorFunction,
  x: Float64Array,
  { eps = DEFAULT_EPS }: DifferenceOptions = {},
): { jacobian: Float64Array; rows: number; cols: number } {
  checkEps(eps);
  const cols = x.length;
  const rows = f(x).length;
  const jacobian = new Float64Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    const original = x[c]!;
    x[c] = original + eps;
    // Copies of both outputs: f may return a buffer it reuses, or x itself (the identity),
    // which the restore below would otherwise change under our feet.
    const plus = Float64Array.from(f(x));
    x[c] = original - eps;
    const minus = Float64Array.from(f(x));
    x[c] = original;
    if (plus.length !== rows || minus.length !== rows) {
      throw new RangeError(
        `numericalJacobian: f returned ${plus.length} and ${minus.length} outputs, expected ${rows}`,
      );
    }
    for (let r = 0; r < rows; r++) {
      jacobian[r * cols + c] = (plus[r]! - minus[r]!) / (2 * eps);
    }
  }
  return { jacobian, rows, cols };
}

function checkEps(eps: number): void {
  if (!(eps > 0) || !Number.isFinite(eps)) {
    throw new RangeError(`eps must be a finite number > 0, got ${eps}`);
  }
}
