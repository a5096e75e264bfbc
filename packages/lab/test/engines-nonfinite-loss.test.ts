/**
 * Two promises of Engine.runWindow, for both engines:
 * - backward runs only "when it has a finite loss": a readout weight of NaN makes every
 *   prediction, hence the loss, NaN, and then no parameter's `.grad` is touched — for a
 *   task scored at its last step (the adding problem) and at every step (the char-LM);
 * - the two engines hand out states of the same form: { h } for a cell without a cell
 *   state (no `c` key at all), { h, c } for an LSTM.
 */

import { describe, expect, it } from 'vitest';
import { type CellName, defaultConfig, type TaskName } from '../src/config.ts';
import { autodiffEngine, fastEngine } from '../src/engines.ts';
import { Trainer } from '../src/trainer.ts';

const engines = [fastEngine, autodiffEngine({ anomaly: false })];

const trainerFor = (task: TaskName, cell: CellName) =>
  new Trainer({
    ...defaultConfig(task),
    cell,
    hidden: 3,
    layers: 2,
    seqLen: 5,
    batch: 2,
    evalBatch: 2,
  });

describe('a non-finite loss', () => {
  for (const engine of engines) {
    for (const task of ['adding', 'charlm'] as const) {
      it(`leaves every gradient untouched (${engine.name} engine, ${task})`, () => {
        const trainer = trainerFor(task, 'gru');
        trainer.model.readout.weight.data[0] = Number.NaN;
        const batch = trainer.task.next();
        const window = { cut: 0, start: 0, end: batch.steps };
        const result = engine.runWindow(trainer.model, trainer.task, batch, window, null);
        expect(result.loss).toBeNaN();
        expect(trainer.model.parameters().map((p) => p.grad)).toEqual(
          trainer.model.parameters().map(() => null),
        );
      });
    }
  }
});

describe('the states handed out', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`have the same form from both engines (${cell})`, () => {
      const [fast, graph] = engines.map((engine) => {
        const trainer = trainerFor('adding', cell);
        const batch = trainer.task.next();
        const result = engine.runWindow(
          trainer.model,
          trainer.task,
          batch,
          { cut: 0, start: 0, end: batch.steps },
          null,
        );
        return result.stateAfter(3).map((s) => Object.keys(s).sort());
      });
      const expected = cell === 'lstm' ? ['c', 'h'] : ['h'];
      expect(fast).toEqual([expected, expected]);
      expect(graph).toEqual([expected, expected]);
    });
  }
});
