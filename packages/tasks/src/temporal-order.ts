/**
 * The temporal order problem (Hochreiter & Schmidhuber 1997, experiments 6a and 6b).
 *
 * A sequence starts with E, ends with B, and is otherwise filled with distractors drawn
 * from {a, b, c, d}, except at two (or three) steps that hold X or Y. The class is the
 * order of those relevant symbols: with two, XX → 0, XY → 1, YX → 2, YY → 3 (the paper's
 * Q, R, S, U); with three, the eight orders XXX … YYY, read as binary with Y = 1.
 *
 * The paper draws a length in [100, 110] and puts the relevant symbols at t1 ∈ [10, 20],
 * t2 ∈ [50, 60] (6b: [10, 20], [33, 43], [66, 76]). Here every sequence of a batch has
 * the same length T and the windows scale with it — [0.1T, 0.2T] and [0.5T, 0.6T] — so
 * T = 100 is the paper's layout. The first symbol must be held for about 0.8T steps
 * while distractors stream past, and the answer depends on both: an interaction across
 * a long gap.
 *
 * Chance: 2^k balanced classes, cross-entropy ln 2^k (ln 4 for two symbols).
 */

import { fromData, type Rng, type Tensor } from '@unroll/tensor';
import { oneHot } from './one-hot.ts';
import {
  type ClassificationEvaluation,
  checkInteger,
  evaluateClassification,
  type TaskInfo,
} from './task.ts';

/** The alphabet, by id: four distractors, the two relevant symbols, start and end. */
export const TEMPORAL_ORDER_SYMBOLS = ['a', 'b', 'c', 'd', 'X', 'Y', 'E', 'B'] as const;
const X = 4;
const START = 6;
const END = 7;

/** Where each relevant symbol may fall, as fractions of T (Hochreiter & Schmidhuber 1997). */
const WINDOWS: Record<2 | 3, [number, number][]> = {
  2: [
    [0.1, 0.2],
    [0.5, 0.6],
  ],
  3: [
    [0.1, 0.2],
    [0.33, 0.43],
    [0.66, 0.76],
  ],
};

export interface TemporalOrderOptions {
  /** T, at least 10 (100 is the paper's layout). */
  length: number;
  /** How many relevant symbols: 2 (4 classes, experiment 6a) or 3 (8 classes, 6b). Default 2. */
  relevant?: 2 | 3;
}

export interface TemporalOrderBatch {
  /** [B, T, 8] one-hot over TEMPORAL_ORDER_SYMBOLS. */
  inputs: Tensor;
  /** [B, T]: the same sequences as symbol ids. */
  inputIds: Tensor;
  /** [B]: the class, 0 … 2^k − 1. */
  targets: Tensor;
  /** The steps that hold the relevant symbols, per sequence. */
  positions: number[][];
}

export const TEMPORAL_ORDER_SOLVED_ACCURACY = 0.99;

export class TemporalOrder {
  readonly length: number;
  readonly relevant: 2 | 3;
  readonly classes: number;
  /** Inclusive step ranges of the relevant symbols. */
  readonly windows: [number, number][];
  readonly info: TaskInfo;

  constructor(options: TemporalOrderOptions) {
    checkInteger('TemporalOrder', 'length', options.length, 10);
    const relevant = options.relevant ?? 2;
    if (relevant !== 2 && relevant !== 3) {
      throw new RangeError(`TemporalOrder: relevant must be 2 or 3, got ${relevant}`);
    }
    this.length = options.length;
    this.relevant = relevant;
    this.classes = 2 ** relevant;
    const T = this.length;
    this.windows = WINDOWS[relevant].map(([lo, hi]) => [Math.round(lo * T), Math.round(hi * T)]);
    const where = this.windows.map(([lo, hi]) => `[${lo}, ${hi}]`).join(', ');
    this.info = {
      name: `temporal order (T = ${T}, ${relevant} relevant symbols)`,
      citation: `Hochreiter & Schmidhuber 1997, Long Short-Term Memory, experiment ${relevant === 2 ? '6a' : '6b'}`,
      inputs: `[B, ${T}, 8] one-hot over a b c d X Y E B; X or Y at steps ${where}`,
      targets: `[B]: the order of the X/Y symbols as a class in [0, ${this.classes - 1}]`,
      loss: 'cross-entropy',
      baseline: {
        value: Math.log(this.classes),
        description: `chance: uniform over ${this.classes} balanced classes, ln ${this.classes} nats`,
        citation: `uniform guess over ${this.classes} balanced classes`,
      },
      solved: `accuracy >= ${TEMPORAL_ORDER_SOLVED_ACCURACY * 100}%`,
      probes: `holding the first relevant symbol about ${Math.round(0.8 * T)} steps through distractors, then combining it with the later ones`,
    };
  }

  /** B fresh sequences; per sequence, draws T − 2 distractors, then each relevant step and symbol. */
  batch(batchSize: number, rng: Rng): TemporalOrderBatch {
    checkInteger('TemporalOrder.batch', 'batchSize', batchSize, 1);
    const T = this.length;
    const ids = new Float64Array(batchSize * T);
    const targets = new Float64Array(batchSize);
    const positions: number[][] = [];
    for (let b = 0; b < batchSize; b++) {
      const row = b * T;
      ids[row] = START;
      for (let t = 1; t < T - 1; t++) ids[row + t] = rng.int(4);
      ids[row + T - 1] = END;
      let label = 0;
      const steps: number[] = [];
      for (const [lo, hi] of this.windows) {
        const step = lo + rng.int(hi - lo + 1);
        const isY = rng.int(2);
        ids[row + step] = X + isY;
        label = 2 * label + isY;
        steps.push(step);
      }
      targets[b] = label;
      positions.push(steps);
    }
    return {
      inputs: oneHot(ids, [batchSize, T], TEMPORAL_ORDER_SYMBOLS.length),
      inputIds: fromData(ids, [batchSize, T]),
      targets: fromData(targets, [batchSize]),
      positions,
    };
  }

  /** Scores logits of shape [B, classes]. */
  evaluate(logits: Tensor, batch: TemporalOrderBatch): ClassificationEvaluation {
    return evaluateClassification(
      'TemporalOrder.evaluate',
      logits,
      batch.targets,
      this.classes,
      TEMPORAL_ORDER_SOLVED_ACCURACY,
    );
  }
}
