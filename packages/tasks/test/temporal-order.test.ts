import { arbitraries } from '@unroll/gradcheck';
import { fromData, Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEMPORAL_ORDER_SYMBOLS, TemporalOrder } from '../src/index.ts';

const symbol = (id: number) => TEMPORAL_ORDER_SYMBOLS[id]!;

describe('TemporalOrder', () => {
  it('uses the 1997 windows at T = 100: [10, 20], [50, 60] and [10, 20], [33, 43], [66, 76]', () => {
    expect(new TemporalOrder({ length: 100 }).windows).toEqual([
      [10, 20],
      [50, 60],
    ]);
    expect(new TemporalOrder({ length: 100, relevant: 3 }).windows).toEqual([
      [10, 20],
      [33, 43],
      [66, 76],
    ]);
  });

  it('starts with E, ends with B, holds X/Y only in the windows, and labels their order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 120 }),
        fc.constantFrom(2 as const, 3 as const),
        fc.integer({ min: 1, max: 4 }),
        arbitraries.seed(),
        (T, relevant, B, seed) => {
          const task = new TemporalOrder({ length: T, relevant });
          const batch = task.batch(B, new Rng(seed));
          expect(batch.inputs.shape).toEqual([B, T, 8]);
          for (let b = 0; b < B; b++) {
            const text = Array.from(batch.inputIds.data.subarray(b * T, (b + 1) * T), symbol);
            expect(text[0]).toBe('E');
            expect(text[T - 1]).toBe('B');
            const steps = text.flatMap((s, t) => (s === 'X' || s === 'Y' ? [t] : []));
            expect(steps).toEqual(batch.positions[b]);
            expect(steps).toHaveLength(relevant);
            steps.forEach((t, k) => {
              const [lo, hi] = task.windows[k]!;
              expect(t >= lo && t <= hi).toBe(true);
            });
            const others = text.slice(1, T - 1).filter((_, i) => !steps.includes(i + 1));
            expect(others.every((s) => 'abcd'.includes(s))).toBe(true);
            // XX…X is class 0, Y counts as binary 1, the first symbol most significant.
            const label = steps.reduce((acc, t) => 2 * acc + (text[t] === 'Y' ? 1 : 0), 0);
            expect(batch.targets.data[b]).toBe(label);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('draws the four classes about equally often', () => {
    const batch = new TemporalOrder({ length: 20 }).batch(4000, new Rng(8));
    const counts = [0, 0, 0, 0];
    for (const y of batch.targets.data) counts[y]!++;
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(120);
  });

  it('has chance ln 4 with two symbols and ln 8 with three', () => {
    const task = new TemporalOrder({ length: 30 });
    expect(task.info.baseline.value).toBeAllclose(Math.log(4), { atol: 1e-15 });
    expect(new TemporalOrder({ length: 30, relevant: 3 }).info.baseline.value).toBeAllclose(
      Math.log(8),
      {
        atol: 1e-15,
      },
    );
    const batch = task.batch(6, new Rng(1));
    expect(task.evaluate(fromData(new Float64Array(24), [6, 4]), batch).crossEntropy).toBeAllclose(
      Math.log(4),
      {
        atol: 1e-15,
      },
    );
  });

  it('is deterministic for a seed', () => {
    const task = new TemporalOrder({ length: 50 });
    expect(task.batch(5, new Rng(2)).inputIds.data).toEqual(
      task.batch(5, new Rng(2)).inputIds.data,
    );
  });

  it('refuses lengths under 10 and other counts of relevant symbols', () => {
    expect(() => new TemporalOrder({ length: 9 })).toThrow(
      'TemporalOrder: length must be an integer >= 10, got 9',
    );
    expect(() => new TemporalOrder({ length: 20, relevant: 4 as 2 })).toThrow(
      'TemporalOrder: relevant must be 2 or 3, got 4',
    );
  });
});
