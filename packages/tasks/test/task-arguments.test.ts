import { fromData, Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { Forecasting, Parity, TemporalOrder } from '../src/index.ts';

/** Every refusal names the method, the argument, the allowed range and the value given. */
describe('task arguments', () => {
  it('parity: length, batchSize and the logits’ shape', () => {
    expect(() => new Parity({ length: 0 })).toThrow(
      'Parity: length must be an integer >= 1, got 0',
    );
    const task = new Parity({ length: 3 });
    expect(() => task.batch(0, new Rng(1))).toThrow(
      'Parity.batch: batchSize must be an integer >= 1, got 0',
    );
    const batch = task.batch(2, new Rng(1));
    expect(() => task.evaluate(fromData(new Float64Array(6), [2, 3]), batch)).toThrow(
      'Parity.evaluate: logits must have shape [2, 2], got [2, 3]',
    );
  });

  it('temporal order: batchSize and the logits’ shape', () => {
    const task = new TemporalOrder({ length: 10 });
    expect(() => task.batch(1.5, new Rng(1))).toThrow(
      'TemporalOrder.batch: batchSize must be an integer >= 1, got 1.5',
    );
    const batch = task.batch(2, new Rng(1));
    expect(() => task.evaluate(fromData(new Float64Array(4), [2, 2]), batch)).toThrow(
      'TemporalOrder.evaluate: logits must have shape [2, 4], got [2, 2]',
    );
  });

  it('forecasting: window, horizon, batchSize, and the windows’ offset and count', () => {
    const series = Array.from({ length: 50 }, (_, i) => i);
    expect(() => new Forecasting(series, { window: 0 })).toThrow(
      'Forecasting: window must be an integer >= 1, got 0',
    );
    expect(() => new Forecasting(series, { window: 2, horizon: 0 })).toThrow(
      'Forecasting: horizon must be an integer >= 1, got 0',
    );
    const task = new Forecasting(series, { window: 4 });
    expect(() => task.batch(0, new Rng(1))).toThrow(
      'Forecasting.batch: batchSize must be an integer >= 1, got 0',
    );
    // 50 values split at 40: train windows start at 0 … 35, 36 of them.
    const n = task.count('train');
    expect(n).toBe(36);
    expect(() => task.windows('train', n)).toThrow(
      `Forecasting.windows: offset must be an integer in [0, ${n - 1}], got ${n}`,
    );
    expect(() => task.windows('train', 30, 7)).toThrow(
      'Forecasting.windows: count must be an integer in [1, 6], got 7',
    );
    // Without a count, from the offset to the last window.
    expect(task.windows('train', 30).starts).toEqual([30, 31, 32, 33, 34, 35]);
    expect(task.windows('train', n - 1).starts).toEqual([35]);
    // Validation windows read their context from before the split; the offset counts from the first.
    expect(task.windows('validation', 2, 2).starts).toEqual([38, 39]);
    expect(Array.from(task.windows('validation', 2, 2).targets.data)).toEqual([42, 43]);
  });
});

describe('batches hold exactly B sequences', () => {
  it('parity and temporal order list one length or one set of positions per sequence', () => {
    for (const B of [1, 3]) {
      expect(new Parity({ length: 6, minLength: 2 }).batch(B, new Rng(B)).lengths).toHaveLength(B);
      expect(new TemporalOrder({ length: 12 }).batch(B, new Rng(B)).positions).toHaveLength(B);
    }
  });

  it('temporal order fills the steps between E and B with all four distractors, evenly', () => {
    const T = 30;
    const batch = new TemporalOrder({ length: T }).batch(200, new Rng(9));
    const counts = [0, 0, 0, 0];
    for (let b = 0; b < 200; b++) {
      const relevant = new Set(batch.positions[b]);
      for (let t = 1; t < T - 1; t++) {
        if (!relevant.has(t)) counts[batch.inputIds.data[b * T + t]!]!++;
      }
    }
    // 200 × 26 = 5,200 distractors: 1,300 expected of each, standard deviation ≈ 31.
    const total = counts.reduce((a, c) => a + c, 0);
    expect(total).toBe(200 * 26);
    for (const c of counts) expect(Math.abs(c - total / 4)).toBeLessThan(150);
  });
});
