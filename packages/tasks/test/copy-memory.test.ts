import { arbitraries } from '@unroll/gradcheck';
import { fromData, Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COPY_BLANK, COPY_CLASSES, COPY_DELIMITER, CopyMemory } from '../src/index.ts';

describe('CopyMemory', () => {
  it('lays out symbols, T − 1 blanks, the delimiter, blanks; targets blanks then the symbols', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        arbitraries.seed(),
        (T, S, B, seed) => {
          const task = new CopyMemory({ delay: T, symbols: S });
          const L = T + 2 * S;
          const batch = task.batch(B, new Rng(seed));
          expect(batch.inputs.shape).toEqual([B, L, COPY_CLASSES]);
          expect(batch.inputIds.shape).toEqual([B, L]);
          expect(batch.targets.shape).toEqual([B, L]);
          for (let b = 0; b < B; b++) {
            const x = Array.from(batch.inputIds.data.subarray(b * L, (b + 1) * L));
            const y = Array.from(batch.targets.data.subarray(b * L, (b + 1) * L));
            const symbols = x.slice(0, S);
            expect(symbols.every((s) => Number.isInteger(s) && s >= 1 && s <= 8)).toBe(true);
            const expectedInput = [
              ...symbols,
              ...new Array(T - 1).fill(COPY_BLANK),
              COPY_DELIMITER,
              ...new Array(S).fill(COPY_BLANK),
            ];
            expect(x).toEqual(expectedInput);
            expect(y).toEqual([...new Array(T + S).fill(COPY_BLANK), ...symbols]);
            // The one-hot rows agree with the ids.
            for (let t = 0; t < L; t++) {
              const row = Array.from(
                batch.inputs.data.subarray((b * L + t) * 10, (b * L + t + 1) * 10),
              );
              expect(row.reduce((a, v) => a + v, 0)).toBe(1);
              expect(row[x[t]!]).toBe(1);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('draws each of the 8 data symbols about equally often', () => {
    const batch = new CopyMemory({ delay: 5 }).batch(2000, new Rng(4));
    const counts = new Array(10).fill(0);
    for (let b = 0; b < 2000; b++)
      for (let i = 0; i < 10; i++) counts[batch.inputIds.data[b * 25 + i]!]++;
    // 20,000 draws over 8 symbols: 2,500 expected each, standard deviation ≈ 47.
    for (let s = 1; s <= 8; s++) expect(Math.abs(counts[s] - 2500)).toBeLessThan(250);
  });

  it('is deterministic for a seed', () => {
    const task = new CopyMemory({ delay: 10 });
    expect(task.batch(3, new Rng(5)).targets.data).toEqual(task.batch(3, new Rng(5)).targets.data);
    expect(task.batch(3, new Rng(5)).targets.data).not.toEqual(
      task.batch(3, new Rng(6)).targets.data,
    );
  });

  it('has baseline 10·ln 8 / (T + 20), which the memoryless strategy scores exactly', () => {
    for (const T of [1, 10, 100, 500]) {
      const task = new CopyMemory({ delay: T });
      expect(task.baselineCrossEntropy()).toBeAllclose((10 * Math.log(8)) / (T + 20), {
        atol: 0,
        rtol: 1e-15,
      });
      expect(task.info.baseline.value).toBe(task.baselineCrossEntropy());
      // Blank with certainty until the last 10 steps, then uniform over symbols 1–8.
      const B = 3;
      const L = T + 20;
      const batch = task.batch(B, new Rng(T));
      const logits = new Float64Array(B * L * 10).fill(-1e9);
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < L; t++) {
          const row = (b * L + t) * 10;
          if (t < L - 10) logits[row + COPY_BLANK] = 0;
          else for (let s = 1; s <= 8; s++) logits[row + s] = 0;
        }
      }
      const result = task.evaluate(fromData(logits, [B, L, 10]), batch);
      expect(result.crossEntropy).toBeAllclose(task.baselineCrossEntropy(), { atol: 1e-12 });
      expect(result.relativeLoss).toBeAllclose(1, { atol: 1e-12 });
    }
  });

  it('scores recall accuracy on the copied symbols only', () => {
    const task = new CopyMemory({ delay: 4, symbols: 2 });
    const batch = task.batch(2, new Rng(9));
    const L = 8;
    // Perfect logits: a large margin on the target class everywhere.
    const logits = new Float64Array(2 * L * 10);
    for (let i = 0; i < 2 * L; i++) logits[i * 10 + batch.targets.data[i]!] = 50;
    expect(task.evaluate(fromData(logits.slice(), [2, L, 10]), batch)).toMatchObject({
      recallAccuracy: 1,
      solved: true,
    });
    // Get the first copied symbol of row 0 wrong: 3 of 4 right.
    const wrong = logits.slice();
    const i = L - 2;
    const target = batch.targets.data[i]!;
    wrong[i * 10 + target] = 0;
    wrong[i * 10 + (target === 1 ? 2 : 1)] = 50;
    const result = task.evaluate(fromData(wrong, [2, L, 10]), batch);
    expect(result.recallAccuracy).toBe(0.75);
    expect(result.solved).toBe(false);
  });

  it('refuses a bad delay and mis-shaped logits', () => {
    expect(() => new CopyMemory({ delay: 0 })).toThrow(
      'CopyMemory: delay must be an integer >= 1, got 0',
    );
    const task = new CopyMemory({ delay: 3 });
    const batch = task.batch(2, new Rng(1));
    expect(() => task.evaluate(fromData(new Float64Array(2 * 23 * 9), [2, 23, 9]), batch)).toThrow(
      'CopyMemory.evaluate: logits must have shape [2, 23, 10], got [2, 23, 9]',
    );
  });
});
