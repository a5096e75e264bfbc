/**
 * Text batches for truncated BPTT: contiguous streams that continue across windows,
 * a resumable position, and seeded random windows.
 */

import { arbitraries } from '@unroll/gradcheck';
import { Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mobyDickCorpus, randomTextWindows, TextBatcher } from '../src/index.ts';

describe('TextBatcher', () => {
  it('continues every stream across consecutive windows, targets shifted by one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        (N, B, T) => {
          fc.pre(Math.floor(N / B) - 1 >= T);
          const ids = Int32Array.from({ length: N }, (_, i) => i); // id = position in the text
          const batcher = new TextBatcher(ids, { batchSize: B, seqLength: T });
          const S = Math.floor(N / B);
          const W = batcher.windowsPerEpoch;
          expect(W).toBe(Math.floor((S - 1) / T));
          for (let w = 0; w < W; w++) {
            const batch = batcher.next();
            expect(batch.inputs.shape).toEqual([B, T]);
            expect(batch.resetState).toBe(w === 0);
            for (let b = 0; b < B; b++) {
              for (let t = 0; t < T; t++) {
                const input = batch.inputs.data[b * T + t]!;
                expect(input).toBe(b * S + w * T + t);
                expect(batch.targets.data[b * T + t]).toBe(input + 1);
              }
            }
          }
          expect(batcher.position).toEqual({ epoch: 1, window: 0 });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('resumes from a saved position on the same window', () => {
    const ids = mobyDickCorpus().train.subarray(0, 5000);
    const a = new TextBatcher(ids, { batchSize: 4, seqLength: 25 });
    for (let i = 0; i < 70; i++) a.next(); // 49 windows per epoch: into epoch 1
    const saved = JSON.parse(JSON.stringify(a.position));
    expect(saved).toEqual({ epoch: 1, window: 21 });
    const b = new TextBatcher(ids, { batchSize: 4, seqLength: 25 });
    b.seek(saved);
    for (let i = 0; i < 40; i++) {
      const x = a.next();
      const y = b.next();
      expect(y.inputs.data).toEqual(x.inputs.data);
      expect([y.epoch, y.window]).toEqual([x.epoch, x.window]);
    }
  });

  it('refuses text too short for one window, and a position outside the epoch', () => {
    expect(() => new TextBatcher(new Int32Array(20), { batchSize: 4, seqLength: 5 })).toThrow(
      'TextBatcher: 20 ids make 4 streams of 5, too short for one window of 5 + 1',
    );
    const batcher = new TextBatcher(new Int32Array(100), { batchSize: 2, seqLength: 7 });
    expect(() => batcher.seek({ epoch: 0, window: 7 })).toThrow(
      'TextBatcher.seek: window must be an integer in [0, 6], got 7',
    );
  });
});

describe('randomTextWindows', () => {
  it('takes T + 1 consecutive ids from seeded random places', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 1, max: 10 }),
        arbitraries.seed(),
        (N, T, seed) => {
          fc.pre(T < N);
          const ids = Int32Array.from({ length: N }, (_, i) => i);
          const { inputs, targets, starts } = randomTextWindows(ids, 3, T, new Rng(seed));
          starts.forEach((s, b) => {
            expect(s + T).toBeLessThan(N);
            for (let t = 0; t < T; t++) {
              expect(inputs.data[b * T + t]).toBe(s + t);
              expect(targets.data[b * T + t]).toBe(s + t + 1);
            }
          });
          expect(randomTextWindows(ids, 3, T, new Rng(seed)).starts).toEqual(starts);
        },
      ),
      { numRuns: 50 },
    );
  });
});
