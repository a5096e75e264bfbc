import { fromData } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { FORECAST_SOLVED_SKILL, Forecasting } from '../src/index.ts';

/** 1, 0, 1, 0, …: every step moves by 1, so persistence is off by exactly 1 everywhere. */
const alternating = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));

describe('Forecasting.evaluate', () => {
  it('reports the loss as MSE beside persistence MSE, their ratio, and skill = 1 − RMSE ratio', () => {
    const task = new Forecasting(alternating(40), { window: 3, horizon: 1 });
    const batch = task.windows('validation');
    const B = batch.starts.length;
    // Off by exactly 0.5 everywhere: RMSE 0.5 against persistence's 1.
    const predictions = Float64Array.from(
      batch.targets.data,
      (y, b) => y + (b % 2 === 0 ? 0.5 : -0.5),
    );
    const result = task.evaluate(fromData(predictions, [B, 1]), batch);
    expect(result.persistenceRmse).toBe(1);
    expect(result.rmse).toBe(0.5);
    expect(result.loss).toBe(0.25);
    expect(result.baseline).toBe(1);
    expect(result.relativeLoss).toBe(0.25);
    // skill 1 − 0.5 / 1 is exactly the threshold: solved is "skill >= 0.5".
    expect(result.skill).toBe(FORECAST_SOLVED_SKILL);
    expect(result.solved).toBe(true);

    const worse = Float64Array.from(batch.targets.data, (y) => y + 0.75);
    const missed = task.evaluate(fromData(worse, [B, 1]), batch);
    expect(missed.skill).toBe(0.25);
    expect(missed.solved).toBe(false);
    expect(missed.relativeLoss).toBe(0.5625);
  });

  it('repeats the last value of each window over the whole horizon for persistence', () => {
    const series = Array.from({ length: 30 }, (_, i) => i * i);
    const task = new Forecasting(series, { window: 4, horizon: 3 });
    const batch = task.windows('train', 2, 3);
    expect(batch.starts).toEqual([2, 3, 4]);
    expect(Array.from(task.persistence(batch).data)).toEqual([25, 25, 25, 36, 36, 36, 49, 49, 49]);
  });

  it('refuses a validationFraction outside (0, 0.9], naming it and the value', () => {
    const series = alternating(100);
    for (const bad of [0, -0.1, 0.95, Number.NaN]) {
      expect(() => new Forecasting(series, { window: 2, validationFraction: bad })).toThrow(
        `Forecasting: validationFraction must be a number in (0, 0.9], got ${bad}`,
      );
    }
    expect(new Forecasting(series, { window: 2, validationFraction: 0.9 }).splitAt).toBe(10);
  });

  it('refuses a split that leaves no whole window in either part, and accepts one that leaves exactly one', () => {
    // 10 values, 20% held out: train is [0, 8). A window of 7 + 1 fits once; 8 + 1 does not.
    expect(new Forecasting(alternating(10), { window: 7 }).count('train')).toBe(1);
    expect(() => new Forecasting(alternating(10), { window: 8 })).toThrow(
      'Forecasting: a series of 10 values split at 8 has no room for windows of 8 + 1 values in both parts',
    );
    // 20 values split at 16: validation holds 4 values to predict, so a horizon of 4 fits once, 5 not.
    expect(new Forecasting(alternating(20), { window: 2, horizon: 4 }).count('validation')).toBe(1);
    expect(() => new Forecasting(alternating(20), { window: 2, horizon: 5 })).toThrow(
      'Forecasting: a series of 20 values split at 16 has no room for windows of 2 + 5 values in both parts',
    );
  });

  it('refuses an unknown split by name', () => {
    const task = new Forecasting(alternating(40), { window: 3 });
    expect(() => task.count('test' as 'train')).toThrow(
      "Forecasting: split must be 'train' or 'validation', got 'test'",
    );
  });
});
