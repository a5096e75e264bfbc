/**
 * The adding problem of Hochreiter & Schmidhuber 1997 (experiment 4: values in [−1, 1],
 * variable lengths, target 0.5 + (X₁ + X₂)/4), in the simplified form of Le, Jaitly &
 * Hinton 2015 (section 4.1): fixed length, values in [0, 1), the plain sum.
 *
 * Each sequence has T steps of two numbers: a value drawn from U[0, 1) and a marker that
 * is 1 at exactly two steps and 0 elsewhere. The first marker falls in the first half of
 * the sequence, the second in the second half. The target, read after the last step, is
 * the sum of the two marked values.
 *
 * Baseline: the sum a + b of two independent U[0, 1) numbers has mean 1 and variance
 * 1/12 + 1/12, so always answering 1 scores E[(a + b − 1)²] = 1/6 ≈ 0.167, the baseline
 * that Le et al. 2015 and Arjovsky et al. 2016 (section 4.2) measure against.
 *
 * Halfway: a model that keeps only the second, later marked value b and answers b + ½
 * scores E[(a − ½)²] = Var(a) = 1/12 ≈ 0.083; a plateau there means the short-range half
 * was learned. Going below 1/12 needs the first marked value a, carried from the first
 * half to the end: more than T/2 steps.
 */

import { fromData, type Rng, type Tensor } from '@unroll/tensor';
import { meanSquaredError } from './metrics.ts';
import { checkInteger, checkShape, type Evaluation, type TaskInfo } from './task.ts';

export interface AddingOptions {
  /** Sequence length T (at least 2: one step in each half). */
  length: number;
}

export interface AddingBatch {
  /** [B, T, 2]: channel 0 the value in [0, 1), channel 1 the marker (0 or 1). */
  inputs: Tensor;
  /** [B, 1]: the sum of the two marked values, in [0, 2). */
  targets: Tensor;
  /** The two marked steps of each sequence, [first, second] (first < T/2 ≤ second). */
  markers: [number, number][];
}

export interface AddingEvaluation extends Evaluation {
  /** MSE of the predictions (the loss). */
  mse: number;
  /** Fraction of sequences with |prediction − target| < 0.04, the 1997 paper's criterion. */
  fractionWithin004: number;
}

/** MSE of the constant prediction 1: Var(a) + Var(b) = 2 · 1/12. */
export const ADDING_BASELINE_MSE = 1 / 6;
/** Solved below this MSE (6% of the baseline). */
export const ADDING_SOLVED_MSE = 0.01;

export class AddingProblem {
  readonly length: number;
  readonly info: TaskInfo;

  constructor(options: AddingOptions) {
    checkInteger('AddingProblem', 'length', options.length, 2);
    this.length = options.length;
    this.info = {
      name: `adding problem (T = ${this.length})`,
      citation:
        'Hochreiter & Schmidhuber 1997, Long Short-Term Memory, experiment 4; in the simplified form of Le, Jaitly & Hinton 2015, A Simple Way to Initialize Recurrent Networks of Rectified Linear Units',
      inputs: `[B, ${this.length}, 2]: value ~ U[0, 1), marker 1 at one step of each half`,
      targets: '[B, 1]: sum of the two marked values, read after the last step',
      loss: 'mse',
      baseline: {
        value: ADDING_BASELINE_MSE,
        description: 'always predict 1: E[(a + b − 1)²] = Var(a) + Var(b) = 1/6',
        citation:
          'Le, Jaitly & Hinton 2015, section 4.1; Arjovsky, Shah & Bengio 2016, section 4.2',
      },
      solved: `MSE < ${ADDING_SOLVED_MSE}`,
      probes:
        'memory across T/2 or more steps, and an interaction: the marker decides which value to keep',
    };
  }

  /**
   * B fresh sequences. Draws from `rng`, per sequence: T values, then the first marker's
   * step, then the second's; the same rng state always gives the same batch.
   */
  batch(batchSize: number, rng: Rng): AddingBatch {
    checkInteger('AddingProblem.batch', 'batchSize', batchSize, 1);
    const T = this.length;
    const half = Math.floor(T / 2);
    const inputs = new Float64Array(batchSize * T * 2);
    const targets = new Float64Array(batchSize);
    const markers: [number, number][] = [];
    for (let b = 0; b < batchSize; b++) {
      const row = b * T * 2;
      for (let t = 0; t < T; t++) inputs[row + 2 * t] = rng.uniform();
      const first = rng.int(half);
      const second = half + rng.int(T - half);
      inputs[row + 2 * first + 1] = 1;
      inputs[row + 2 * second + 1] = 1;
      targets[b] = inputs[row + 2 * first]! + inputs[row + 2 * second]!;
      markers.push([first, second]);
    }
    return {
      inputs: fromData(inputs, [batchSize, T, 2]),
      targets: fromData(targets, [batchSize, 1]),
      markers,
    };
  }

  /** Scores predictions of shape [B, 1] (or [B]) against a batch's targets. */
  evaluate(predictions: Tensor, batch: AddingBatch): AddingEvaluation {
    const B = batch.targets.shape[0]!;
    checkShape(
      'AddingProblem.evaluate',
      'predictions',
      predictions,
      predictions.rank === 1 ? [B] : [B, 1],
    );
    const mse = meanSquaredError(predictions.data, batch.targets.data);
    let within = 0;
    for (let b = 0; b < B; b++) {
      if (Math.abs(predictions.data[b]! - batch.targets.data[b]!) < 0.04) within++;
    }
    return {
      loss: mse,
      baseline: ADDING_BASELINE_MSE,
      relativeLoss: mse / ADDING_BASELINE_MSE,
      solved: mse < ADDING_SOLVED_MSE,
      mse,
      fractionWithin004: within / B,
    };
  }
}
