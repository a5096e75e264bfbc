/**
 * A user's own series, from the cells of a table (a CSV file parsed by whoever reads it)
 * to numbers a network can learn from, and the two forecasts a network must beat.
 *
 * Missing values. An empty cell, NA, N/A, NaN or null is missing. Missing values are
 * refused, naming the row, unless a fill is asked for:
 *   previous   carry the last value seen forward (a missing first value is still refused)
 *   linear     draw a straight line between the values either side
 *
 * Normalization. A network learns best from values of order 1, so the series is fed as
 * z = (x − μ) / σ, with μ and σ from the TRAINING part only: statistics taken over the
 * validation part would tell the model something about the future it is scored on.
 * Predictions are mapped back, x = μ + σ z, to be read in the file's own units.
 *
 * Seasonal naive (Hyndman & Athanasopoulos, Forecasting: Principles and Practice, §5.2):
 * repeat the last season, ŷ_{t+h} = y_{t+h−m·k} with k = ⌈h/m⌉, m the season length. With
 * m = 1 it is persistence. On daily data with a weekly rhythm (m = 7) it is much harder
 * to beat than persistence, and so the fairer yardstick.
 *
 * Browser-safe: no files here, only cells and numbers.
 */

/** A table as a CSV reader gives it: the header and each data row with its line in the file. */
export interface SeriesTable {
  header: readonly string[];
  rows: readonly { line: number; cells: readonly string[] }[];
}

export type FillMethod = 'previous' | 'linear';

/** A column that cannot be used as a series; the message names the row and what would work. */
export class SeriesError extends Error {
  override name = 'SeriesError';
}

const MISSING = /^(|na|n\/a|nan|null)$/i;

/** The index of a named column, or an error listing the columns there are. */
export function columnIndex(table: SeriesTable, column: string, flag = '--column'): number {
  const index = table.header.indexOf(column);
  if (index === -1) {
    throw new SeriesError(
      `no column '${column}' for ${flag}: the header has ${table.header.map((h) => `'${h}'`).join(', ')}`,
    );
  }
  return index;
}

/** The numbers of one column; missing ones refused (with their line) or filled as asked. */
export function columnValues(
  table: SeriesTable,
  column: string,
  fill: FillMethod | null = null,
): { values: Float64Array; filled: number } {
  const index = columnIndex(table, column);
  const n = table.rows.length;
  const values = new Float64Array(n);
  const missing: number[] = [];
  table.rows.forEach(({ line, cells }, i) => {
    const cell = (cells[index] ?? '').trim();
    if (MISSING.test(cell)) {
      if (fill === null) {
        throw new SeriesError(
          `line ${line}: column '${column}' has no value (${JSON.stringify(cell)}): fill the gap in the file, or ask for one with --fill previous|linear`,
        );
      }
      missing.push(i);
      values[i] = Number.NaN;
      return;
    }
    const value = Number(cell);
    if (!Number.isFinite(value)) {
      throw new SeriesError(
        `line ${line}: column '${column}' holds ${JSON.stringify(cell)}, not a number: a series needs numbers (a dot for decimals, no thousands separators)`,
      );
    }
    values[i] = value;
  });
  for (const i of missing) {
    const before = lastFinite(values, i);
    if (before === -1) {
      throw new SeriesError(
        `line ${table.rows[i]!.line}: column '${column}' starts with a missing value, and there is nothing before it to fill from: remove the row`,
      );
    }
    if (fill === 'previous') {
      values[i] = values[before]!;
      continue;
    }
    let after = i + 1;
    while (after < n && Number.isNaN(values[after]!)) after++;
    if (after === n) {
      values[i] = values[before]!; // nothing after it: the line is flat from the last value
      continue;
    }
    // The straight line through (before, y_before) and (after, y_after), at i.
    const share = (i - before) / (after - before);
    values[i] = values[before]! + share * (values[after]! - values[before]!);
  }
  if (n < 2)
    throw new SeriesError(`column '${column}' has ${n} value(s): a series needs many more`);
  return { values, filled: missing.length };
}

