import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../src/index.ts';

const draws = (random: Random, n: number, draw: (r: Random) => number) =>
  Array.from({ length: n }, () => draw(random));

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Random', () => {
  it('repeats its sequence for the same seed, and not for another', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const a = draws(new Random(seed), 8, (r) => r.next());
        expect(draws(new Random(seed), 8, (r) => r.next())).toEqual(a);
        expect(draws(new Random(seed + 1), 8, (r) => r.next())).not.toEqual(a);
      }),
      { numRuns: 50 },
    );
  });

  it('draws uniform numbers inside [low, high)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: -10, max: 10, noNaN: true }), (seed, low) => {
        const high = low + 0.5;
        for (const x of draws(new Random(seed), 100, (r) => r.uniform(low, high))) {
          expect(x >= low && x < high).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('has the moments of U(0, 1) and N(0, 1) over 20,000 draws', () => {
    // Standard errors: 0.29/√n ≈ 0.002 for the uniform mean, 1/√n ≈ 0.007 for the normal one.
    const uniform = draws(new Random(7), 20_000, (r) => r.next());
    const normal = draws(new Random(7), 20_000, (r) => r.normal());
    expect(mean(uniform)).toBeAllclose(0.5, { atol: 0.01 });
    expect(mean(uniform.map((u) => (u - 0.5) ** 2))).toBeAllclose(1 / 12, { atol: 0.003 });
    expect(mean(normal)).toBeAllclose(0, { atol: 0.03 });
    expect(mean(normal.map((z) => z * z))).toBeAllclose(1, { atol: 0.05 });
    const shifted = draws(new Random(7), 20_000, (r) => r.normal(3, 2));
    expect(mean(shifted)).toBeAllclose(3, { atol: 0.06 });
  });

  it('refuses a fractional seed and an empty range', () => {
    expect(() => new Random(1.5)).toThrow('Random: the seed must be an integer, got 1.5');
    expect(() => new Random(0).uniform(1, 1)).toThrow(
      'uniform: low must be < high, got low 1, high 1',
    );
  });
});
