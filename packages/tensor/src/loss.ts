/**
 * Losses — crossEntropy, mse, binaryCrossEntropyWithLogits — and dropout.
 *
 * Cross-entropy over logits z with target class t:
 *   L = −log softmax(z)_t = logsumexp(z) − z_t
 *   ∂L/∂z_c = softmax(z)_c − [c = t] = p_c − y_c
 * (the derivative of logsumexp is softmax; of z_t, the one-hot y). That one
 * subtraction is the fused backward rule below: no softmax Jacobian is ever formed.
 */

import { mul, sub } from './binary.ts';
import { formatShape, ShapeError, sameShape } from './errors.ts';
import { checkRng, type Rng } from './random.ts';
import { mean, sum } from './reduce.ts';
import { asTensor, checkTensor, record, Tensor, type TensorLike } from './tensor.ts';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default) averages the per-entry losses, 'sum' adds them, 'none' keeps them. */
  reduction?: Reduction;
}

export interface CrossEntropyOptions extends LossOptions {
  /** Rows whose target is this value add no loss and do not count in the mean (default −100). */
  ignoreIndex?: number;
}

function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new RangeError(
      `${op}: reduction must be 'mean', 'sum' or 'none', got ${String(reduction)}`,
    );
  }
  return reduction;
}

/**
 * Cross-entropy of logits [N, C] against integer class targets (length N), with the
 * max-shifted logsumexp. With 'mean', the average is over the rows not ignored.
 * d(loss_i)/dz_i = p_i − onehot(t_i), scaled by dout (and 1/count for the mean)
 */
export function crossEntropy(
  logits: Tensor,
  targets: ArrayLike<number> | Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  checkTensor('crossEntropy', logits, 'logits');
  const reduction = checkReduction('crossEntropy', options.reduction ?? 'mean');
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (logits.rank !== 2) {
    throw new ShapeError(`crossEntropy: logits must be [N, C], got ${formatShape(logits.shape)}`);
  }
  const [rows, classes] = logits.shape as [number, number];
  // A copy: the backward rule reads the targets later, after the caller may have reused its array.
  const t = Float64Array.from(targets instanceof Tensor ? targets.data : targets);
  if (t.length !== rows) {
    throw new ShapeError(
      `crossEntropy: targets has ${t.length} entries but logits ${formatShape(logits.shape)} has ${rows} rows`,
    );
  }
  const z = logits.data;
  const p = new Float64Array(z.length); // softmax, kept for the backward rule
  const losses = new Float64Array(rows);
  let counted = 0;
  for (let i = 0; i < rows; i++) {
    const target = t[i]!;
    if (target === ignoreIndex) continue;
    if (!Number.isInteger(target) || target < 0 || target >= classes) {
      throw new RangeError(
        `crossEntropy: targets[${i}] = ${target} is not a class in [0, ${classes - 1}] nor ignoreIndex (${ignoreIndex})`,
      );
    }
    counted++;
    const row = i * classes;
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      // Stryker disable next-line EqualityOperator: on a tie the running maximum is overwritten by an equal value
      if (z[row + c]! > m) m = z[row + c]!;
    }
    let total = 0;
    for (let c = 0; c < classes; c++) total += p[row + c] = Math.exp(z[row + c]! - m);
    for (let c = 0; c < classes; c++) p[row + c] = p[row + c]! / total;
    // eq. 3.5 — L = −z_t + logsumexp(z)
    losses[i] = m + Math.log(total) - z[row + target]!; // logsumexp(z) − z_t
  }
  let out: Float64Array;
  if (reduction === 'none') {
    out = losses;
  } else {
    let total = 0;
    for (let i = 0; i < rows; i++) total += losses[i]!;
    // NOTE: with every row ignored, the mean is 0/0 = NaN, as in PyTorch.
    out = Float64Array.of(reduction === 'sum' ? total : total / counted);
  }
  return record('crossEntropy', out, reduction === 'none' ? [rows] : [], [logits], (dout) => {
    // BEGIN EXERCISE cross-entropy-backward
    const dz = new Float64Array(z.length);
    for (let i = 0; i < rows; i++) {
      const target = t[i]!;
      if (target === ignoreIndex) continue;
      const scale =
        reduction === 'none' ? dout[i]! : reduction === 'sum' ? dout[0]! : dout[0]! / counted;
      const row = i * classes;
      for (let c = 0; c < classes; c++) dz[row + c] = scale * p[row + c]!;
      // eq. 3.6 — ∂L/∂z = p − y
      dz[row + target]! -= scale; // p − y
    }
    return [dz];
    // END EXERCISE cross-entropy-backward
  });
}

