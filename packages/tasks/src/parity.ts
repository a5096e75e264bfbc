/**
 * Parity (Bengio, Simard & Frasconi 1994): read a sequence of bits, answer whether it
 * holds an odd number of ones — the XOR of all of them.
 *
 * Every bit matters until the very end: flipping any one bit flips the label, so for
 * random bits the label is independent of every proper subset of them — even the last
 * T − 1 bits together say nothing. Nor does any weighted sum of the bits separate the
 * classes (parity is not linearly separable). A model can only beat chance by keeping
 * one bit of state exactly and updating it with a nonlinear rule (XOR) at every step,
 * so errors compound over the whole length.
 *
 * Chance: with balanced classes the best constant guess puts probability ½ on each, a
 * cross-entropy of ln 2 nats.
 */

import { fromData, type Rng, type Tensor } from '@unroll/tensor';
import {
  type ClassificationEvaluation,
  checkInteger,
  evaluateClassification,
  type TaskInfo,
} from './task.ts';

export interface ParityOptions {
  /** T: the (maximum) number of bits. */
  length: number;
  /** When set below `length`, each sequence has a length drawn uniformly from [minLength, length], padded with zeros. */
  minLength?: number;
}

export interface ParityBatch {
  /** [B, T, 1]: the bits as 0 or 1 (0 past a sequence's length). */
  inputs: Tensor;
  /** [B]: 1 if the sequence holds an odd number of ones, else 0. */
  targets: Tensor;
  /** Each sequence's length (all T unless `minLength` is set). */
  lengths: number[];
  /** [B, T]: 1 at the steps inside each sequence's length, 0 at padding. */
  mask: Tensor;
}

/** Solved at this accuracy or above. */
export const PARITY_SOLVED_ACCURACY = 0.99;

export class Parity {
  readonly length: number;
  readonly minLength: number;
  readonly info: TaskInfo;

  constructor(options: ParityOptions) {
    checkInteger('Parity', 'length', options.length, 1);
    const minLength = options.minLength ?? options.length;
    checkInteger('Parity', 'minLength', minLength, 1, options.length);
    this.length = options.length;
    this.minLength = minLength;
    const T = this.length;
    const span = minLength === T ? `${T}` : `${minLength}-${T}`;
    this.info = {
      name: `parity (T = ${span})`,
      citation:
        'Bengio, Simard & Frasconi 1994, Learning Long-Term Dependencies with Gradient Descent is Difficult',
      inputs: `[B, ${T}, 1]: bits 0/1${minLength === T ? '' : ', zero-padded; lengths and mask given'}`,
      targets: '[B]: class 1 if the number of ones is odd, else 0',
      loss: 'cross-entropy',
      baseline: {
        value: Math.LN2,
        description: 'chance: probability ½ on each class, ln 2 nats',
        citation: 'uniform guess over 2 balanced classes',
      },
      solved: `accuracy >= ${PARITY_SOLVED_ACCURACY * 100}%`,
      probes:
        'exact one-bit memory over the whole sequence, updated nonlinearly (XOR) at every step',
    };
  }

  /** B fresh sequences; per sequence, draws its length (if variable) and then its bits. */
  batch(batchSize: number, rng: Rng): ParityBatch {
    checkInteger('Parity.batch', 'batchSize', batchSize, 1);
    const T = this.length;
    const inputs = new Float64Array(batchSize * T);
    const targets = new Float64Array(batchSize);
    const mask = new Float64Array(batchSize * T);
    const lengths: number[] = [];
    for (let b = 0; b < batchSize; b++) {
      const n = this.minLength === T ? T : this.minLength + rng.int(T - this.minLength + 1);
      let parity = 0;
      for (let t = 0; t < n; t++) {
        const bit = rng.int(2);
        inputs[b * T + t] = bit;
        mask[b * T + t] = 1;
        parity ^= bit;
      }
      targets[b] = parity;
      lengths.push(n);
    }
    return {
      inputs: fromData(inputs, [batchSize, T, 1]),
      targets: fromData(targets, [batchSize]),
      lengths,
      mask: fromData(mask, [batchSize, T]),
    };
  }

  /** Scores logits of shape [B, 2]. */
  evaluate(logits: Tensor, batch: ParityBatch): ClassificationEvaluation {
    return evaluateClassification(
      'Parity.evaluate',
      logits,
      batch.targets,
      2,
      PARITY_SOLVED_ACCURACY,
    );
  }
}
