/**
 * gradient-flow.ts reads ‖∂L/∂h_t‖ off the hand-derived backward passes. The reference
 * here is the route it replaced: hooks (@unroll/diagnostics' captureGradientFlow) on
 * every h_t of an autodiff graph of the same model over the same batch — a different
 * implementation of the same derivatives. The two must agree to 1e-10 on random small
 * models: every cell, stacked layers, readouts of the last step and of every step.
 */

import { captureGradientFlow } from '@unroll/diagnostics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig, MIN_SEQ_LEN, type TaskName } from '../src/config.ts';
import { forwardGraph, readoutOf } from '../src/engines.ts';
import { gradientNorms, probeGradientFlow } from '../src/gradient-flow.ts';
import type { SequenceModel } from '../src/model.ts';
import { type TaskAdapter, type TrainingBatch, taskLoss } from '../src/task-adapters.ts';
import { Trainer } from '../src/trainer.ts';

/** The probe as it was: one backward pass on the graph, hooks on every state. */
function graphFlow(model: SequenceModel, task: TaskAdapter, batch: TrainingBatch) {
  const graph = forwardGraph(model, batch.xs, batch.batchSize, batch.steps, null);
  const flow = captureGradientFlow(graph.hs);
  const loss = taskLoss(task, readoutOf(model, task, graph.outputs, 0, batch.steps), batch)!;
  loss.backward();
  flow.remove();
  for (const p of model.parameters()) p.grad = null;
  return { loss: loss.item(), norms: flow.norms };
}

const cases = fc.record({
  cell: fc.constantFrom('rnn' as const, 'lstm' as const, 'gru' as const),
  task: fc.constantFrom<TaskName>('adding', 'copy', 'order'),
  layers: fc.integer({ min: 1, max: 3 }),
  seqLen: fc.integer({ min: 1, max: 8 }), // raised to the task's least
  hidden: fc.integer({ min: 1, max: 6 }),
  evalBatch: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

describe('probeGradientFlow on the hand-derived path', () => {
  it('measures the same ‖∂L/∂h_t‖ in every layer, and the same loss, as hooks on the autodiff graph (1e-10)', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const config = { ...defaultConfig(c.task), ...c };
        config.seqLen = Math.max(c.seqLen, MIN_SEQ_LEN[c.task]);
        const t = new Trainer(config);
        // A trained model's weights are not those at initialisation: take random ones.
        let state = c.seed;
        for (const p of t.model.parameters()) {
          for (let i = 0; i < p.size; i++) {
            state = (Math.imul(state, 1103515245) + 12345) >>> 0;
            p.data[i] = (state / 2 ** 32 - 0.5) * 1.6;
          }
        }
        const expected = graphFlow(t.model, t.task, t.probeBatch);
        const snapshot = probeGradientFlow(t.model, t.task, t.probeBatch, 0);
        expect(snapshot.norms).toHaveLength(c.layers);
        expect(snapshot.loss).toBeAllclose(expected.loss, { atol: 0, rtol: 1e-10 });
        snapshot.norms.forEach((layer, l) => {
          expect(layer, `layer ${l} of ${JSON.stringify(c)}`).toBeAllclose(expected.norms[l]!, {
            atol: 1e-300,
            rtol: 1e-10,
          });
        });
      }),
      { numRuns: 25, seed: 9140 },
    );
  });

  it('gives the same bits a window of steps at a time (the tape recomputed from each window’s start)', () => {
    fc.assert(
      fc.property(cases, fc.integer({ min: 1, max: 9 }), (c, window) => {
        const config = { ...defaultConfig(c.task), ...c };
        config.seqLen = Math.max(c.seqLen, MIN_SEQ_LEN[c.task]);
        const t = new Trainer(config);
        const whole = gradientNorms(t.model, t.task, t.probeBatch, t.probeBatch.steps);
        const windows = gradientNorms(t.model, t.task, t.probeBatch, window);
        expect(windows.loss).toBe(whole.loss);
        expect(windows.norms).toEqual(whole.norms);
      }),
      { numRuns: 25, seed: 9141 },
    );
  });
});
