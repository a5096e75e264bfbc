/**
 * softmax and logSoftmax along one axis, both max-shifted.
 *
 * softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ) is unchanged when a constant is subtracted
 * from every xⱼ (it cancels between numerator and denominator). Subtracting the
 * maximum m makes every exponent ≤ 0, so nothing overflows, and one term is
 * exp(0) = 1, so the denominator is at least 1 — inputs of ±1000 are fine.
 *
 * Both are one op with their own rule rather than a composite of exp, sum and div:
 * the rule is one short line and saves three intermediate tensors.
 */

import { aroundAxis, normalizeAxis } from './errors.ts';
import { asTensor, checkTensor, record, type Tensor, type TensorLike } from './tensor.ts';

/**
 * Fills `out` along every line (o, i) of the [outer, n, inner] view with the softmax
 * (`log` false) or the log-softmax (`log` true) of that line of x, shifted by its max.
 */
function softmaxLines(
  x: Float64Array,
  out: Float64Array,
  outer: number,
  n: number,
  inner: number,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * n * inner + i;
      const end = start + n * inner;
      let m = Number.NEGATIVE_INFINITY;
      for (let j = start; j < end; j += inner) {
        // Stryker disable next-line EqualityOperator: on a tie the running maximum is overwritten by an equal value
        if (x[j]! > m) m = x[j]!;
      }
      // NOTE: a line of −∞ has m = −∞ and a line holding +∞ has m = +∞; x − m is then NaN
      // somewhere and the whole line comes out NaN, as PyTorch's does.
      let total = 0;
      if (log) {
        for (let j = start; j < end; j += inner) total += Math.exp(x[j]! - m);
        const logTotal = m + Math.log(total);
        for (let j = start; j < end; j += inner) out[j] = x[j]! - logTotal;
      } else {
        for (let j = start; j < end; j += inner) total += out[j] = Math.exp(x[j]! - m);
        for (let j = start; j < end; j += inner) out[j] = out[j]! / total;
      }
    }
  }
}

/**
 * exp(xᵢ − logsumexp(x)) along `axis`.
 * d(softmax x) = y ⊙ (dy − Σⱼ dyⱼ yⱼ)  (the Jacobian diag(y) − y yᵀ applied to dy)
 */
export function softmax(xLike: TensorLike, axis = -1): Tensor {
  const x = asTensor(xLike);
  checkTensor('softmax', x, 'x');
  const { outer, n, inner } = aroundAxis(x.shape, normalizeAxis('softmax', axis, x.rank));
  const y = new Float64Array(x.size);
  softmaxLines(x.data, y, outer, n, inner, false);
  return record('softmax', y, x.shape, [x], (dy) => {
    const dx = new Float64Array(dy.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const start = o * n * inner + i;
        const end = start + n * inner;
        let dot = 0;
        for (let j = start; j < end; j += inner) dot += dy[j]! * y[j]!;
        for (let j = start; j < end; j += inner) dx[j] = y[j]! * (dy[j]! - dot);
      }
    }
    return [dx];
  });
}

/**
 * xᵢ − logsumexp(x) along `axis`: the log-probabilities, accurate even where the
 * probability itself would underflow to 0.
 * d(logSoftmax x) = dy − softmax(x) Σⱼ dyⱼ
 */
export function logSoftmax(xLike: TensorLike, axis = -1): Tensor {
  const x = asTensor(xLike);
  checkTensor('logSoftmax', x, 'x');
  const { outer, n, inner } = aroundAxis(x.shape, normalizeAxis('logSoftmax', axis, x.rank));
  const y = new Float64Array(x.size);
  softmaxLines(x.data, y, outer, n, inner, true);
  return record('logSoftmax', y, x.shape, [x], (dy) => {
    const dx = new Float64Array(dy.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const start = o * n * inner + i;
        const end = start + n * inner;
        let total = 0;
        for (let j = start; j < end; j += inner) total += dy[j]!;
        for (let j = start; j < end; j += inner) dx[j] = dy[j]! - Math.exp(y[j]!) * total;
      }
    }
    return [dx];
  });
}
