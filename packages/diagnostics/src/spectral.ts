/**
 * The two numbers that govern how a recurrent matrix W stretches vectors when it is
 * applied again and again — as backpropagation through time applies Wᵀ once per step:
 *
 *   σ₁(W)  largest singular value = max ‖Wx‖/‖x‖: the most one step can stretch
 *   ρ(W)   spectral radius = max |λ|: the growth rate of many steps,
 *          ρ(W) = lim ‖Wᵏ‖^(1/k)  (Gelfand's formula), and always ρ ≤ σ₁
 *
 * σ₁ by power iteration on WᵀW: its eigenvalues are the σᵢ², all real and ≥ 0, so
 * plain power iteration converges, at the rate (σ₂/σ₁)² per step.
 *
 * ρ is harder. Plain power iteration on W converges to the dominant eigenvector only
 * when one real eigenvalue dominates. A real matrix's dominant eigenvalues can also be
 * a complex pair re^{±iθ} (random recurrent matrices usually have one) or a pair ±r;
 * then the iterate never settles: it turns inside a 2-D plane. That plane is what
 * we look for. With u the current unit iterate, span{u, Wu} tends to the dominant
 * invariant subspace; we project W onto it (a 2×2 matrix B, Rayleigh–Ritz) and take
 * the eigenvalues of B. When the plane is invariant (W maps it into itself, to
 * tolerance) those are eigenvalues of W, and the larger modulus is ρ. Three ways out:
 *
 *   'rayleigh'  Wu ∥ u: a real dominant eigenvalue, ρ = |uᵀWu|
 *   'ritz'      span{u, Wu} invariant: a complex pair or ±r, ρ from the 2×2 B
 *   'growth'    neither: more than two dominant eigenvalues of equal modulus (W an
 *               orthogonal matrix times α, say). Then ρ is measured as the growth rate
 *               ‖Wu‖ of the normalised iterate, which is exactly constant for a normal
 *               W and is averaged geometrically (ρ ≈ (∏ₖ ‖Wuₖ‖)^(1/K), Gelfand's
 *               formula) when it is not.
 *
 * Limits: a dominant eigenvalue that is defective (a Jordan block) or separated from
 * the next by a tiny gap converges slowly; the result then says converged: false and
 * the value is the growth-rate estimate, whose error shrinks only like 1/K.
 */

import {
  dot,
  type Matrix,
  type MatrixInput,
  matTVec,
  matVec,
  norm,
  randomUnitVector,
  toMatrix,
} from './linalg.ts';

export interface PowerIterationOptions {
  /** Default 5000. */
  maxIterations?: number;
  /** Relative tolerance of the convergence tests. Default 1e-10. */
  tolerance?: number;
  /** Seed of the random start vector. Default 0. */
  seed?: number;
}

export interface SpectralRadiusResult {
  value: number;
  /** How it was found (see the top of this file). */
  method: 'rayleigh' | 'ritz' | 'growth';
  iterations: number;
  converged: boolean;
}

export interface SingularValueResult {
  value: number;
  /** The right singular vector v₁ (unit length): ‖Wv₁‖ = σ₁. */
  vector: Float64Array;
  iterations: number;
  converged: boolean;
}

function options(what: string, o: PowerIterationOptions) {
  const maxIterations = o.maxIterations ?? 5000;
  const tolerance = o.tolerance ?? 1e-10;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`${what}: maxIterations must be a positive integer, got ${maxIterations}`);
  }
  if (!(tolerance > 0 && tolerance < 1)) {
    throw new RangeError(`${what}: tolerance must be in (0, 1), got ${tolerance}`);
  }
  return { maxIterations, tolerance, seed: o.seed ?? 0 };
}

/** The larger modulus of the eigenvalues of [[a, b], [c, d]]. */
export function largestEigenvalueModulus2x2(a: number, b: number, c: number, d: number): number {
  const halfTrace = (a + d) / 2;
  const det = a * d - b * c;
  const discriminant = halfTrace * halfTrace - det;
  // Stryker disable next-line EqualityOperator: at a zero discriminant det = (trace/2)², so √det = |trace/2|, what the real branch returns
  if (discriminant < 0) return Math.sqrt(det); // complex pair: |λ|² = λλ̄ = det
  const root = Math.sqrt(discriminant);
  return Math.max(Math.abs(halfTrace + root), Math.abs(halfTrace - root));
}

