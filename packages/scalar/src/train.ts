/**
 * Training a binary classifier by gradient descent, one Value at a time:
 *   1. forward: a score s = model(x) for every sample,
 *   2. loss:    how wrong the scores are, one Value L,
 *   3. backward: L.backward() fills ∂L/∂p into every parameter p,
 *   4. step:    p ← p − η·∂L/∂p, a small move downhill.
 */

import type { Sample } from './data.ts';
import type { MLP } from './nn.ts';
import { sum, type Value } from './value.ts';

/**
 * Mean hinge loss (1/N)·Σ max(0, 1 − yᵢ·sᵢ): zero for a sample whose score has the
 * sign of its label y ∈ {−1, +1} with a margin of at least 1, linear otherwise.
 */
export function hingeLoss(scores: readonly Value[], labels: readonly number[]): Value {
  if (scores.length !== labels.length || scores.length === 0) {
    throw new RangeError(
      `hingeLoss: needs as many labels as scores, at least one: got ${scores.length} scores, ${labels.length} labels`,
    );
  }
  const margins = scores.map((s, i) => s.mul(-labels[i]!).add(1).relu());
  return sum(margins).div(scores.length);
}

/** Weight decay α·Σ p², which keeps the weights small and the boundary smooth. */
export function l2Penalty(parameters: readonly Value[], alpha: number): Value {
  return sum(parameters.map((p) => p.mul(p))).mul(alpha);
}

/** The fraction of samples whose score has the sign of the label (s > 0 means +1). */
export function accuracy(scores: readonly Value[], labels: readonly number[]): number {
  let correct = 0;
  scores.forEach((s, i) => {
    if (s.data > 0 === labels[i]! > 0) correct++;
  });
  return correct / scores.length;
}

/** Plain gradient descent: p ← p − η·∂L/∂p for every parameter. */
export function sgdStep(parameters: readonly Value[], learningRate: number): void {
  for (const p of parameters) p.data -= learningRate * p.grad;
}

export interface Evaluation {
  /** Hinge loss plus the L2 penalty. */
  loss: number;
  accuracy: number;
}

export interface FitOptions {
  steps: number;
  /** η, or a schedule η(step) for step = 0 … steps − 1 (default 0.1). */
  learningRate?: number | ((step: number) => number);
  /** α of the L2 penalty (default 1e-4). */
  l2?: number;
  /** Called after every step with the loss and accuracy measured before the update. */
  onStep?: (step: number, evaluation: Evaluation) => void;
}

/** The loss L (as a Value, ready for backward()) and the accuracy of `model` on `data`. */
export function evaluate(model: MLP, data: readonly Sample[], l2 = 1e-4) {
  const scores = data.map((sample) => {
    const out = model.forward(sample.x);
    if (out.length !== 1) {
      throw new RangeError(`evaluate: the model must have 1 output, it has ${out.length}`);
    }
    return out[0]!;
  });
  const labels = data.map((sample) => sample.y);
  const loss = hingeLoss(scores, labels).add(l2Penalty(model.parameters(), l2));
  return { loss, accuracy: accuracy(scores, labels) };
}

/** Full-batch gradient descent on the hinge loss; returns the evaluation after training. */
export function fit(model: MLP, data: readonly Sample[], options: FitOptions): Evaluation {
  const { steps, learningRate = 0.1, l2 = 1e-4, onStep } = options;
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`fit: steps must be a non-negative integer, got ${steps}`);
  }
  const rate = typeof learningRate === 'number' ? () => learningRate : learningRate;
  for (let step = 0; step < steps; step++) {
    const { loss, accuracy } = evaluate(model, data, l2);
    model.zeroGrad();
    loss.backward();
    sgdStep(model.parameters(), rate(step));
    onStep?.(step, { loss: loss.data, accuracy });
  }
  const final = evaluate(model, data, l2);
  return { loss: final.loss.data, accuracy: final.accuracy };
}
