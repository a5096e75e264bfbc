/**
 * What a Trainer is built from: the optimizer and the schedule the config names, and the
 * size of the gradient-flow probe — 64 sequences up to T = 1,000, then as many as fit in
 * 256 MiB at about 30 float64 numbers of state per unit, step and layer (worked by hand).
 */

import { Adagrad, Adam, CosineAnnealingLR, RMSprop, SGD } from '@unroll/optim';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { PROBE_BATCH, PROBE_MEMORY, probeSize, Trainer } from '../src/trainer.ts';

const config = (c: Partial<TrainConfig> = {}): TrainConfig => ({
  ...defaultConfig('adding'),
  seqLen: 4,
  hidden: 3,
  batch: 2,
  evalBatch: 2,
  ...c,
});

describe('the Trainer builds what the config names', () => {
  it.each([
    ['sgd', SGD],
    ['rmsprop', RMSprop],
    ['adagrad', Adagrad],
    ['adam', Adam],
  ] as const)('--optimizer %s', (name, kind) => {
    const t = new Trainer(config({ optimizer: name, lr: 0.02 }));
    expect(t.optimizer).toBeInstanceOf(kind);
    expect(t.optimizer.paramGroups[0]!.lr).toBe(0.02);
  });
  it('--schedule cosine anneals over the run; constant has no scheduler', () => {
    expect(new Trainer(config({ schedule: 'cosine' })).scheduler).toBeInstanceOf(CosineAnnealingLR);
    expect(new Trainer(config({ schedule: 'constant' })).scheduler).toBeNull();
  });
  it('the probe batch has probeSize(config) sequences', () => {
    expect(new Trainer(config()).probeBatch.batchSize).toBe(PROBE_BATCH);
  });
});

describe('probeSize', () => {
  it('is 64 up to T = 1,000, whatever the model', () => {
    expect(PROBE_BATCH).toBe(64);
    expect(probeSize(config({ seqLen: 1000, hidden: 4096, layers: 8 }))).toBe(64);
  });
  it('past T = 1,000, ⌊256 MiB / (T·layers·H·30·8 bytes)⌋, between 1 and 64', () => {
    expect(PROBE_MEMORY).toBe(268_435_456);
    // 1001·1·64·240 = 15,375,360 bytes per sequence: ⌊268,435,456 / 15,375,360⌋ = 17
    expect(probeSize(config({ seqLen: 1001, hidden: 64, layers: 1 }))).toBe(17);
    // two layers: 30,750,720 bytes, 8 sequences
    expect(probeSize(config({ seqLen: 1001, hidden: 64, layers: 2 }))).toBe(8);
    // a small model would fit 139; the probe stays at 64
    expect(probeSize(config({ seqLen: 1001, hidden: 8, layers: 1 }))).toBe(64);
    // one sequence does not fit, and is probed anyway
    expect(probeSize(config({ seqLen: 100_000, hidden: 512, layers: 4 }))).toBe(1);
  });
});
