/**
 * The two ways of computing a window's gradients — the hand-derived stack and the
 * autodiff graph — give the same loss and the same gradient for every parameter, for
 * every cell, stacked, with and without truncated BPTT; and anomaly mode names the
 * timestep and layer where a NaN was born.
 */

import { AnomalyError } from '@unroll/diagnostics';
import { describe, expect, it } from 'vitest';
import { type CellName, defaultConfig, type TaskName, type TrainConfig } from '../src/config.ts';
import { autodiffEngine, type Engine, fastEngine, predict } from '../src/engines.ts';
import { Trainer, windowsOf } from '../src/trainer.ts';

function config(task: TaskName, cell: CellName, extra: Partial<TrainConfig> = {}): TrainConfig {
  return {
    ...defaultConfig(task),
    cell,
    hidden: 5,
    layers: 2,
    seqLen: 7,
    batch: 3,
    evalBatch: 2,
    ...extra,
  };
}

/** Loss, every gradient and the state after each window, from one engine on a fresh trainer. */
function runWith(engine: Engine, c: TrainConfig) {
  const trainer = new Trainer(c);
  const batch = trainer.task.next();
  const windows = windowsOf(batch.steps, c.tbptt);
  const out: { loss: number | null; grads: Float64Array[]; state: Float64Array[] }[] = [];
  let state = null;
  for (const w of windows) {
    const result = engine.runWindow(trainer.model, trainer.task, batch, w, state);
    state = result.stateAfter(w.end);
    out.push({
      loss: result.loss,
      grads: trainer.model.parameters().map((p) => p.grad?.data.slice() ?? new Float64Array(0)),
      state: state.flatMap((s) => (s.c === undefined ? [s.h] : [s.h, s.c])),
    });
    for (const p of trainer.model.parameters()) p.grad = null;
  }
  return out;
}

describe('fast and autodiff engines agree', () => {
  const cases: [TaskName, CellName, [number, number] | null][] = [
    ['adding', 'rnn', null],
    ['adding', 'lstm', null],
    ['adding', 'gru', null],
    ['copy', 'lstm', [3, 5]],
    ['charlm', 'gru', [2, 4]],
    ['order', 'rnn', [4, 4]],
  ];
  it.each(cases)('%s, %s, tbptt %j', (task, cell, tbptt) => {
    const c = config(task, cell, { tbptt, seqLen: task === 'order' ? 10 : 7 });
    const fast = runWith(fastEngine, c);
    const graph = runWith(autodiffEngine({ anomaly: true }), c);
    expect(fast.length).toBe(graph.length);
    fast.forEach((w, i) => {
      const g = graph[i]!;
      expect(w.loss === null).toBe(g.loss === null);
      if (w.loss !== null) expect(w.loss).toBeCloseTo(g.loss!, 12);
      w.grads.forEach((grad, k) => {
        expect(grad).toBeAllclose(g.grads[k]!, { atol: 1e-12, rtol: 1e-9 });
      });
      w.state.forEach((s, k) => {
        expect(s).toBeAllclose(g.state[k]!, { atol: 1e-13, rtol: 1e-12 });
      });
    });
  });
});

describe("a window's loss", () => {
  // The char-LM's targets are the next characters: they differ from window to window, so
  // a window that scored the first steps' targets instead of its own would show.
  it.each([
    ['fast', fastEngine],
    ['autodiff', autodiffEngine({ anomaly: false })],
  ])("is the mean cross-entropy of its own steps' targets (%s engine)", (_, engine) => {
    const c = config('charlm', 'gru', { tbptt: [2, 3], seqLen: 7, layers: 1 });
    const trainer = new Trainer(c);
    const batch = trainer.task.next();
    const { batchSize: B, steps: T } = batch;
    const targets = batch.targets.data;
    // Logits of every step from one full forward pass: a window's outputs are the same.
    const logits = predict(trainer.model, trainer.task, batch).data;
    const O = trainer.model.spec.outputSize;
    let previous: ReturnType<Engine['runWindow']> | null = null;
    let differing = 0;
    for (const w of windowsOf(T, c.tbptt)) {
      let total = 0;
      for (let b = 0; b < B; b++) {
        for (let t = w.start; t < w.end; t++) {
          const z = logits.subarray((b * T + t) * O, (b * T + t + 1) * O);
          const target = targets[b * T + t]!;
          if (target !== targets[b * T + t - w.start]) differing++;
          total += Math.log(z.reduce((sum, v) => sum + Math.exp(v), 0)) - z[target]!;
        }
      }
      // Each window starts from the state at its cut, which the window before reached.
      const state = previous === null ? null : previous.stateAfter(w.cut);
      const result = engine.runWindow(trainer.model, trainer.task, batch, w, state);
      previous = result;
      expect(result.loss).toBeAllclose(total / (B * (w.end - w.start)), { atol: 0, rtol: 1e-12 });
      for (const p of trainer.model.parameters()) p.grad = null;
    }
    expect(differing).toBeGreaterThan(0); // the test can tell the windows apart
  });
});

describe('anomaly mode', () => {
  const run = (trainer: Trainer, window: { cut: number; start: number; end: number }) => {
    try {
      autodiffEngine({ anomaly: true }).runWindow(
        trainer.model,
        trainer.task,
        trainer.task.next(),
        window,
        null,
      );
    } catch (error) {
      expect(error).toBeInstanceOf(AnomalyError);
      return (error as AnomalyError).message;
    }
    throw new Error('no anomaly');
  };

  it('says where a NaN in the data is: the input projection, which sees every step at once', () => {
    const trainer = new Trainer(config('adding', 'lstm'));
    const next = trainer.task.next.bind(trainer.task);
    trainer.task.next = () => {
      const batch = next();
      batch.xs[2 * 4] = Number.NaN; // sequence 0, step index 4, the value channel
      return batch;
    };
    expect(run(trainer, { cut: 0, start: 0, end: 7 })).toBe(
      "anomaly in the forward pass: 'permute' produced NaN at [4, 0, 0] of its output of shape [7, 3, 2] at layer 0; its input 0 (shape [3, 7, 2], a leaf) already held NaN at [0, 4, 0]",
    );
  });

  it("names the step of the sequence (not of the window) where a step's op makes the first NaN", () => {
    const trainer = new Trainer(config('adding', 'rnn', { layers: 1 }));
    trainer.model.cellOf(0).weight_hh.data[0] = Number.POSITIVE_INFINITY;
    // A window of truncated BPTT that starts after step 3: its first step is t = 4.
    expect(run(trainer, { cut: 3, start: 3, end: 7 })).toBe(
      "anomaly in the forward pass: 'linear' produced NaN at [0, 0] of its output of shape [3, 5] at timestep 4, layer 0; its input 1 (shape [5, 5], a leaf) already held Infinity at [0, 0]",
    );
  });
});
