/**
 * trainer.ts: one training step — the windows of truncated BPTT, the global gradient
 * norm, a non-finite loss stopping the step before any update, the learning rate of
 * each step, evaluations on schedule — and the whole state captured and put back.
 */

import { tbptt } from '@unroll/bptt';
import type { LSTMCell } from '@unroll/cells';
import { fromData } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { predict, readoutOf } from '../src/engines.ts';
import { taskLoss } from '../src/task-adapters.ts';
import { gradientNorm, Trainer, windowsOf } from '../src/trainer.ts';

const config = (c: Partial<TrainConfig> = {}): TrainConfig => ({
  ...defaultConfig('adding'),
  seqLen: 6,
  hidden: 4,
  batch: 4,
  evalBatch: 4,
  ...c,
});

describe('windowsOf', () => {
  it('tiles the sequence in k1 steps and cuts k2 back', () => {
    expect(windowsOf(10, null)).toEqual([{ cut: 0, start: 0, end: 10 }]);
    expect(windowsOf(10, [4, 6])).toEqual([
      { cut: 0, start: 0, end: 4 },
      { cut: 2, start: 4, end: 8 },
      { cut: 4, start: 8, end: 10 },
    ]);
    expect(windowsOf(6, [3, 3])).toEqual([
      { cut: 0, start: 0, end: 3 },
      { cut: 3, start: 3, end: 6 },
    ]);
  });
});

describe('gradientNorm', () => {
  it('is √(Σ‖g‖²) over every parameter that has a gradient', () => {
    const a = fromData(new Float64Array(2), [2], { requiresGrad: true });
    const b = fromData(new Float64Array(1), [1], { requiresGrad: true });
    const c = fromData(new Float64Array(1), [1], { requiresGrad: true });
    a.grad = fromData(Float64Array.of(3, 4), [2]);
    b.grad = fromData(Float64Array.of(12), [1]);
    expect(gradientNorm([a, b, c])).toBe(13);
  });
});

describe('Trainer.trainStep', () => {
  it('writes the same lines for the same config: every draw is seeded', () => {
    const [x, y] = [new Trainer(config()), new Trainer(config())];
    for (let i = 0; i < 4; i++) expect(y.trainStep()).toEqual(x.trainStep());
  });

  it('evaluates every evalEvery steps and at the last step', () => {
    const t = new Trainer(config({ steps: 7, evalEvery: 3 }));
    const evaluated = [];
    for (let i = 0; i < 7; i++) {
      const r = t.trainStep();
      if (r.ok && r.line.eval) evaluated.push(r.line.step);
    }
    expect(evaluated).toEqual([3, 6, 7]);
  });

  it('records the learning rate each step used: cosine annealing, η·(1 + cos(π(k − 1)/steps))/2 at step k', () => {
    const t = new Trainer(config({ steps: 8, lr: 0.1, schedule: 'cosine' }));
    for (let k = 1; k <= 8; k++) {
      const r = t.trainStep();
      if (!r.ok) throw new Error(r.message);
      expect(r.line.lr).toBeAllclose((0.1 * (1 + Math.cos((Math.PI * (k - 1)) / 8))) / 2, {
        atol: 1e-15,
        rtol: 1e-12,
      });
    }
  });

  it('with an active clip, updates θ ← θ − η·g·c/(‖g‖ + 10⁻⁶), the gradient clipped before the step', () => {
    // SGD, not Adam: Adam's first step is η·g/|g| whatever g's scale, so it could not
    // tell a clipped gradient from an unclipped one.
    const c = config({ optimizer: 'sgd', lr: 0.5, clip: 0.01 });
    const t = new Trainer(c);
    // A twin with the same seeds draws the same batch: its gradient, by the same engine.
    const twin = new Trainer(c);
    const before = t.model.parameters().map((p) => p.data.slice());
    const result = twin.engine.runWindow(
      twin.model,
      twin.task,
      twin.task.next(),
      windowsOf(c.seqLen, null)[0]!,
      null,
    );
    expect(result.loss).not.toBeNull();
    const grads = twin.model.parameters().map((p) => p.grad!.data.slice());
    const norm = Math.sqrt(grads.reduce((s, g) => s + g.reduce((a, x) => a + x * x, 0), 0));
    expect(norm).toBeGreaterThan(10 * c.clip!); // the clip is active, and by a wide margin
    const scale = c.clip! / (norm + 1e-6); // PyTorch's clip_grad_norm_ coefficient
    const step = t.trainStep();
    if (!step.ok) throw new Error(step.message);
    expect(step.line.gradNorm).toBeAllclose(norm, { atol: 0, rtol: 1e-12 });
    t.model.parameters().forEach((p, i) => {
      const expected = before[i]!.map((theta, j) => theta - c.lr * grads[i]![j]! * scale);
      expect(p.data).toBeAllclose(expected, { atol: 1e-15, rtol: 1e-12 });
    });
  });

  it.each([
    [Number.NaN, 0, 'the loss is NaN'], // a NaN value: the prediction and the loss are NaN
    // ∞ only saturates the gates (a finite loss), but dW_ih = dGates·x meets σ'(∞)·∞ = 0·∞.
    [Number.POSITIVE_INFINITY, 1, 'the gradient norm is NaN'],
  ])('stops a step before any update when %s enters the input (%i): %s', (value, index, what) => {
    const t = new Trainer(config());
    t.trainStep();
    const before = t.captureState();
    const next = t.task.next.bind(t.task);
    t.task.next = () => {
      const batch = next();
      batch.xs[index] = value;
      return batch;
    };
    const result = t.trainStep();
    expect(result).toMatchObject({ ok: false, message: `step 2: ${what}`, anomaly: null });
    expect(t.step).toBe(1);
    for (const [name, p] of t.model.namedParameters()) {
      expect(p.data, name).toEqual(before.parameters[name]!.data);
      expect(p.grad, name).toBe(null);
    }
  });
});