function lastFinite(values: Float64Array, i: number): number {
  for (let j = i - 1; j >= 0; j--) if (!Number.isNaN(values[j]!)) return j;
  return -1;
}

export interface Normalization {
  /** μ of the training part. */
  mean: number;
  /** σ of the training part (population form, Σ(x − μ)² / n). */
  std: number;
}

/** μ and σ of values[0 … splitAt): the training part only. */
export function trainingNormalization(values: ArrayLike<number>, splitAt: number): Normalization {
  if (!(splitAt >= 2 && splitAt <= values.length)) {
    throw new RangeError(
      `trainingNormalization: splitAt must be in [2, ${values.length}], got ${splitAt}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < splitAt; i++) sum += values[i]!;
  const mean = sum / splitAt;
  let squares = 0;
  for (let i = 0; i < splitAt; i++) squares += (values[i]! - mean) ** 2;
  const std = Math.sqrt(squares / splitAt);
  if (!(std > 0)) {
    throw new SeriesError(
      `the training part is constant (every value ${mean}): there is nothing to forecast`,
    );
  }
  return { mean, std };
}

/** z = (x − μ) / σ, element by element. */
export function normalize(values: ArrayLike<number>, { mean, std }: Normalization): Float64Array {
  return Float64Array.from(values, (x) => (x - mean) / std);
}

/** x = μ + σ z: back to the file's units. */
export function denormalize(values: ArrayLike<number>, { mean, std }: Normalization): Float64Array {
  return Float64Array.from(values, (z) => mean + std * z);
}

/**
 * The seasonal-naive forecast [B, H] of windows [B, T] (flattened): ŷ_{T−1+h} = x_{T−1+h−m·⌈h/m⌉},
 * read from inside each window, so it needs T ≥ m.
 */
export function seasonalNaive(
  windows: ArrayLike<number>,
  batchSize: number,
  window: number,
  horizon: number,
  season: number,
): Float64Array {
  if (!(Number.isInteger(season) && season >= 1 && season <= window)) {
    throw new RangeError(
      `seasonalNaive: season must be an integer in [1, ${window}] (the window), got ${season}`,
    );
  }
  const out = new Float64Array(batchSize * horizon);
  for (let b = 0; b < batchSize; b++) {
    for (let h = 1; h <= horizon; h++) {
      // Position of y_{t+h−m⌈h/m⌉} in the window, whose last value is y_t at T − 1.
      const back = season * Math.ceil(h / season);
      out[b * horizon + h - 1] = windows[b * window + window - 1 + h - back]!;
    }
  }
  return out;
}

/** r(L) = Σ (x_i − x̄)(x_{i+L} − x̄) / Σ (x_i − x̄)²: the sample autocorrelation at lag L. */
export function autocorrelation(values: ArrayLike<number>, lag: number): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    denominator += d * d;
    if (i + lag < n) numerator += d * (values[i + lag]! - mean);
  }
  return numerator / denominator;
}

/**
 * A season length guessed from the training part: the lag in [2, maxLag] where the
 * autocorrelation has its highest local peak (r(L − 1) < r(L) ≥ r(L + 1)), or 1 (no
 * season: seasonal naive is then persistence) when there is no peak above 0.
 */
export function estimateSeason(values: ArrayLike<number>, maxLag: number): number {
  const top = Math.min(maxLag, Math.floor(values.length / 2) - 1);
  const r = (lag: number) => autocorrelation(values, lag);
  let best = 1;
  let bestValue = 0;
  for (let lag = 2; lag <= top; lag++) {
    const here = r(lag);
    if (here > r(lag - 1) && here >= r(lag + 1) && here > bestValue) {
      best = lag;
      bestValue = here;
    }
  }
  return best;
}
