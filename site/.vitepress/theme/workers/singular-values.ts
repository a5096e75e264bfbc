/**
 * All singular values of a small square matrix W, for the spectrum panel: σᵢ = √λᵢ(WᵀW),
 * the eigenvalues of the symmetric matrix WᵀW found by cyclic Jacobi rotations. Each
 * rotation zeroes one off-diagonal entry; sweeps repeat until what is off the diagonal
 * is negligible (quadratic convergence, a handful of sweeps for H ≤ 128).
 *
 * Why singular values: ‖∂h_t/∂h_{t−1}‖ ≤ γ·σ₁(W_hh) (γ bounds the nonlinearity's
 * slope), so σ₁ < 1/γ means the gradient must vanish (Pascanu et al. 2013); the whole
 * spectrum shows how many directions shrink and how fast.
 */

export function singularValues(data: ArrayLike<number>, n: number): number[] {
  // A = WᵀW, symmetric n×n.
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += data[k * n + i]! * data[k * n + j]!;
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n * n; i++) total += A[i]! * A[i]!;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! ** 2;
    if (off <= 1e-22 * total || total === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        // The rotation angle θ with tan 2θ = 2a_pq / (a_qq − a_pp) zeroes a_pq.
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // A ← A·J (columns p and q)
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // A ← Jᵀ·A (rows p and q)
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Math.sqrt(Math.max(0, A[i * n + i]!)));
  return out.sort((a, b) => b - a);
}
