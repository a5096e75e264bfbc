/**
 * WindowResult.stateAfter(t) hands out copies (its documented contract): a caller that
 * writes into the arrays it got — as a caller may, to reset or perturb a carried state —
 * changes neither what the next call returns nor the window's own record, for h and for
 * an LSTM's c, with either engine.
 */

import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.ts';
import { autodiffEngine, fastEngine } from '../src/engines.ts';
import { Trainer } from '../src/trainer.ts';

describe('stateAfter', () => {
  for (const engine of [fastEngine, autodiffEngine({ anomaly: false })]) {
    it(`returns arrays of the caller's own (${engine.name} engine)`, () => {
      const trainer = new Trainer({
        ...defaultConfig('adding'),
        cell: 'lstm',
        hidden: 3,
        layers: 2,
        seqLen: 5,
        batch: 2,
        evalBatch: 2,
      });
      const batch = trainer.task.next();
      const result = engine.runWindow(
        trainer.model,
        trainer.task,
        batch,
        { cut: 0, start: 0, end: 5 },
        null,
      );
      for (const t of [2, 5]) {
        const first = result.stateAfter(t);
        const kept = first.map((s) => ({ h: s.h.slice(), c: s.c!.slice() }));
        for (const s of first) {
          s.h.fill(Number.NaN);
          s.c!.fill(Number.NaN);
        }
        expect(result.stateAfter(t)).toEqual(kept);
      }
    });
  }
});
