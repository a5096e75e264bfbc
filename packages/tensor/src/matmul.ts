/**
 * Matrix products: `matmul` (vectors, matrices, batches) and `linear` (x Wᵀ + b).
 *
 * For C = A B with A [m, k] and B [k, n], Cᵢⱼ = Σₚ Aᵢₚ Bₚⱼ, so
 *   ∂L/∂Aᵢₚ = Σⱼ ∂L/∂Cᵢⱼ · Bₚⱼ   that is   dA = dC Bᵀ   [m, n]·[n, k]
 *   ∂L/∂Bₚⱼ = Σᵢ Aᵢₚ · ∂L/∂Cᵢⱼ   that is   dB = Aᵀ dC   [k, m]·[m, n]
 * The transposes are never materialised: `gemm` reads an operand transposed when
 * told to (transA / transB), so the backward pass is two more gemm calls.
 */

import { formatShape, ShapeError, sameShape, sizeOf } from './errors.ts';
import { gemm } from './gemm-select.ts';
import { checkTensor, record, type Tensor } from './tensor.ts';

/** A fresh array of `size` entries holding op(a)·op(b). */
function product(
  size: number,
  a: Float64Array,
  b: Float64Array,
  options: Parameters<typeof gemm>[3],
): Float64Array {
  const c = new Float64Array(size);
  gemm(c, a, b, options);
  return c;
}

