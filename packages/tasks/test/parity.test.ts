import { arbitraries } from '@unroll/gradcheck';
import { fromData, Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Parity } from '../src/index.ts';

describe('Parity', () => {
  it('labels each sequence with the XOR of its bits, zero past its length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 29 }),
        fc.integer({ min: 1, max: 6 }),
        arbitraries.seed(),
        (T, shorter, B, seed) => {
          const minLength = Math.max(1, T - shorter);
          const batch = new Parity({ length: T, minLength }).batch(B, new Rng(seed));
          expect(batch.inputs.shape).toEqual([B, T, 1]);
          expect(batch.mask.shape).toEqual([B, T]);
          for (let b = 0; b < B; b++) {
            const n = batch.lengths[b]!;
            expect(n >= minLength && n <= T).toBe(true);
            const bits = Array.from(batch.inputs.data.subarray(b * T, (b + 1) * T));
            const mask = Array.from(batch.mask.data.subarray(b * T, (b + 1) * T));
            expect(mask).toEqual([...new Array(n).fill(1), ...new Array(T - n).fill(0)]);
            expect(bits.slice(n).every((x) => x === 0)).toBe(true);
            expect(bits.every((x) => x === 0 || x === 1)).toBe(true);
            const ones = bits.reduce((a, x) => a + x, 0);
            expect(batch.targets.data[b]).toBe(ones % 2);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('draws balanced classes and lengths over the whole range', () => {
    const batch = new Parity({ length: 12, minLength: 3 }).batch(5000, new Rng(2));
    const odd = batch.targets.data.reduce((a, y) => a + y, 0);
    expect(Math.abs(odd - 2500)).toBeLessThan(250);
    expect(new Set(batch.lengths)).toEqual(new Set([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
  });

  it('makes the label independent of any T − 1 of the bits: each pattern of them is odd half the time', () => {
    const T = 4;
    const N = 16_000;
    const batch = new Parity({ length: T }).batch(N, new Rng(5));
    for (const left of [0, T - 1]) {
      // the bits other than bit `left`, read as a 3-bit pattern
      const seen = new Array(8).fill(0);
      const odd = new Array(8).fill(0);
      for (let b = 0; b < N; b++) {
        let pattern = 0;
        for (let t = 0; t < T; t++)
          if (t !== left) pattern = 2 * pattern + batch.inputs.data[b * T + t]!;
        seen[pattern]++;
        odd[pattern] += batch.targets.data[b]!;
      }
      // ~2,000 sequences per pattern: the fraction odd has standard deviation ≈ 0.011.
      for (let p = 0; p < 8; p++) expect(Math.abs(odd[p] / seen[p] - 0.5)).toBeLessThan(0.05);
    }
  });

  it('is deterministic for a seed', () => {
    const task = new Parity({ length: 16 });
    expect(task.batch(4, new Rng(3)).inputs.data).toEqual(task.batch(4, new Rng(3)).inputs.data);
  });

  it('scores the uniform guess at chance, ln 2, and perfect logits as solved', () => {
    const task = new Parity({ length: 5 });
    const batch = task.batch(8, new Rng(1));
    const chance = task.evaluate(fromData(new Float64Array(16), [8, 2]), batch);
    expect(chance.crossEntropy).toBeAllclose(Math.log(2), { atol: 1e-15 });
    expect(chance.baseline).toBe(Math.LN2);
    const perfect = new Float64Array(16);
    for (let b = 0; b < 8; b++) perfect[2 * b + batch.targets.data[b]!] = 30;
    expect(task.evaluate(fromData(perfect, [8, 2]), batch)).toMatchObject({
      accuracy: 1,
      solved: true,
    });
  });

  it('refuses minLength above length', () => {
    expect(() => new Parity({ length: 4, minLength: 5 })).toThrow(
      'Parity: minLength must be an integer in [1, 4], got 5',
    );
  });
});
