/**
 * A training step's bookkeeping, each checked against a definition rather than the
 * trainer's own arithmetic:
 * - with truncated BPTT over windows of unequal length, a step's loss is the mean over
 *   every scored step of the batch (each window weighted by its length), which with
 *   the weights held fixed is the mean cross-entropy of one full forward pass;
 * - the char-LM carries its final state into the next batch (and the adding problem,
 *   whose batches are independent, carries nothing);
 * - a cosine schedule's position is part of the restored state: the step after a
 *   restore uses η·(1 + cos(π·k/steps))/2 for its k;
 * - in anomaly mode a NaN stops the step with the AnomalyError, and nothing is updated.
 */

import { AnomalyError } from '@unroll/diagnostics';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../src/config.ts';
import { fastEngine, predict } from '../src/engines.ts';
import { Trainer } from '../src/trainer.ts';

const charlm = (c: Partial<TrainConfig> = {}): TrainConfig => ({
  ...defaultConfig('charlm'),
  cell: 'gru',
  hidden: 4,
  layers: 1,
  seqLen: 7,
  batch: 2,
  evalBatch: 2,
  tbptt: [3, 3], // windows [0, 3), [3, 6), [6, 7): lengths 3, 3, 1
  ...c,
});

/** A small adding-problem trainer: 3 hidden units, sequences of 5, batches of 2. */
const tinyAdding = (c: Partial<TrainConfig> = {}): Trainer =>
  new Trainer({ ...defaultConfig('adding'), hidden: 3, seqLen: 5, batch: 2, evalBatch: 2, ...c });

/** A trainer whose optimizer never moves the weights. */
function frozen(c: TrainConfig): Trainer {
  const t = new Trainer(c);
  t.optimizer.step = () => {};
  return t;
}

describe('a step with windows of unequal length', () => {
  it('reports the mean cross-entropy over all the batch’s steps', () => {
    const c = charlm();
    const twin = new Trainer(c); // the same seeds: the same weights and the same batch
    const batch = twin.task.next();
    const logits = predict(twin.model, twin.task, batch).data;
    const { batchSize: B, steps: T } = batch;
    const O = twin.model.spec.outputSize;
    let total = 0;
    for (let r = 0; r < B * T; r++) {
      const z = logits.subarray(r * O, (r + 1) * O);
      total += Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[batch.targets.data[r]!]!;
    }
    const step = frozen(c).trainStep();
    if (!step.ok) throw new Error(step.message);
    expect(step.line.loss).toBeAllclose(total / (B * T), { rtol: 1e-12, atol: 0 });
  });
});

describe('the state carried between batches', () => {
  it('is the char-LM’s state after its batch’s last step', () => {
    const c = charlm();
    const twin = new Trainer(c);
    const batch = twin.task.next();
    const run = fastEngine.runWindow(
      twin.model,
      twin.task,
      batch,
      { cut: 0, start: 0, end: 7 },
      null,
    );
    const t = frozen(c);
    t.trainStep();
    expect(t.captureState().carried).toEqual(run.stateAfter(7));
  });
  it('is nothing for the adding problem, whose sequences are independent', () => {
    const t = tinyAdding();
    t.trainStep();
    expect(t.captureState().carried).toBeNull();
  });
});

describe('a restored cosine schedule', () => {
  it('goes on from where it was: step k uses η·(1 + cos(π(k − 1)/steps))/2', () => {
    const c = charlm({ schedule: 'cosine', steps: 6, lr: 0.01, tbptt: null });
    const original = new Trainer(c);
    original.trainStep();
    original.trainStep();
    const copy = new Trainer(c);
    copy.restoreState(original.captureState());
    // step 3's rate is in the restored optimizer; step 4's comes from the schedule's position
    const rates = [copy.trainStep(), copy.trainStep()].map((step) => {
      if (!step.ok) throw new Error(step.message);
      return step.line.lr;
    });
    const eta = (k: number) => (0.01 * (1 + Math.cos((Math.PI * (k - 1)) / 6))) / 2;
    expect(rates).toBeAllclose([eta(3), eta(4)], { rtol: 1e-12, atol: 0 });
  });
});

describe('an error that is not about the numbers', () => {
  it('is not turned into a failed step: it propagates', () => {
    const t = tinyAdding();
    const bug = new TypeError('a bug in an engine');
    (t as { engine: unknown }).engine = {
      name: 'fast',
      runWindow: () => {
        throw bug;
      },
    };
    expect(() => t.trainStep()).toThrow(bug);
  });
});

describe('anomaly mode', () => {
  it('stops the step with the AnomalyError and updates nothing', () => {
    const t = tinyAdding({ anomaly: true });
    const before = t.captureState();
    const next = t.task.next.bind(t.task);
    t.task.next = () => {
      const batch = next();
      batch.xs[0] = Number.NaN;
      return batch;
    };
    const result = t.trainStep();
    if (result.ok) throw new Error('the step went through');
    expect(result.anomaly).toBeInstanceOf(AnomalyError);
    expect(result.message).toBe(`step 1: ${result.anomaly!.message}`);
    for (const [name, p] of t.model.namedParameters()) {
      expect(p.data, name).toEqual(before.parameters[name]!.data);
      expect(p.grad, name).toBeNull();
    }
  });
});