/**
 * The matrix product with PyTorch's rules: 1-D·1-D is a dot product; a 1-D a is a
 * row vector [1, k] and a 1-D b a column [k, 1], the added dim removed from the
 * result; beyond two dims the leading dims are a batch, equal in both operands, or
 * present in only one of them (the other matrix is used for every batch entry).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', a, 'a');
  checkTensor('matmul', b, 'b');
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(
      `matmul: both operands need at least one dim, got a ${formatShape(a.shape)}, b ${formatShape(b.shape)} (use mul for scalars)`,
    );
  }
  // A vector has the same row-major layout as a one-row or one-column matrix.
  const aMatrix = a.rank === 1 ? [1, a.shape[0]!] : a.shape;
  const bMatrix = b.rank === 1 ? [b.shape[0]!, 1] : b.shape;
  const m = aMatrix[aMatrix.length - 2]!;
  const k = aMatrix[aMatrix.length - 1]!;
  const n = bMatrix[bMatrix.length - 1]!;
  if (bMatrix[bMatrix.length - 2] !== k) {
    throw new ShapeError(
      `matmul: inner dimensions differ: a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)}`,
    );
  }
  const aBatch = aMatrix.slice(0, -2);
  const bBatch = bMatrix.slice(0, -2);
  if (aBatch.length > 0 && bBatch.length > 0 && !sameShape(aBatch, bBatch)) {
    throw new ShapeError(
      `matmul: batch dimensions differ: a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)}`,
    );
  }
  const batch = aBatch.length > 0 ? aBatch : bBatch;
  const shape = [...batch];
  if (a.rank > 1) shape.push(m);
  if (b.rank > 1) shape.push(n);

  const A = a.data;
  const B = b.data;
  const out = new Float64Array(sizeOf(batch) * m * n);
  if (bBatch.length === 0) {
    // One matrix B: stack A's batch into rows, [batch·m, k]·[k, n], one call.
    const rows = sizeOf(aBatch) * m;
    gemm(out, A, B, { m: rows, n, k });
    // eq. 3.2 — dA = dC Bᵀ
    // eq. 3.3 — dB = Aᵀ dC
    return record('matmul', out, shape, [a, b], (dC) => [
      a.requiresGrad ? product(A.length, dC, B, { m: rows, n: k, k: n, transB: true }) : null,
      b.requiresGrad ? product(B.length, A, dC, { m: k, n, k: rows, transA: true }) : null,
    ]);
  }
  // B has a batch: one product per entry; a shared A (no batch) gets the sum of its gradients.
  const count = sizeOf(bBatch);
  // Stryker disable next-line ArithmeticOperator: the stride is only ever compared with 0 (shared A or not), and m/k is not 0 either
  const aStride = aBatch.length > 0 ? m * k : 0;
  const slice = (x: Float64Array, i: number, stride: number) =>
    x.subarray(i * stride, (i + 1) * stride);
  for (let i = 0; i < count; i++) {
    const Ai = aStride > 0 ? slice(A, i, m * k) : A;
    gemm(slice(out, i, m * n), Ai, slice(B, i, k * n), { m, n, k });
  }
  return record('matmul', out, shape, [a, b], (dC) => {
    const dA = a.requiresGrad ? new Float64Array(A.length) : null;
    const dB = b.requiresGrad ? new Float64Array(B.length) : null;
    for (let i = 0; i < count; i++) {
      const dCi = slice(dC, i, m * n);
      if (dA !== null) {
        const target = aStride > 0 ? slice(dA, i, m * k) : dA;
        gemm(target, dCi, slice(B, i, k * n), { m, n: k, k: n, transB: true, accumulate: true });
      }
      if (dB !== null) {
        const Ai = aStride > 0 ? slice(A, i, m * k) : A;
        gemm(slice(dB, i, k * n), Ai, dCi, { m: k, n, k: m, transA: true });
      }
    }
    return [dA, dB];
  });
}

/**
 * y = x Wᵀ + b, PyTorch's layout: x [..., in], weight [out, in], bias [out].
 * Computed as one gemm with transB (W is never copied), the bias written first and
 * the product accumulated onto it.
 *   dx = dy W      dW = dyᵀ x      db = Σ over rows of dy
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor('linear', x, 'x');
  checkTensor('linear', weight, 'weight');
  if (weight.rank !== 2) {
    throw new ShapeError(`linear: weight must be 2-D [out, in], got ${formatShape(weight.shape)}`);
  }
  const [outFeatures, inFeatures] = weight.shape as [number, number];
  // Stryker disable next-line ConditionalExpression: a scalar x has x.shape[−1] undefined, which the second test already refuses with the same error
  if (x.rank === 0 || x.shape[x.rank - 1] !== inFeatures) {
    throw new ShapeError(
      `linear: x must end in ${inFeatures} features to match weight ${formatShape(weight.shape)}, got x ${formatShape(x.shape)}`,
    );
  }
  if (bias !== undefined && bias !== null) {
    checkTensor('linear', bias, 'bias');
    if (!sameShape(bias.shape, [outFeatures])) {
      throw new ShapeError(
        `linear: bias must have shape [${outFeatures}] to match weight ${formatShape(weight.shape)}, got ${formatShape(bias.shape)}`,
      );
    }
  }
  const rows = sizeOf(x.shape.slice(0, -1)); // every leading dim is a batch of rows
  const X = x.data;
  const W = weight.data;
  const y = new Float64Array(rows * outFeatures);
  if (bias) for (let r = 0; r < rows; r++) y.set(bias.data, r * outFeatures);
  gemm(y, X, W, { m: rows, n: outFeatures, k: inFeatures, transB: true, accumulate: !!bias });
  const shape = [...x.shape.slice(0, -1), outFeatures];
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record('linear', y, shape, inputs, (dy) => {
    const dx = x.requiresGrad
      ? product(X.length, dy, W, { m: rows, n: inFeatures, k: outFeatures })
      : null;
    const dW = weight.requiresGrad
      ? product(W.length, dy, X, {
          m: outFeatures,
          n: inFeatures,
          k: rows,
          transA: true,
        })
      : null;
    const db = bias?.requiresGrad ? sumRows(dy, rows, outFeatures) : null;
    return [dx, dW, db];
  });
}

/**
 * db = Σ over rows of dy [rows, cols]. Four rows per pass over the columns, so each
 * running sum is loaded and stored once per four additions; every column still adds
 * its rows in order r = 0, 1, 2, … (the same bits as one row at a time).
 */
export function sumRows(dy: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const at = r * cols;
    for (let j = 0; j < cols; j++) {
      const k = at + j;
      out[j] = out[j]! + dy[k]! + dy[k + cols]! + dy[k + 2 * cols]! + dy[k + 3 * cols]!;
    }
  }
  for (; r < rows; r++) {
    for (let j = 0; j < cols; j++) out[j]! += dy[r * cols + j]!;
  }
  return out;
}
