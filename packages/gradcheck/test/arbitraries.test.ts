import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraries } from '../src/index.ts';

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
