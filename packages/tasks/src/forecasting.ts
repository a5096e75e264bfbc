/**
 * Forecasting: cut one series into windows of `window` values and predict the `horizon`
 * values that follow.
 *
 * The series is split in time, never shuffled: the first part trains, the last
 * `validationFraction` validates. A validation window may read its context from the end
 * of the training part, but every value it must predict lies after the split, so no
 * validation target was ever a training target.
 *
 * Baseline: persistence, "tomorrow is like today": predict the last value of the window
 * for every step of the horizon. It costs nothing and is hard to beat on slowly moving
 * series; a model's RMSE means something only next to it. `skill` = 1 − RMSE / RMSE of
 * persistence on the same windows (0: no better than persistence, 1: perfect).
 */

import { fromData, type Rng, type Tensor } from '@unroll/tensor';
import { rootMeanSquaredError } from './metrics.ts';
import { checkInteger, checkShape, type Evaluation, type TaskInfo } from './task.ts';

export interface ForecastingOptions {
  /** Values the model reads. */
  window: number;
  /** Values it predicts after them (default 1: the next value). */
  horizon?: number;
  /** Fraction of the series, at its end, held out for validation (default 0.2). */
  validationFraction?: number;
  /** Names the series in `info` (default 'series'). */
  name?: string;
}

export type Split = 'train' | 'validation';

export interface ForecastBatch {
  /** [B, window, 1]. */
  inputs: Tensor;
  /** [B, horizon]: the values that follow each window. */
  targets: Tensor;
  /** Index in the series of each window's first value. */
  starts: number[];
}

export interface ForecastEvaluation extends Evaluation {
  /** RMSE of the predictions (the loss; the baseline is persistence's RMSE on the same batch). */
  rmse: number;
  persistenceRmse: number;
  /** 1 − rmse / persistenceRmse. */
  skill: number;
}

/** Solved at this skill or above: half the persistence error. */
export const FORECAST_SOLVED_SKILL = 0.5;

export class Forecasting {
  readonly series: Float64Array;
  readonly window: number;
  readonly horizon: number;
  /** Index of the first validation value: the series is [0, splitAt) train, [splitAt, n) validation. */
  readonly splitAt: number;
  readonly info: TaskInfo;

  constructor(series: ArrayLike<number>, options: ForecastingOptions) {
    const { window, horizon = 1, validationFraction = 0.2, name = 'series' } = options;
    checkInteger('Forecasting', 'window', window, 1);
    checkInteger('Forecasting', 'horizon', horizon, 1);
    if (!(validationFraction > 0 && validationFraction <= 0.9)) {
      throw new RangeError(
        `Forecasting: validationFraction must be a number in (0, 0.9], got ${validationFraction}`,
      );
    }
    this.series = Float64Array.from(series);
    this.window = window;
    this.horizon = horizon;
    this.splitAt = Math.round(this.series.length * (1 - validationFraction));
    const span = window + horizon;
    if (this.splitAt < span || this.series.length - this.splitAt < horizon) {
      throw new RangeError(
        `Forecasting: a series of ${this.series.length} values split at ${this.splitAt} has no room for windows of ${window} + ${horizon} values in both parts`,
      );
    }
    this.info = {
      name: `forecasting ${name} (window ${window}, horizon ${horizon})`,
      citation:
        'persistence baseline: the naive forecast of Hyndman & Athanasopoulos, Forecasting: Principles and Practice',
      inputs: `[B, ${window}, 1]: consecutive values of the series`,
      targets: `[B, ${horizon}]: the ${horizon === 1 ? 'next value' : `next ${horizon} values`}`,
      loss: 'mse',
      baseline: {
        // In the task's loss, like every baseline: the MSE that evaluate reports for persistence.
        value: this.evaluateAll('validation').baseline,
        description: 'MSE of persistence (repeat the last value) on all validation windows',
        citation: 'Hyndman & Athanasopoulos, naive method',
      },
      solved: `RMSE at most ${1 - FORECAST_SOLVED_SKILL} × persistence RMSE on the same windows (skill >= ${FORECAST_SOLVED_SKILL})`,
      probes:
        'use of the recent past: periodicity for sines, the nonlinear delayed feedback for Mackey–Glass',
    };
  }