/** Spectral radius ρ(W) = max |λᵢ| of a square matrix (see the top of this file). */
export function spectralRadius(
  input: MatrixInput,
  opts: PowerIterationOptions = {},
): SpectralRadiusResult {
  const what = 'spectralRadius';
  const W = toMatrix(input, what);
  if (W.rows !== W.cols) {
    throw new RangeError(`${what}: the matrix must be square, got [${W.rows}, ${W.cols}]`);
  }
  const { maxIterations, tolerance, seed } = options(what, opts);
  const n = W.rows;
  if (n === 0) return { value: 0, method: 'rayleigh', iterations: 0, converged: true };
  let u: Float64Array = randomUnitVector(n, seed);
  let w: Float64Array = new Float64Array(n); // W u
  const q2 = new Float64Array(n);
  const z = new Float64Array(n); // W q2
  const growth: number[] = [];
  let steady = 0; // consecutive steps with an unchanged growth rate

  for (let k = 1; k <= maxIterations; k++) {
    matVec(W, u, w);
    const r = norm(w);
    if (r === 0) return { value: 0, method: 'growth', iterations: k, converged: true }; // Wᵏu = 0
    growth.push(r);

    // Is span{u} invariant? Then u is an eigenvector with the real eigenvalue uᵀWu.
    const a11 = dot(u, w);
    for (let i = 0; i < n; i++) q2[i] = w[i]! - a11 * u[i]!;
    const beta = norm(q2);
    if (beta <= tolerance * r)
      return { value: Math.abs(a11), method: 'rayleigh', iterations: k, converged: true };

    // Is span{u, Wu} = span{q1 = u, q2} invariant? B = QᵀWQ; Wq1 = a11 q1 + beta q2 exactly.
    for (let i = 0; i < n; i++) q2[i]! /= beta;
    matVec(W, q2, z);
    const b12 = dot(u, z);
    const b22 = dot(q2, z);
    let residual = 0; // ‖Wq2 − Q(Qᵀ W q2)‖²
    for (let i = 0; i < n; i++) {
      const e = z[i]! - b12 * u[i]! - b22 * q2[i]!;
      residual += e * e;
    }
    if (Math.sqrt(residual) <= tolerance * Math.max(r, norm(z))) {
      const value = largestEigenvalueModulus2x2(a11, b12, beta, b22);
      return { value, method: 'ritz', iterations: k, converged: true };
    }

    // Is the growth rate ‖Wu‖ constant (a normal W with many equal-modulus eigenvalues)?
    const previous = growth[growth.length - 2];
    // Stryker disable next-line ConditionalExpression: with no previous rate r − undefined is NaN, and a comparison with NaN is false either way
    steady = previous !== undefined && Math.abs(r - previous) <= tolerance * r ? steady + 1 : 0;
    if (steady >= 10) {
      return {
        value: geometricMean(growth.slice(-10)),
        method: 'growth',
        iterations: k,
        converged: true,
      };
    }

    // next power iterate u ← Wu / ‖Wu‖
    const next = w;
    w = u;
    u = next;
    for (let i = 0; i < n; i++) u[i]! /= r;
  }
  // Not converged: the growth rate over the second half, where the start is forgotten.
  return {
    value: geometricMean(growth.slice(Math.floor(growth.length / 2))),
    method: 'growth',
    iterations: maxIterations,
    converged: false,
  };
}

function geometricMean(values: number[]): number {
  let logSum = 0;
  for (const v of values) logSum += Math.log(v);
  return Math.exp(logSum / values.length);
}

/** Largest singular value σ₁(W) of any matrix, by power iteration on WᵀW. */
export function largestSingularValue(
  input: MatrixInput,
  opts: PowerIterationOptions = {},
): SingularValueResult {
  const what = 'largestSingularValue';
  const W: Matrix = toMatrix(input, what);
  const { maxIterations, tolerance, seed } = options(what, opts);
  // BEGIN EXERCISE power-iteration
  let v: Float64Array = randomUnitVector(W.cols, seed);
  const w = new Float64Array(W.rows); // W v
  let y: Float64Array = new Float64Array(W.cols); // Wᵀ W v
  if (W.rows === 0 || W.cols === 0) return { value: 0, vector: v, iterations: 0, converged: true };
  for (let k = 1; k <= maxIterations; k++) {
    matVec(W, v, w);
    const sigma = norm(w); // ‖Wv‖ = √(vᵀWᵀWv), the Rayleigh quotient's root
    // Stryker disable next-line ConditionalExpression, BlockStatement: with σ = 0 the residual test below passes at once and returns the same result
    if (sigma === 0) {
      // v in the null space: W is zero (a random start misses any smaller null space)
      return { value: 0, vector: v, iterations: k, converged: true };
    }
    matTVec(W, w, y);
    // ‖WᵀWv − σ²v‖ ≤ tol·σ²: some eigenvalue of WᵀW is within tol·σ² of σ² (WᵀW is symmetric)
    let residual = 0;
    for (let i = 0; i < W.cols; i++) {
      const e = y[i]! - sigma * sigma * v[i]!;
      residual += e * e;
    }
    if (Math.sqrt(residual) <= tolerance * sigma * sigma) {
      return { value: sigma, vector: v, iterations: k, converged: true };
    }
    const length = norm(y);
    const next = y;
    y = v;
    v = next;
    for (let i = 0; i < W.cols; i++) v[i]! /= length;
  }
  return { value: norm(matVec(W, v, w)), vector: v, iterations: maxIterations, converged: false };
  // END EXERCISE power-iteration
}
