/**
 * Forecasting a column of the user's CSV file (or, without one, a generated sum of
 * sines), as the trainer sees a task: read a window of T values, predict the H that
 * follow (a 'last' readout with H outputs, MSE loss).
 *
 * The network works in normalized units z = (x − μ) / σ, μ and σ from the training part
 * (series-file.ts); its loss is the MSE there. Everything a person reads — RMSE, the
 * baselines, the plot — is in the file's units: RMSE_x = σ · RMSE_z, since x − x̂ = σ(z − ẑ).
 *
 * Training windows are drawn at random from the training part with the run's data
 * generator (so its state is the data position, as for the synthetic tasks); the
 * held-out batch is the validation part's windows in order (at most MAX_HELD_WINDOWS),
 * the same for every run and for the report, which rebuilds the baselines from it.
 *
 * Two baselines, both scored on the same windows: persistence (repeat the last value)
 * and seasonal naive (repeat the last season, m estimated from the training part or
 * given with --season). The run counts as solved when it beats both.
 */

import {
  estimateSeason,
  Forecasting,
  normalize,
  seasonalNaive,
  sumOfSines,
  trainingNormalization,
} from '@unroll/tasks';
import { mse, Rng } from '@unroll/tensor';
import type { TrainConfig } from './config.ts';
import { seriesData } from './run-data.ts';
import type { DataPosition, TaskAdapter, TrainingBatch } from './task-adapters.ts';

/** The held-out batch: the validation part's windows in order, at most this many. */
export const MAX_HELD_WINDOWS = 4096;

const rmse = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum / a.length);
};

/** Validation windows in order, their starts, and both baselines' forecasts on them (normalized). */
export interface ForecastWindows {
  batch: TrainingBatch;
  starts: number[];
  persistence: Float64Array;
  seasonal: Float64Array;
}

/** What the task needs of its series: the values, their training statistics, the season. */
interface SeriesSpec {
  values: Float64Array;
  mean: number;
  std: number;
  season: number;
  horizon: number;
  validationFraction: number;
  column: string;
  file: string;
}

/** Without --series: a generated sum of three sines with noise (seed 0), 2,000 values. */
export function generatedSeries(config: TrainConfig): SeriesSpec {
  const values = sumOfSines({ length: 2000 }, new Rng(0)).values;
  const validationFraction = 0.2;
  const splitAt = Math.round(values.length * (1 - validationFraction));
  const stats = trainingNormalization(values, splitAt);
  const season = estimateSeason(values.subarray(0, splitAt), config.seqLen);
  return {
    values,
    ...stats,
    season,
    horizon: 1,
    validationFraction,
    column: 'x',
    file: 'sum of sines',
  };
}

export function forecastTask(
  config: TrainConfig,
  dataRng: Rng,
): TaskAdapter & { held: ForecastWindows } {
  const source: SeriesSpec =
    config.series === undefined
      ? generatedSeries(config)
      : { ...config.series, values: seriesData(config.series).values };
  const { values } = source;
  const T = config.seqLen;
  const H = source.horizon;
  const problem = new Forecasting(normalize(values, source), {
    window: T,
    horizon: H,
    validationFraction: source.validationFraction,
    name: `${source.column} of ${source.file}`,
  });
  const toBatch = (b: ReturnType<Forecasting['batch']>): TrainingBatch => ({
    xs: b.inputs.data,
    batchSize: b.starts.length,
    steps: T,
    targets: b.targets,
    resetState: true,
  });
  const count = Math.min(problem.count('validation'), MAX_HELD_WINDOWS);
  const windows = problem.windows('validation', 0, count);
  const held: ForecastWindows = {
    batch: toBatch(windows),
    starts: windows.starts,
    persistence: problem.persistence(windows).data,
    seasonal: seasonalNaive(windows.inputs.data, count, T, H, source.season),
  };
  const targets = windows.targets.data;
  const persistenceRmse = rmse(held.persistence, targets) * source.std;
  const seasonalRmse = rmse(held.seasonal, targets) * source.std;
  // The loss plot is in the network's units: MSE of z = (RMSE_x / σ)².
  const inLoss = (r: number) => (r / source.std) ** 2;
  const seasonLabel =
    source.season === 1
      ? 'seasonal naive (no season: m = 1)'
      : `seasonal naive (m = ${source.season})`;
  return {
    name: 'forecast',
    info: {
      ...problem.info,
      name: `forecasting ${source.column} of ${source.file} (window ${T}, horizon ${H})`,
      baseline: {
        value: inLoss(seasonalRmse),
        description: `${seasonLabel} on the ${count} validation windows; persistence's RMSE is ${persistenceRmse.toPrecision(4)}`,
        citation: 'Hyndman & Athanasopoulos, Forecasting: Principles and Practice, §5.2',
      },
      solved: 'a validation RMSE below both persistence and seasonal naive',
    },
    inputSize: 1,
    outputSize: H,
    readout: 'last',
    baselines: [
      { value: inLoss(seasonalRmse), label: seasonLabel },
      { value: inLoss(persistenceRmse), label: 'persistence' },
    ],
    vocabulary: null,
    next: () => toBatch(problem.batch(config.batch, dataRng)),
    position: (): DataPosition => ({ rng: dataRng.getState() }),
    seek(position) {
      if (!('rng' in position)) throw new Error('the forecast task resumes from a generator state');
      dataRng.setState(position.rng);
    },
    evalBatch: held.batch,
    held,
    evaluate(predictions, batch) {
      const loss = mse(predictions, batch.targets).item();
      const modelRmse = Math.sqrt(loss) * source.std;
      return {
        loss,
        solved: modelRmse < persistenceRmse && modelRmse < seasonalRmse,
        extra: {
          rmse: modelRmse,
          persistenceRmse,
          seasonalNaiveRmse: seasonalRmse,
          skillVsSeasonalNaive: 1 - modelRmse / seasonalRmse,
        },
      };
    },
  };
}
