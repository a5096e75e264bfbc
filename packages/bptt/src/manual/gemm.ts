/**
 * TEMPORARY stand-in with @unroll/tensor's `gemm` signature, until that package lands.
 * c[m×n] = op(a)·op(b) (+ c with accumulate), row-major.
 */
export interface GemmOptions {
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  accumulate?: boolean;
}

export function gemm(
  c: Float64Array,
  a: Float64Array,
  b: Float64Array,
  { m, n, k, transA = false, transB = false, accumulate = false }: GemmOptions,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  if (!transA && !transB) {
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p]!;
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
      }
    }
  } else if (!transA && transB) {
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        c[i * n + j]! += s;
      }
    }
  } else if (transA && !transB) {
    for (let p = 0; p < k; p++) {
      const ap = p * m;
      const bp = p * n;
      for (let i = 0; i < m; i++) {
        const api = a[ap + i]!;
        if (api === 0) continue;
        const ci = i * n;
        for (let j = 0; j < n; j++) c[ci + j]! += api * b[bp + j]!;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[p * m + i]! * b[j * k + p]!;
        c[i * n + j]! += s;
      }
    }
  }
}
