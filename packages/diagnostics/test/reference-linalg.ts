/**
 * Independent references for the spectral tests: matrices built with a known
 * spectrum, and the cyclic Jacobi method for the eigenvalues of a symmetric matrix
 * (a different algorithm from the power iterations under test).
 */

import { Rng } from '@unroll/tensor';

export type Dense = number[][];

export function multiply(a: Dense, b: Dense): Dense {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

export function transpose(a: Dense): Dense {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

export function diagonal(values: readonly number[]): Dense {
  return values.map((v, i) => values.map((_, j) => (i === j ? v : 0)));
}

/** A random orthogonal matrix: Gram–Schmidt on the columns of a Gaussian matrix. */
export function randomOrthogonal(n: number, seed: number): Dense {
  const rng = new Rng(seed);
  const columns: number[][] = [];
  while (columns.length < n) {
    const v = Array.from({ length: n }, () => rng.normal());
    for (const q of columns) {
      const d = q.reduce((s, qi, i) => s + qi * v[i]!, 0);
      for (let i = 0; i < n; i++) v[i]! -= d * q[i]!;
    }
    const length = Math.hypot(...v);
    if (length > 1e-8) columns.push(v.map((x) => x / length));
  }
  return transpose(columns);
}

/** Block-diagonal matrix whose blocks are r·R(θ) (eigenvalues r·e^{±iθ}) and 1×1 reals. */
export function blockDiagonal(blocks: readonly ({ r: number; theta: number } | number)[]): Dense {
  const n = blocks.reduce<number>((s, b) => s + (typeof b === 'number' ? 1 : 2), 0);
  const m: Dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let k = 0;
  for (const b of blocks) {
    if (typeof b === 'number') {
      m[k]![k] = b;
      k += 1;
    } else {
      const c = b.r * Math.cos(b.theta);
      const s = b.r * Math.sin(b.theta);
      m[k]![k] = c;
      m[k]![k + 1] = -s;
      m[k + 1]![k] = s;
      m[k + 1]![k + 1] = c;
      k += 2;
    }
  }
  return m;
}

/**
 * S·D·S⁻¹ with S = Q₁·diag(s)·Q₂ (so S⁻¹ = Q₂ᵀ·diag(1/s)·Q₁ᵀ): same eigenvalues as D,
 * but not normal, so its eigenvectors are not orthogonal.
 */
export function similar(d: Dense, seed: number, spread = 2): Dense {
  const n = d.length;
  const rng = new Rng(seed + 1000);
  const q1 = randomOrthogonal(n, seed);
  const q2 = randomOrthogonal(n, seed + 1);
  const s = Array.from({ length: n }, () => spread ** (2 * rng.uniform() - 1));
  const S = multiply(multiply(q1, diagonal(s)), q2);
  const inverse = multiply(multiply(transpose(q2), diagonal(s.map((x) => 1 / x))), transpose(q1));
  return multiply(multiply(S, d), inverse);
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations. */
export function symmetricEigenvalues(a: Dense): number[] {
  const n = a.length;
  const m = a.map((row) => [...row]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        // rotation angle that zeroes m[p][q]: tan 2φ = 2 a_pq / (a_qq − a_pp)
        const phi = 0.5 * Math.atan2(2 * apq, m[q]![q]! - m[p]![p]!);
        const c = Math.cos(phi);
        const s = Math.sin(phi);
        for (let k = 0; k < n; k++) {
          const mkp = m[k]![p]!;
          const mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p]![k]!;
          const mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
      }
    }
  }
  return m.map((row, i) => row[i]!).sort((x, y) => x - y);
}

/** Largest singular value = √(largest eigenvalue of AᵀA), by Jacobi. */
export function referenceSigma1(a: Dense): number {
  const eig = symmetricEigenvalues(multiply(transpose(a), a));
  return Math.sqrt(Math.max(0, eig[eig.length - 1]!));
}
