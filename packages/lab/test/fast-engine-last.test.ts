/**
 * engines.ts: for a loss that reads only the last step, the fast engine puts just h_T on
 * the graph and hands its gradient to the top layer's pass as ∂L/∂h_T. That must give
 * the same bits as the general route — all of h_1 … h_T as a leaf, the readout of the
 * last step narrowed out of it, ∂L/∂h_t for every t handed down — on random models.
 */

import { fromData } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig, MIN_SEQ_LEN } from '../src/config.ts';
import { fastEngine, readoutOf } from '../src/engines.ts';
import { backwardStack, forwardStack } from '../src/fast-path.ts';
import { taskLoss } from '../src/task-adapters.ts';
import { Trainer } from '../src/trainer.ts';

describe('the fast engine, for a loss of the last step', () => {
  it('gives the loss and every gradient of the general route, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.record({
          task: fc.constantFrom('adding' as const, 'order' as const),
          cell: fc.constantFrom('rnn' as const, 'lstm' as const, 'gru' as const),
          layers: fc.integer({ min: 1, max: 3 }),
          hidden: fc.integer({ min: 1, max: 6 }),
          batch: fc.integer({ min: 1, max: 4 }),
          seqLen: fc.integer({ min: 2, max: 12 }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        (c) => {
          const config = { ...defaultConfig(c.task), ...c, evalBatch: 2 };
          config.seqLen = Math.max(c.seqLen, MIN_SEQ_LEN[c.task]);
          const { model, task } = new Trainer(config);
          expect(task.readout).toBe('last');
          const batch = task.next();
          const T = batch.steps;
          const window = { cut: 0, start: 0, end: T };
          const params = model.parameters();

          const result = fastEngine.runWindow(model, task, batch, window, null);
          const byEngine = params.map((p) => Array.from(p.grad!.data));
          for (const p of params) p.grad = null;

          // The general route, as for a loss on every step.
          const tape = forwardStack(model, batch.xs, batch.batchSize, T, null);
          const outputs = fromData(tape.output, [batch.batchSize, T, config.hidden], {
            requiresGrad: true,
          });
          const loss = taskLoss(task, readoutOf(model, task, outputs, 0, T), batch, 0, T)!;
          loss.backward();
          backwardStack(model, tape, outputs.grad!.data);
          expect(result.loss).toBe(loss.item());
          params.forEach((p, k) => {
            expect(Array.from(p.grad!.data), `parameter ${k}`).toEqual(byEngine[k]);
          });
        },
      ),
      { numRuns: 30, seed: 15 },
    );
  });
});
