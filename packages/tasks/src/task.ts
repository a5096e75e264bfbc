/**
 * What every task says about itself, and the argument checks they share.
 *
 * A result on a sequence task means little on its own: an MSE of 0.15 on the adding
 * problem is a model that learned nothing (always answering 1 scores 1/6), while 0.005
 * is a model that found both marked numbers across the whole sequence. So every task
 * carries its chance-level baseline, where that number comes from, and the criterion
 * under which we call it solved; evaluations report all three next to the loss.
 */

import { ShapeError, type Tensor } from '@unroll/tensor';
import { accuracyOfLogits, crossEntropyOfLogits } from './metrics.ts';

/** The score of a model that has learned nothing about the sequence. */
export interface Baseline {
  /** In the task's loss (MSE, or cross-entropy in nats per predicted symbol). */
  value: number;
  /** Which predictor scores this, and why. */
  description: string;
  citation: string;
}

export interface TaskInfo {
  name: string;
  citation: string;
  /** Shape and meaning of `inputs`, e.g. `[B, T, 2]: value, marker`. */
  inputs: string;
  /** Shape and meaning of `targets`. */
  targets: string;
  loss: 'mse' | 'cross-entropy';
  baseline: Baseline;
  /** The criterion `evaluate(...).solved` applies. */
  solved: string;
  /** What a model must be able to do to beat the baseline. */
  probes: string;
}

/** What `evaluate` returns for every task, with task-specific numbers beside it. */
export interface Evaluation {
  /** The task's loss on this batch. */
  loss: number;
  baseline: number;
  /** loss / baseline: below 1 the model knows something the baseline does not. */
  relativeLoss: number;
  solved: boolean;
}

/** What classification tasks (parity, temporal order) report. */
export interface ClassificationEvaluation extends Evaluation {
  /** Mean cross-entropy in nats (the loss). */
  crossEntropy: number;
  accuracy: number;
}

/** Cross-entropy and accuracy of logits [B, C] against class ids [B], beside chance ln C. */
export function evaluateClassification(
  owner: string,
  logits: Tensor,
  targets: Tensor,
  classes: number,
  solvedAccuracy: number,
): ClassificationEvaluation {
  checkShape(owner, 'logits', logits, [targets.shape[0]!, classes]);
  const crossEntropy = crossEntropyOfLogits(logits.data, targets.data, classes);
  const accuracy = accuracyOfLogits(logits.data, targets.data, classes);
  const baseline = Math.log(classes);
  return {
    loss: crossEntropy,
    baseline,
    relativeLoss: crossEntropy / baseline,
    solved: accuracy >= solvedAccuracy,
    crossEntropy,
    accuracy,
  };
}

export function checkInteger(
  owner: string,
  name: string,
  value: number,
  min: number,
  max = Infinity,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new RangeError(`${owner}: ${name} must be ${range}, got ${value}`);
  }
}

export function checkNumber(
  owner: string,
  name: string,
  value: number,
  min: number,
  max: number,
): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${owner}: ${name} must be a number in [${min}, ${max}], got ${value}`);
  }
}

/** Throws unless `t` has exactly `shape` (−1 matches any size). */
export function checkShape(owner: string, name: string, t: Tensor, shape: readonly number[]): void {
  const ok = t.shape.length === shape.length && shape.every((n, i) => n === -1 || t.shape[i] === n);
  if (!ok) {
    const want = `[${shape.map((n) => (n === -1 ? '*' : n)).join(', ')}]`;
    throw new ShapeError(`${owner}: ${name} must have shape ${want}, got [${t.shape.join(', ')}]`);
  }
}
