/**
 * The copy memory task (Arjovsky, Shah & Bengio 2016, section 4.1).
 *
 * Symbols 0–9: 0 is the blank, 1–8 are data, 9 is the delimiter. A sequence of length
 * T + 20 (with the default 10 data symbols) is
 *
 *   input:   s1 … s10   0 … 0 (T − 1 blanks)   9   0 … 0 (10 blanks)
 *   target:  0 … 0 (T + 10 blanks)                  s1 … s10
 *
 * so the model must hold ten symbols for T steps and play them back after the
 * delimiter. Loss: cross-entropy at every step, averaged over all T + 20 steps.
 *
 * Baseline (Arjovsky et al.): a memoryless model can learn to output blanks until the
 * delimiter and then guess uniformly among the 8 data symbols; its cross-entropy is
 * 10 · ln 8 / (T + 20). Reaching it is easy; going below it needs memory across T steps.
 */

import { fromData, type Rng, type Tensor } from '@unroll/tensor';
import { argmaxRows, crossEntropyOfLogits } from './metrics.ts';
import { oneHot } from './one-hot.ts';
import { checkInteger, checkShape, type Evaluation, type TaskInfo } from './task.ts';

export const COPY_BLANK = 0;
export const COPY_DELIMITER = 9;
/** One-hot width of inputs and number of output classes: blank, 8 data symbols, delimiter. */
export const COPY_CLASSES = 10;
const DATA_SYMBOLS = 8;

export interface CopyMemoryOptions {
  /** T: steps between the last data symbol and the end of the delimiter (T − 1 blanks + delimiter). */
  delay: number;
  /** How many symbols to remember (10 in the paper). */
  symbols?: number;
}

export interface CopyMemoryBatch {
  /** [B, L, 10] one-hot, L = T + 2·symbols. */
  inputs: Tensor;
  /** [B, L]: the same symbols as class ids, for models that start with an Embedding. */
  inputIds: Tensor;
  /** [B, L]: class id at every step (blank, then the symbols to copy). */
  targets: Tensor;
}

export interface CopyMemoryEvaluation extends Evaluation {
  /** Mean cross-entropy over all steps, nats (the loss). */
  crossEntropy: number;
  /** Fraction of the symbols to copy that the argmax got right (blanks not counted). */
  recallAccuracy: number;
}

/** Solved when at least this fraction of the copied symbols is right. */
export const COPY_SOLVED_ACCURACY = 0.99;

export class CopyMemory {
  readonly delay: number;
  readonly symbols: number;
  /** L = T + 2 · symbols. */
  readonly sequenceLength: number;
  readonly info: TaskInfo;

  constructor(options: CopyMemoryOptions) {
    checkInteger('CopyMemory', 'delay', options.delay, 1);
    const symbols = options.symbols ?? 10;
    checkInteger('CopyMemory', 'symbols', symbols, 1);
    this.delay = options.delay;
    this.symbols = symbols;
    this.sequenceLength = this.delay + 2 * symbols;
    const L = this.sequenceLength;
    this.info = {
      name: `copy memory (T = ${this.delay}, ${symbols} symbols)`,
      citation:
        'Arjovsky, Shah & Bengio 2016, Unitary Evolution Recurrent Neural Networks, section 4.1',
      inputs: `[B, ${L}, 10] one-hot: ${symbols} symbols from 1-8, ${this.delay - 1} blanks (0), the delimiter (9), ${symbols} blanks`,
      targets: `[B, ${L}] class ids: ${this.delay + symbols} blanks, then the ${symbols} symbols`,
      loss: 'cross-entropy',
      baseline: {
        value: this.baselineCrossEntropy(),
        description: `blanks, then a uniform guess over 8 symbols after the delimiter: ${symbols}·ln 8 / ${L}`,
        citation: 'Arjovsky, Shah & Bengio 2016, section 4.1',
      },
      solved: `at least ${COPY_SOLVED_ACCURACY * 100}% of the copied symbols right (argmax)`,
      probes: `exact memory of ${symbols} symbols over ${this.delay} steps: capacity and length at once`,
    };
  }

  /** symbols · ln 8 / L: the memoryless strategy's cross-entropy per step. */
  baselineCrossEntropy(): number {
    return (this.symbols * Math.log(DATA_SYMBOLS)) / this.sequenceLength;
  }

  /** B fresh sequences; draws `symbols` data symbols per sequence from `rng`. */
  batch(batchSize: number, rng: Rng): CopyMemoryBatch {
    checkInteger('CopyMemory.batch', 'batchSize', batchSize, 1);
    const S = this.symbols;
    const L = this.sequenceLength;
    const inputIds = new Float64Array(batchSize * L); // zeros: blanks
    const targets = new Float64Array(batchSize * L);
    for (let b = 0; b < batchSize; b++) {
      const row = b * L;
      for (let i = 0; i < S; i++) {
        const symbol = 1 + rng.int(DATA_SYMBOLS);
        inputIds[row + i] = symbol;
        targets[row + L - S + i] = symbol;
      }
      inputIds[row + S + this.delay - 1] = COPY_DELIMITER;
    }
    return {
      inputs: oneHot(inputIds, [batchSize, L], COPY_CLASSES),
      inputIds: fromData(inputIds, [batchSize, L]),
      targets: fromData(targets, [batchSize, L]),
    };
  }

  /** Scores logits of shape [B, L, 10]. */
  evaluate(logits: Tensor, batch: CopyMemoryBatch): CopyMemoryEvaluation {
    const [B, L] = batch.targets.shape as [number, number];
    checkShape('CopyMemory.evaluate', 'logits', logits, [B, L, COPY_CLASSES]);
    const crossEntropy = crossEntropyOfLogits(logits.data, batch.targets.data, COPY_CLASSES);
    const predicted = argmaxRows(logits.data, COPY_CLASSES);
    let correct = 0;
    for (let b = 0; b < B; b++) {
      for (let t = L - this.symbols; t < L; t++) {
        if (predicted[b * L + t] === batch.targets.data[b * L + t]) correct++;
      }
    }
    const recallAccuracy = correct / (B * this.symbols);
    const baseline = this.baselineCrossEntropy();
    return {
      loss: crossEntropy,
      baseline,
      relativeLoss: crossEntropy / baseline,
      solved: recallAccuracy >= COPY_SOLVED_ACCURACY,
      crossEntropy,
      recallAccuracy,
    };
  }
}