function checkSameShape(op: string, a: Tensor, b: Tensor, names: [string, string]): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new ShapeError(
      `${op}: ${names[0]} is ${formatShape(a.shape)} but ${names[1]} is ${formatShape(b.shape)}; they must match`,
    );
  }
}

function reduce(losses: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? mean(losses) : reduction === 'sum' ? sum(losses) : losses;
}

/** Mean squared error (p − y)², a composite of sub, mul and the reduction. */
export function mse(prediction: Tensor, target: TensorLike, options: LossOptions = {}): Tensor {
  checkTensor('mse', prediction, 'prediction');
  const y = asTensor(target);
  checkTensor('mse', y, 'target');
  checkSameShape('mse', prediction, y, ['prediction', 'target']);
  const reduction = checkReduction('mse', options.reduction ?? 'mean');
  const difference = sub(prediction, y);
  return reduce(mul(difference, difference), reduction);
}

/**
 * Binary cross-entropy of logits z against targets y in [0, 1], without forming
 * σ(z) (whose log underflows): loss = max(z, 0) − z·y + log(1 + e^−|z|).
 * ∂loss/∂z = σ(z) − y      ∂loss/∂y = −z
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  targets: TensorLike,
  options: LossOptions = {},
): Tensor {
  checkTensor('binaryCrossEntropyWithLogits', logits, 'logits');
  const y = asTensor(targets);
  checkTensor('binaryCrossEntropyWithLogits', y, 'targets');
  checkSameShape('binaryCrossEntropyWithLogits', logits, y, ['logits', 'targets']);
  const reduction = checkReduction('binaryCrossEntropyWithLogits', options.reduction ?? 'mean');
  const z = logits.data;
  const ys = y.data;
  const losses = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]!;
    losses[i] = Math.max(zi, 0) - zi * ys[i]! + Math.log1p(Math.exp(-Math.abs(zi)));
  }
  const perEntry = record(
    'binaryCrossEntropyWithLogits',
    losses,
    logits.shape,
    [logits, y],
    (dout) => {
      const dz = logits.requiresGrad ? new Float64Array(z.length) : null;
      const dy = y.requiresGrad ? new Float64Array(z.length) : null;
      for (let i = 0; i < z.length; i++) {
        const zi = z[i]!;
        if (dz !== null) {
          // σ(z) from e = e^−|z| ≤ 1, which cannot overflow: 1/(1 + e) for z ≥ 0, e/(1 + e) below.
          const e = Math.exp(-Math.abs(zi));
          // Stryker disable next-line EqualityOperator: at z = 0 both forms give 1/2 exactly
          const sigma = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
          dz[i] = dout[i]! * (sigma - ys[i]!);
        }
        if (dy !== null) dy[i] = -dout[i]! * zi;
      }
      return [dz, dy];
    },
  );
  return reduce(perEntry, reduction);
}

/**
 * Inverted dropout: each entry is zeroed with probability p and the survivors are
 * scaled by 1/(1 − p), so the expected value is unchanged and evaluation
 * (training = false) is the identity. The mask is drawn from `rng`.
 * d(dropout x) = mask ⊙ dout, mask entries 0 or 1/(1 − p)
 */
export function dropout(x: Tensor, p: number, rng: Rng, training = true): Tensor {
  checkTensor('dropout', x, 'x');
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`dropout: p must be a probability in [0, 1], got ${p}`);
  }
  if (!training || p === 0) return x;
  checkRng('dropout', rng, 'uniform');
  const mask = new Float64Array(x.size);
  // Stryker disable next-line ConditionalExpression: with p = 1 no uniform draw in [0, 1) reaches p, so keep (∞ there) is never stored
  const keep = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) {
    // Stryker disable next-line EqualityOperator: > and ≥ differ only for a draw exactly equal to p, one chance in 2⁵³
    mask[i] = rng.uniform() >= p ? keep : 0;
  }
  const xs = x.data;
  const out = new Float64Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = xs[i]! * mask[i]!;
  return record('dropout', out, x.shape, [x], (dout) => {
    const dx = new Float64Array(dout.length);
    for (let i = 0; i < dx.length; i++) dx[i] = dout[i]! * mask[i]!;
    return [dx];
  });
}