describe('captureState and restoreState', () => {
  it('put into a fresh trainer, the state goes on exactly as the original (char-LM, truncated BPTT)', () => {
    const c = config({
      task: 'charlm',
      cell: 'gru',
      layers: 2,
      seqLen: 5,
      tbptt: [2, 3],
      batch: 2,
    });
    const original = new Trainer(c);
    for (let i = 0; i < 3; i++) original.trainStep();
    const copy = new Trainer(c);
    copy.restoreState(original.captureState());
    expect(copy.step).toBe(3);
    for (let i = 0; i < 3; i++) expect(copy.trainStep()).toEqual(original.trainStep());
  });

  it('is a copy: training on does not change a state captured before', () => {
    const t = new Trainer(config());
    t.trainStep();
    const state = t.captureState();
    const weights = state.parameters.weight_hh_l0!.data.slice();
    t.trainStep();
    expect(state.parameters.weight_hh_l0!.data).toEqual(weights);
    expect(state.step).toBe(1);
  });
});

describe('the windows of a step', () => {
  it('cover all of the batch’s steps, also when T is not --seq-len (copy: delay + 20)', () => {
    const c = config({ task: 'copy', cell: 'gru', layers: 1, seqLen: 5 });
    c.optimizer = 'sgd';
    c.lr = 0; // the weights stay put, so the step's loss is the whole batch's
    const { line } = new Trainer(c).trainStep() as { line: { loss: number } };
    const reference = new Trainer(c);
    const batch = reference.task.next();
    expect(batch.steps).toBe(25);
    const wholeBatch = taskLoss(
      reference.task,
      predict(reference.model, reference.task, batch),
      batch,
    )!;
    expect(line.loss).toBeAllclose(wholeBatch.item(), { rtol: 1e-12 });
  });
});

describe('truncated BPTT agrees with @unroll/bptt', () => {
  it('a step with k2 ≥ 2·k1 leaves the same weights as tbptt() with the same optimizer', () => {
    // k2 = 3·k1: each cut lies inside two earlier windows, where the two conventions differ.
    const c = config({ task: 'copy', cell: 'lstm', layers: 1, seqLen: 7, tbptt: [1, 3] });
    c.optimizer = 'sgd';
    c.lr = 0.5;
    c.clip = null;
    const trainer = new Trainer(c);
    trainer.trainStep();

    const reference = new Trainer(c); // same seed: same weights, same batch
    const { model, task, optimizer } = reference;
    const batch = task.next();
    const [B, T, I] = [batch.batchSize, batch.steps, model.spec.inputSize];
    tbptt({
      cell: model.cellOf(0) as LSTMCell,
      xs: fromData(batch.xs, [B, T, I]),
      k1: 1,
      k2: 3,
      loss: (outputs, w) => {
        const predictions = readoutOf(model, task, outputs, 0, w.end - w.start);
        return taskLoss(task, predictions, batch, w.start, w.end)!;
      },
      update: () => {
        optimizer.step();
        optimizer.zeroGrad();
      },
    });
    for (const [name, p] of reference.model.namedParameters()) {
      expect(trainer.model.getParameter(name).data, name).toBeAllclose(p.data, {
        rtol: 1e-9,
        atol: 1e-12,
      });
    }
    // The weights moved: the agreement is not that of two untouched copies.
    const moved = new Trainer(c).model.getParameter('weight_hh_l0').data;
    expect(trainer.model.getParameter('weight_hh_l0').data).not.toBeAllclose(moved);
  });
});