  /** Number of distinct windows (stride 1) in a split. */
  count(split: Split): number {
    const [first, last] = this.startRange(split);
    return Math.max(0, last - first + 1);
  }

  /** B windows with starts drawn uniformly from the split (one rng.int per window). */
  batch(batchSize: number, rng: Rng, split: Split = 'train'): ForecastBatch {
    checkInteger('Forecasting.batch', 'batchSize', batchSize, 1);
    const [first] = this.startRange(split);
    const n = this.count(split);
    const starts = Array.from({ length: batchSize }, () => first + rng.int(n));
    return this.windowsAt(starts);
  }

  /** Consecutive windows of a split, from its `offset`-th, in order: for evaluation. */
  windows(split: Split, offset = 0, count = this.count(split) - offset): ForecastBatch {
    checkInteger('Forecasting.windows', 'offset', offset, 0, this.count(split) - 1);
    checkInteger('Forecasting.windows', 'count', count, 1, this.count(split) - offset);
    const [first] = this.startRange(split);
    return this.windowsAt(Array.from({ length: count }, (_, i) => first + offset + i));
  }

  /** Persistence's forecast for a batch: [B, horizon], each row the window's last value. */
  persistence(batch: ForecastBatch): Tensor {
    const B = batch.starts.length;
    const out = new Float64Array(B * this.horizon);
    for (let b = 0; b < B; b++) {
      out.fill(
        batch.inputs.data[(b + 1) * this.window - 1]!,
        b * this.horizon,
        (b + 1) * this.horizon,
      );
    }
    return fromData(out, [B, this.horizon]);
  }

  /** Scores predictions [B, horizon] against the batch, beside persistence on the same windows. */
  evaluate(predictions: Tensor, batch: ForecastBatch): ForecastEvaluation {
    checkShape('Forecasting.evaluate', 'predictions', predictions, [
      batch.starts.length,
      this.horizon,
    ]);
    const rmse = rootMeanSquaredError(predictions.data, batch.targets.data);
    const persistenceRmse = rootMeanSquaredError(this.persistence(batch).data, batch.targets.data);
    const skill = 1 - rmse / persistenceRmse;
    return {
      loss: rmse * rmse,
      baseline: persistenceRmse * persistenceRmse,
      relativeLoss: (rmse * rmse) / (persistenceRmse * persistenceRmse),
      solved: skill >= FORECAST_SOLVED_SKILL,
      rmse,
      persistenceRmse,
      skill,
    };
  }

  /** Persistence scored on every window of a split. */
  evaluateAll(split: Split): ForecastEvaluation {
    const batch = this.windows(split);
    return this.evaluate(this.persistence(batch), batch);
  }

  /** Inclusive range of window starts whose targets lie in the split. */
  private startRange(split: Split): [number, number] {
    const span = this.window + this.horizon;
    if (split === 'train') return [0, this.splitAt - span];
    if (split === 'validation')
      return [Math.max(0, this.splitAt - this.window), this.series.length - span];
    throw new RangeError(`Forecasting: split must be 'train' or 'validation', got '${split}'`);
  }

  private windowsAt(starts: number[]): ForecastBatch {
    const B = starts.length;
    const inputs = new Float64Array(B * this.window);
    const targets = new Float64Array(B * this.horizon);
    starts.forEach((s, b) => {
      inputs.set(this.series.subarray(s, s + this.window), b * this.window);
      targets.set(
        this.series.subarray(s + this.window, s + this.window + this.horizon),
        b * this.horizon,
      );
    });
    return {
      inputs: fromData(inputs, [B, this.window, 1]),
      targets: fromData(targets, [B, this.horizon]),
      starts,
    };
  }
}
