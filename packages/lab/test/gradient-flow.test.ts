/**
 * gradient-flow.ts: ‖∂L/∂h_t‖ for every t of a probe batch, the verdict and the spectra —
 * measured without changing anything about training; at t = T, for the adding problem,
 * the norm derived by hand.
 */

import { describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { predict } from '../src/engines.ts';
import { largestRadius, probeGradientFlow } from '../src/gradient-flow.ts';
import { Trainer } from '../src/trainer.ts';

const trainer = (c: Partial<TrainConfig>) =>
  new Trainer({ ...defaultConfig('adding'), seqLen: 9, hidden: 5, evalBatch: 4, ...c });

describe('probeGradientFlow', () => {
  it('leaves the parameters as they were and no gradient behind', () => {
    const t = trainer({ cell: 'gru', layers: 2 });
    const before = t.model.parameters().map((p) => p.data.slice());
    const snapshot = probeGradientFlow(t.model, t.task, t.probeBatch, 0);
    t.model.parameters().forEach((p, k) => {
      expect(p.data).toEqual(before[k]);
      expect(p.grad).toBe(null);
    });
    expect(snapshot.norms).toHaveLength(2); // one row per layer…
    for (const layer of snapshot.norms) expect(layer).toHaveLength(9); // …one norm per step
    expect(snapshot.spectra.map((s) => s.name)).toEqual(['weight_hh_l0', 'weight_hh_l1']);
  });

  it('measures ‖∂L/∂h_T‖ = (2/B)·‖w‖·‖ŷ − y‖ for the adding problem (MSE of a linear readout of h_T)', () => {
    const t = trainer({ cell: 'lstm' });
    const batch = t.probeBatch;
    const predictions = predict(t.model, t.task, batch).data;
    const targets = batch.targets.data;
    let residual = 0;
    for (let b = 0; b < batch.batchSize; b++) residual += (predictions[b]! - targets[b]!) ** 2;
    const w = Math.hypot(...t.model.readout.weight.data);
    const expected = (2 / batch.batchSize) * w * Math.sqrt(residual);
    const { norms, loss } = probeGradientFlow(t.model, t.task, batch, 0);
    expect(norms[0]![8]).toBeAllclose(expected, { atol: 0, rtol: 1e-12 });
    expect(loss).toBeAllclose(residual / batch.batchSize, { atol: 0, rtol: 1e-12 });
  });

  it('judges the top layer, and says why when a sequence is too short to judge', () => {
    const t = trainer({ cell: 'rnn' });
    const snapshot = probeGradientFlow(t.model, t.task, t.probeBatch, 0);
    expect(snapshot.verdict!.ratio).toBeAllclose(snapshot.norms[0]![0]! / snapshot.norms[0]![8]!, {
      atol: 0,
      rtol: 1e-12,
    });
    const one = trainer({ cell: 'rnn', task: 'charlm', seqLen: 1, batch: 2 });
    const short = probeGradientFlow(one.model, one.task, one.probeBatch, 0);
    expect(short.verdict).toBe(null);
    expect(short.note).toMatch(/at least 2 timesteps/);
  });
});

describe('largestRadius', () => {
  it("is, for each weight_hh, the largest of its gates' spectral radii", () => {
    const t = trainer({ cell: 'lstm', hidden: 2 });
    // weight_hh [4·2, 2]: the blocks of i, f, g, o are diag(0.5, 0.2), diag(3, −1), 0, diag(−2, 0.1).
    t.model.cellOf(0).weight_hh.data.set([0.5, 0, 0, 0.2, 3, 0, 0, -1, 0, 0, 0, 0, -2, 0, 0, 0.1]);
    const snapshot = probeGradientFlow(t.model, t.task, t.probeBatch, 0);
    expect(snapshot.spectra[0]!.gates.map((g) => g.spectralRadius)).toBeAllclose([0.5, 3, 0, 2], {
      atol: 1e-9,
      rtol: 1e-9,
    });
    expect(largestRadius(snapshot)).toBeAllclose([3], { atol: 1e-9, rtol: 1e-9 });
  });
});
