import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraries } from '../src/index.ts';
import { PROPERTY_SEED } from '../src/vitest-setup.ts';

/** NumPy's broadcast of two shapes, written independently of the generator. */
function broadcast(a: number[], b: number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(Math.max(da, db));
  }
  return out;
}

describe('arbitraries', () => {
  it('shape respects rank and dimension bounds', () => {
    fc.assert(
      fc.property(arbitraries.shape({ minRank: 1, maxRank: 3, minDim: 2, maxDim: 4 }), (dims) => {
        expect(dims.length >= 1 && dims.length <= 3).toBe(true);
        expect(dims.every((d) => d >= 2 && d <= 4)).toBe(true);
      }),
    );
  });

  it('values avoid kinks by at least the margin and stay in range', () => {
    fc.assert(
      fc.property(
        arbitraries.float64Array(8, { min: -1, max: 1, avoid: [0, 0.5], margin: 0.1 }),
        (xs) => {
          for (const x of xs) {
            expect(Math.abs(x) >= 0.1 && Math.abs(x - 0.5) >= 0.1 && x >= -1 && x <= 1).toBe(true);
          }
        },
      ),
    );
  });

  describe('value distributions, measured on the fixed seed', () => {
    const DRAWS = 4000;
    const draw = (options: arbitraries.ValueOptions) =>
      fc.sample(arbitraries.value(options), { seed: PROPERTY_SEED, numRuns: DRAWS });
    const share = (xs: number[], keep: (x: number) => boolean) =>
      xs.filter(keep).length / xs.length;

    it('default draws have ordinary magnitudes: ≥ 70% at least 0.1, ≤ 10% below 1e-6', () => {
      const xs = draw({});
      expect(share(xs, (x) => Math.abs(x) >= 0.1)).toBeGreaterThanOrEqual(0.7);
      expect(share(xs, (x) => Math.abs(x) < 1e-6)).toBeLessThanOrEqual(0.1);
      // Both signs, and every part of the interval, are reached.
      expect(share(xs, (x) => x < 0)).toBeGreaterThan(0.4);
      expect(share(xs, (x) => x > 1.5)).toBeGreaterThan(0.05);
      expect(share(xs, (x) => x < -1.5)).toBeGreaterThan(0.05);
    });

    it('the same measurement fails fc.double, which spreads over exponents', () => {
      const xs = draw({ distribution: 'exponent' });
      expect(share(xs, (x) => Math.abs(x) < 1e-6)).toBeGreaterThan(0.5);
      expect(share(xs, (x) => Math.abs(x) >= 0.1)).toBeLessThan(0.3);
    });

    it('a deliberate few draws are small (10⁻³ to 10⁻¹) or edge values', () => {
      const xs = draw({});
      const small = share(xs, (x) => Math.abs(x) >= 1e-3 && Math.abs(x) < 0.1);
      expect(small).toBeGreaterThan(0.04);
      expect(small).toBeLessThan(0.2);
      expect(xs).toContain(0);
      expect(xs).toContain(2);
      expect(xs).toContain(-2);
    });

    it('avoid and margin are respected by every distribution, and the margin itself is drawn', () => {
      for (const distribution of ['ordinary', 'uniform', 'exponent'] as const) {
        const xs = draw({ min: -1, max: 1, avoid: [0, 0.5], margin: 0.1, distribution });
        for (const x of xs) {
          expect(Math.abs(x) >= 0.1 && Math.abs(x - 0.5) >= 0.1 && x >= -1 && x <= 1).toBe(true);
        }
      }
      const ordinary = draw({ min: -1, max: 1, avoid: [0], margin: 0.1 });
      expect(ordinary.some((x) => Math.abs(x) < 0.1 + 1e-6)).toBe(true);
    });

    it('ranges that do not contain 0, or are wide, are respected and filled', () => {
      for (const [min, max] of [
        [0.1, 3],
        [-5, -0.5],
        [-1e3, 1e3],
        [0.5, 0.5],
      ] as const) {
        const xs = draw({ min, max });
        expect(xs.every((x) => x >= min && x <= max)).toBe(true);
        const mid = (min + max) / 2;
        if (min < max) expect(share(xs, (x) => x > mid)).toBeGreaterThan(0.3);
      }
    });

    it('uniform draws fill the interval evenly', () => {
      const xs = draw({ min: -2, max: 2, distribution: 'uniform' });
      for (let q = 0; q < 4; q++) {
        const inQuarter = share(xs, (x) => x >= -2 + q && x < -1 + q);
        expect(Math.abs(inQuarter - 0.25)).toBeLessThan(0.03);
      }
    });

    it('a range with min > max is refused, naming both', () => {
      expect(() => arbitraries.value({ min: 1, max: -1 })).toThrow(/min 1, max -1/);
    });
  });

  it('broadcastable shapes broadcast together, and each with the stated result', () => {
    fc.assert(
      fc.property(arbitraries.broadcastableShapes(), ({ a, b, result }) => {
        const out = broadcast(a, b);
        expect(out).not.toBeNull();
        // Each broadcast dim is the stated result's dim, or 1 where both operands had 1 there.
        const trailing = result.slice(result.length - out!.length);
        expect(out!.every((d, i) => d === trailing[i] || d === 1)).toBe(true);
        expect([broadcast(a, result), broadcast(b, result)]).toEqual([result, result]);
      }),
    );
  });

  it('matmul shapes share the inner dimension', () => {
    fc.assert(
      fc.property(arbitraries.matmulShapes({ batched: true }), ({ a, b }) => {
        expect(a.at(-1)).toBe(b.at(-2));
        expect(a.length).toBe(3);
        expect(a[0]).toBe(b[0]);
      }),
    );
  });

  it('shapedValues carries exactly as many values as its shape holds', () => {
    fc.assert(
      fc.property(arbitraries.shapedValues(), ({ shape, values }) => {
        expect(values.length).toBe(arbitraries.sizeOf(shape));
      }),
    );
  });
});
