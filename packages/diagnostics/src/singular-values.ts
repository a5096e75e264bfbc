/**
 * Every singular value of a small dense matrix W (rows × cols, row-major):
 * σᵢ = √λᵢ(WᵀW), the eigenvalues of the symmetric matrix WᵀW found by cyclic Jacobi
 * rotations. Each rotation zeroes one off-diagonal entry; sweeps repeat until what is
 * off the diagonal is negligible (quadratic convergence: a handful of sweeps for
 * n ≤ 128). Power iteration (spectral.ts) finds σ₁ alone and scales to big matrices;
 * this finds the whole spectrum of a small one, and is the independent check of it.
 *
 * Why singular values: ‖∂h_t/∂h_{t−1}‖ ≤ γ·σ₁(W_hh) (γ bounds the nonlinearity's slope),
 * so σ₁ < 1/γ means the gradient must vanish (Pascanu et al. 2013); the whole spectrum
 * shows how many directions shrink and how fast.
 */

/** σ₁ ≥ σ₂ ≥ … ≥ σ_cols of W, largest first. */
export function singularValues(data: ArrayLike<number>, rows: number, cols: number): number[] {
  if (data.length !== rows * cols) {
    throw new Error(
      `singularValues: data has ${data.length} entries, a ${rows}×${cols} matrix has ${rows * cols}`,
    );
  }
  const n = cols;
  // A = WᵀW, symmetric n×n: A[i][j] = Σ_r W[r][i]·W[r][j].
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += data[r * n + i]! * data[r * n + j]!;
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  for (let sweep = 0; sweep < 60; sweep++) {
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
