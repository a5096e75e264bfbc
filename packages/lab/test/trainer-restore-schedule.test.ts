/**
 * A checkpoint taken under one learning-rate schedule resumes under the other:
 * - a constant-rate checkpoint under a cosine schedule: the schedule has no position
 *   to restore, so it counts from its own start — the first step keeps the restored
 *   rate η, the next uses η·(1 + cos(π·1/steps))/2;
 * - a cosine checkpoint under a constant rate: the schedule's position is dropped and
 *   every step keeps the rate the restored optimizer holds.
 * Weights and the step counter are restored either way.
 */

import { describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { Trainer } from '../src/trainer.ts';

const config = (c: Partial<TrainConfig>): TrainConfig => ({
  ...defaultConfig('adding'),
  cell: 'rnn',
  hidden: 3,
  layers: 1,
  seqLen: 5,
  batch: 2,
  evalBatch: 2,
  lr: 0.01,
  steps: 6,
  ...c,
});

function rates(trainer: Trainer, n: number): number[] {
  return Array.from({ length: n }, () => {
    const step = trainer.trainStep();
    if (!step.ok) throw new Error(step.message);
    return step.line.lr;
  });
}

describe('restoring a checkpoint of another schedule', () => {
  it('constant → cosine: the schedule starts from its beginning', () => {
    const constant = new Trainer(config({ schedule: 'constant' }));
    rates(constant, 2);
    const state = constant.captureState();
    const cosine = new Trainer(config({ schedule: 'cosine' }));
    cosine.restoreState(state);
    expect(cosine.captureState().parameters).toEqual(state.parameters);
    expect(cosine.captureState().step).toBe(state.step);
    const eta = (k: number) => (0.01 * (1 + Math.cos((Math.PI * k) / 6))) / 2;
    expect(rates(cosine, 2)).toBeAllclose([0.01, eta(1)], { rtol: 1e-12, atol: 0 });
  });

  it('cosine → constant: the rate the optimizer held stays', () => {
    const cosine = new Trainer(config({ schedule: 'cosine' }));
    rates(cosine, 2);
    const state = cosine.captureState();
    const held = (0.01 * (1 + Math.cos((Math.PI * 2) / 6))) / 2; // after two steps of cosine
    const constant = new Trainer(config({ schedule: 'constant' }));
    constant.restoreState(state);
    expect(constant.captureState().parameters).toEqual(state.parameters);
    expect(rates(constant, 3)).toBeAllclose([held, held, held], { rtol: 1e-12, atol: 0 });
  });
});
