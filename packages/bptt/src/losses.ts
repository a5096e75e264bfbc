/**
 * Losses over sequences. A batch of sequences of different lengths is padded to T
 * steps; the padding must add nothing to the loss and nothing to its gradient, and
 * the mean must be over the real steps only. Each loss takes `lengths` for that.
 *
 *   per-step cross-entropy  L = (1/N) Σ_b Σ_{t < len_b} −log softmax(z_{b,t})[y_{b,t}],  N = Σ_b len_b
 *   per-step MSE            L = (1/(N·F)) Σ_b Σ_{t < len_b} ‖ŷ_{b,t} − y_{b,t}‖²
 *   last-step MSE           L = (1/(B·F)) Σ_b ‖ŷ_{b,len_b−1} − y_b‖²
 *
 * Each is built from @unroll/tensor ops, so each gradient is theirs; the masking is a
 * choice of which entries enter the mean.
 */

import {
  crossEntropy,
  formatShape,
  indexSelect,
  mse,
  mul,
  ShapeError,
  sum,
  type Tensor,
  tensor,
} from '@unroll/tensor';
import { checkLengths } from './unroll.ts';

export interface SequenceLossOptions {
  /** Length of each sequence (integers in 1..T); steps at or past it are padding. */
  lengths?: ArrayLike<number>;
}

export interface SequenceCrossEntropyOptions extends SequenceLossOptions {
  /**
   * A step whose target is this value adds no loss, no gradient, and does not count in
   * the mean (default −100, as PyTorch's `cross_entropy`). Padding past `lengths` is
   * ignored the same way, whatever this value is.
   */
  ignoreIndex?: number;
}

/**
 * Cross-entropy at every step: logits [B, T, C] against class ids `targets` (B·T of
 * them, row-major [B, T], as an array or a nested [B][T] array whose every row has T
 * entries), averaged over the steps inside each sequence's length whose target is not
 * `ignoreIndex`.
 */
export function sequenceCrossEntropy(
  logits: Tensor,
  targets: ArrayLike<number> | readonly (readonly number[])[],
  { lengths, ignoreIndex = -100 }: SequenceCrossEntropyOptions = {},
): Tensor {
  const [B, T, C] = sequenceShape('sequenceCrossEntropy', logits, 'logits');
  const rows = Array.from(targets as ArrayLike<number | readonly number[]>);
  rows.forEach((row, b) => {
    if (Array.isArray(row) && row.length !== T) {
      throw new ShapeError(
        `sequenceCrossEntropy: targets[${b}] has ${row.length} entries, expected T = ${T} (logits ${formatShape(logits.shape)})`,
      );
    }
  });
  const flat = rows.flat();
  if (flat.length !== B * T) {
    throw new ShapeError(
      `sequenceCrossEntropy: targets has ${flat.length} entries but logits ${formatShape(logits.shape)} needs B·T = ${B * T}`,
    );
  }
  if (lengths !== undefined) {
    checkLengths('sequenceCrossEntropy', lengths, B, T);
    // Padding steps become ignored rows: no loss, no gradient, not counted in the mean.
    for (let b = 0; b < B; b++) for (let t = lengths[b]!; t < T; t++) flat[b * T + t] = ignoreIndex;
  }
  return crossEntropy(logits.reshape([B * T, C]), flat, { ignoreIndex });
}

/**
 * Squared error at every step: predictions and targets [B, T, F], averaged over the
 * B·F·Σlen entries inside the lengths (over all entries without lengths, as `mse`).
 */
export function sequenceMSE(
  predictions: Tensor,
  targets: Tensor,
  { lengths }: SequenceLossOptions = {},
): Tensor {
  const [B, T, F] = sequenceShape('sequenceMSE', predictions, 'predictions');
  sameShapeAs('sequenceMSE', targets, predictions);
  if (lengths === undefined) return mse(predictions, targets);
  checkLengths('sequenceMSE', lengths, B, T);
  let count = 0;
  const mask = Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, t) => (t < lengths[b]! ? 1 : 0)),
  );
  for (let b = 0; b < B; b++) count += lengths[b]!;
  const squared = mse(predictions, targets, { reduction: 'none' });
  // mask [B, T, 1] broadcasts over the F features of each step.
  const masked = mul(squared, tensor(mask.map((row) => row.map((m) => [m]))));
  return sum(masked).div(count * F);
}

/**
 * Squared error of each sequence's last valid output: predictions [B, T, F] (the output
 * at step lengths[b] − 1 is used, or T − 1 without lengths) against targets [B, F].
 */
export function lastStepMSE(
  predictions: Tensor,
  targets: Tensor,
  { lengths }: SequenceLossOptions = {},
): Tensor {
  const [B, T, F] = sequenceShape('lastStepMSE', predictions, 'predictions');
  if (targets.rank !== 2 || targets.shape[0] !== B || targets.shape[1] !== F) {
    throw new ShapeError(
      `lastStepMSE: targets must be [B, F] = [${B}, ${F}] for predictions ${formatShape(predictions.shape)}, got ${formatShape(targets.shape)}`,
    );
  }
  if (lengths !== undefined) checkLengths('lastStepMSE', lengths, B, T);
  // Row b·T + (len_b − 1) of the [B·T, F] view is sequence b's last valid step.
  const rows = Array.from({ length: B }, (_, b) => b * T + (lengths?.[b] ?? T) - 1);
  return mse(indexSelect(predictions.reshape([B * T, F]), 0, rows), targets);
}

function sequenceShape(op: string, x: Tensor, name: string): [number, number, number] {
  if (x.rank !== 3) {
    throw new ShapeError(
      `${op}: ${name} must be [batch, steps, features], got ${formatShape(x.shape)}`,
    );
  }
  return x.shape as [number, number, number];
}

function sameShapeAs(op: string, targets: Tensor, predictions: Tensor): void {
  const same =
    targets.rank === predictions.rank && targets.shape.every((d, i) => d === predictions.shape[i]);
  if (!same) {
    throw new ShapeError(
      `${op}: targets ${formatShape(targets.shape)} must have the shape of predictions ${formatShape(predictions.shape)}`,
    );
  }
}
