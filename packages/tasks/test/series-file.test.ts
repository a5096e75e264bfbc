/**
 * A user's series: missing values refused with their line or filled as asked, statistics
 * of the training part only, and the seasonal-naive forecast, each against hand-worked
 * numbers.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  autocorrelation,
  columnValues,
  denormalize,
  estimateSeason,
  normalize,
  type SeriesTable,
  seasonalNaive,
  trainingNormalization,
} from '../src/index.ts';

/** A table of one column 'y' (and a date), one row per cell, data from line 2. */
const table = (cells: string[]): SeriesTable => ({
  header: ['date', 'y'],
  rows: cells.map((y, i) => ({ line: i + 2, cells: [`d${i}`, y] })),
});

describe('columnValues', () => {
  it('reads numbers', () => {
    expect(Array.from(columnValues(table(['1', ' 2.5', '-3e1']), 'y').values)).toEqual([
      1, 2.5, -30,
    ]);
  });

  it('refuses a missing value with its line, unless a fill is asked for', () => {
    expect(() => columnValues(table(['1', '2', 'NA', '4']), 'y')).toThrow(
      /^line 4: column 'y' has no value \("NA"\): fill the gap in the file, or ask for one with --fill previous\|linear$/,
    );
    expect(() => columnValues(table(['1', '', '3']), 'y')).toThrow(/^line 3:/);
  });

  it('fills from the previous value, or on the straight line between neighbours', () => {
    const cells = ['1', '', 'nan', '7', 'null'];
    expect(Array.from(columnValues(table(cells), 'y', 'previous').values)).toEqual([1, 1, 1, 7, 7]);
    // From (0, 1) to (3, 7): slope 2, so 3 and 5; the end is flat at 7.
    const linear = columnValues(table(cells), 'y', 'linear');
    expect(Array.from(linear.values)).toEqual([1, 3, 5, 7, 7]);
    expect(linear.filled).toBe(3);
  });

  it('refuses a missing first value even with a fill, a word, and an unknown column', () => {
    expect(() => columnValues(table(['', '2']), 'y', 'previous')).toThrow(
      /^line 2: .*starts with a missing value/,
    );
    expect(() => columnValues(table(['1', '1,5']), 'y')).toThrow(
      /^line 3: column 'y' holds "1,5", not a number/,
    );
    expect(() => columnValues(table(['1', '2']), 'births')).toThrow(
      "no column 'births' for --column: the header has 'date', 'y'",
    );
  });
});

describe('trainingNormalization', () => {
  it('takes μ and σ from the training part only: the validation part changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -400, max: 400 }).map((k) => k / 4),
          { minLength: 3, maxLength: 30 },
        ),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 10 }),
        (train, validation) => {
          fc.pre(new Set(train).size > 1);
          const a = trainingNormalization([...train, ...validation], train.length);
          const b = trainingNormalization(train, train.length);
          expect(a).toEqual(b);
        },
      ),
      { seed: 17, numRuns: 100 },
    );
  });

  it('gives μ = 5, σ = 2 on the textbook eight (2, 4, 4, 4, 5, 5, 7, 9), and maps there and back', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9, 1000];
    const stats = trainingNormalization(values, 8);
    expect(stats).toEqual({ mean: 5, std: 2 });
    expect(Array.from(normalize([5, 9], stats))).toEqual([0, 2]);
    expect(Array.from(denormalize([0, 2], stats))).toEqual([5, 9]);
  });

  it('refuses a constant training part', () => {
    expect(() => trainingNormalization([3, 3, 3, 9], 3)).toThrow(/the training part is constant/);
  });
});

describe('seasonalNaive', () => {
  it('repeats the last season: m = 3, H = 4 from the window 1 … 6', () => {
    // ŷ_{t+1} = y_{t−2} = 4, ŷ_{t+2} = 5, ŷ_{t+3} = 6, ŷ_{t+4} = y_{t+4−6} = 5.
    const windows = [1, 2, 3, 4, 5, 6];
    expect(Array.from(seasonalNaive(windows, 1, 6, 4, 3))).toEqual([4, 5, 6, 4]);
    expect(Array.from(seasonalNaive(windows, 1, 6, 2, 1))).toEqual([6, 6]); // m = 1: persistence
  });

  it('refuses a season longer than the window', () => {
    expect(() => seasonalNaive([1, 2], 1, 2, 1, 3)).toThrow(
      /season must be an integer in \[1, 2\]/,
    );
  });
});

describe('estimateSeason', () => {
  it('finds the period of a sine and of a weekly pattern, and none in a straight line', () => {
    const sine = Array.from({ length: 200 }, (_, i) => Math.sin((2 * Math.PI * i) / 12));
    expect(estimateSeason(sine, 30)).toBe(12);
    const weekly = Array.from({ length: 140 }, (_, i) => [5, 6, 6, 6, 6, 3, 2][i % 7]! + 0.001 * i);
    expect(estimateSeason(weekly, 30)).toBe(7);
    expect(
      estimateSeason(
        Array.from({ length: 50 }, (_, i) => i),
        20,
      ),
    ).toBe(1);
  });

  it('autocorrelation: r(1) of 1, 2, 3, 4 is 0.25 by hand', () => {
    // x̄ = 2.5; deviations −1.5, −0.5, 0.5, 1.5; Σd² = 5; Σ d_i d_{i+1} = 0.75 − 0.25 + 0.75 = 1.25.
    expect(autocorrelation([1, 2, 3, 4], 1)).toBeCloseTo(0.25, 12);
  });
});
