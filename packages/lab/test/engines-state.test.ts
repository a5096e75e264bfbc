/**
 * What an engine's window hands on besides the loss: the state at the window's cut is
 * the state it started from (zeros when none was given, h and c for an LSTM), and each
 * engine says which it is. And a step stopped by a NaN in one window of truncated BPTT
 * names that window.
 */

import { describe, expect, it } from 'vitest';
import { type CellName, defaultConfig, type TrainConfig } from '../src/config.ts';
import { autodiffEngine, fastEngine } from '../src/engines.ts';
import { Trainer, windowsOf } from '../src/trainer.ts';

const config = (cell: CellName, c: Partial<TrainConfig> = {}): TrainConfig => ({
  ...defaultConfig('adding'),
  cell,
  seqLen: 5,
  hidden: 3,
  layers: 2,
  batch: 2,
  evalBatch: 2,
  ...c,
});

describe("the state at a window's cut", () => {
  it.each(['rnn', 'lstm'] as const)(
    'is zeros without a start state, the start state with one (%s)',
    (cell) => {
      const t = new Trainer(config(cell));
      const batch = t.task.next();
      const window = windowsOf(batch.steps, null)[0]!;
      for (const engine of [fastEngine, autodiffEngine({ anomaly: false })]) {
        const fromZero = engine.runWindow(t.model, t.task, batch, window, null);
        const zeros = fromZero.stateAfter(0);
        expect(zeros).toHaveLength(2);
        for (const layer of zeros) {
          expect(layer.h).toEqual(new Float64Array(6));
          expect(layer.c).toEqual(cell === 'lstm' ? new Float64Array(6) : undefined);
        }
        for (const p of t.model.parameters()) p.grad = null;
        const start = fromZero.stateAfter(batch.steps);
        const resumed = engine.runWindow(t.model, t.task, batch, window, start);
        expect(resumed.stateAfter(0)).toEqual(start);
        for (const p of t.model.parameters()) p.grad = null;
      }
    },
  );
  it('each engine says which it is', () => {
    expect(fastEngine.name).toBe('fast');
    expect(autodiffEngine({ anomaly: false }).name).toBe('autodiff');
  });
});

describe('a NaN in one window of truncated BPTT', () => {
  it('stops the step naming the window', () => {
    const t = new Trainer(config('gru', { seqLen: 6, tbptt: [3, 3], layers: 1 }));
    const next = t.task.next.bind(t.task);
    t.task.next = () => {
      const batch = next();
      // sequence 0, step 0: the adding problem scores only the last step, so the NaN
      // carried in the state surfaces in the loss of the last window
      batch.xs[0] = Number.NaN;
      return batch;
    };
    expect(t.trainStep()).toMatchObject({
      ok: false,
      message: 'step 1: the loss is NaN (window 3–6)',
    });
  });
});
