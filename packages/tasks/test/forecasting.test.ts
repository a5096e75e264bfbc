import { arbitraries } from '@unroll/gradcheck';
import { fromData, Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Forecasting, mackeyGlass } from '../src/index.ts';

const ramp = (n: number) => Float64Array.from({ length: n }, (_, t) => t);

describe('Forecasting', () => {
  it('cuts windows followed by their horizon, targets on the right side of the split', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 40, max: 120 }),
        arbitraries.seed(),
        (window, horizon, n, seed) => {
          const task = new Forecasting(ramp(n), { window, horizon });
          for (const split of ['train', 'validation'] as const) {
            const batch = task.batch(5, new Rng(seed), split);
            expect(batch.inputs.shape).toEqual([5, window, 1]);
            expect(batch.targets.shape).toEqual([5, horizon]);
            batch.starts.forEach((s, b) => {
              // On a ramp, value = index: the window is s … s + window − 1, the targets follow.
              expect(Array.from(batch.inputs.data.subarray(b * window, (b + 1) * window))).toEqual(
                Array.from({ length: window }, (_, i) => s + i),
              );
              const targets = Array.from(
                batch.targets.data.subarray(b * horizon, (b + 1) * horizon),
              );
              expect(targets).toEqual(Array.from({ length: horizon }, (_, i) => s + window + i));
              if (split === 'train') expect(Math.max(...targets)).toBeLessThan(task.splitAt);
              else expect(Math.min(...targets)).toBeGreaterThanOrEqual(task.splitAt);
            });
          }
          // Every target of the series after the first window is used exactly once per split.
          expect(task.count('train')).toBe(task.splitAt - window - horizon + 1);
          expect(task.windows('validation').targets.data[0]).toBe(task.splitAt);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('computes persistence: the last value repeated, RMSE √(mean k²) on a ramp', () => {
    const task = new Forecasting(ramp(100), { window: 4, horizon: 3 });
    const batch = task.windows('train', 0, 2);
    expect(task.persistence(batch).toArray()).toEqual([
      [3, 3, 3],
      [4, 4, 4],
    ]);
    // Errors 1, 2, 3 at every window: RMSE = √((1 + 4 + 9) / 3).
    expect(task.evaluateAll('validation').persistenceRmse).toBeAllclose(Math.sqrt(14 / 3), {
      atol: 1e-14,
    });
    // info's baseline is in the task's loss, MSE: (1 + 4 + 9) / 3.
    expect(task.info.baseline.value).toBeAllclose(14 / 3, { atol: 1e-13 });
  });

  it('gives exact forecasts skill 1 and persistence skill 0', () => {
    const task = new Forecasting(mackeyGlass({ length: 300 }), {
      window: 20,
      horizon: 2,
      name: 'Mackey–Glass',
    });
    const batch = task.batch(16, new Rng(1));
    expect(task.evaluate(batch.targets, batch)).toMatchObject({ rmse: 0, skill: 1, solved: true });
    const persistence = task.evaluate(task.persistence(batch), batch);
    expect(persistence.skill).toBe(0);
    expect(persistence.relativeLoss).toBe(1);
    expect(persistence.solved).toBe(false);
  });

  it('is deterministic for a seed', () => {
    const task = new Forecasting(ramp(500), { window: 8 });
    expect(task.batch(6, new Rng(4)).starts).toEqual(task.batch(6, new Rng(4)).starts);
  });

  it('refuses series too short for a window and mis-shaped predictions', () => {
    expect(() => new Forecasting(ramp(10), { window: 8, horizon: 2 })).toThrow(
      'Forecasting: a series of 10 values split at 8 has no room for windows of 8 + 2 values in both parts',
    );
    const task = new Forecasting(ramp(50), { window: 5, horizon: 2 });
    const batch = task.windows('train', 0, 3);
    expect(() => task.evaluate(fromData(new Float64Array(3), [3, 1]), batch)).toThrow(
      'Forecasting.evaluate: predictions must have shape [3, 2], got [3, 1]',
    );
  });
});
