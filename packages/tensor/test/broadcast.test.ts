import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes, sumToShape } from '../src/broadcast.ts';
import { fromData, mul, ShapeError, sub } from '../src/index.ts';

/** Reads x (shape `shape`) at a multi-index of the broadcast result, by the NumPy rule. */
function readBroadcast(
  x: Float64Array,
  shape: readonly number[],
  index: readonly number[],
): number {
  let offset = 0;
  const lead = index.length - shape.length;
  for (let d = 0; d < shape.length; d++) {
    const i = shape[d] === 1 ? 0 : index[lead + d]!;
    offset = offset * shape[d]! + i;
  }
  return x[offset]!;
}

function* indices(shape: readonly number[]): Generator<number[]> {
  const size = arbitraries.sizeOf(shape);
  for (let flat = 0; flat < size; flat++) {
    const index = new Array<number>(shape.length);
    for (let d = shape.length - 1, rest = flat; d >= 0; d--) {
      index[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    yield index;
  }
}

describe('broadcasting helpers', () => {
  it('sumToShape(g) is the adjoint of broadcasting: ⟨broadcast(x), g⟩ = ⟨x, sumToShape(g)⟩', () => {
    fc.assert(
      fc.property(arbitraries.broadcastableShapes(), ({ a, b }) => {
        const out = broadcastShapes('test', a, b);
        const x = Float64Array.from({ length: arbitraries.sizeOf(a) }, (_, i) => Math.sin(i + 1));
        const g = Float64Array.from({ length: arbitraries.sizeOf(out) }, (_, i) => Math.cos(3 * i));
        let left = 0;
        let k = 0;
        for (const index of indices(out)) left += readBroadcast(x, a, index) * g[k++]!;
        const reduced = sumToShape(g, out, a);
        let right = 0;
        for (let i = 0; i < x.length; i++) right += x[i]! * reduced[i]!;
        expect(right).toBeAllclose(left, { atol: 1e-12, rtol: 1e-12 });
        expect(reduced.length).toBe(x.length);
      }),
      { numRuns: 60 },
    );
  });

  it('a binary op reads each operand at the broadcast index: out[i] = f(a[i′], b[i″])', () => {
    fc.assert(
      fc.property(arbitraries.broadcastableShapes(), ({ a, b }) => {
        const x = Float64Array.from({ length: arbitraries.sizeOf(a) }, (_, i) => i + 1);
        const y = Float64Array.from({ length: arbitraries.sizeOf(b) }, (_, i) => 0.5 - i);
        const difference = sub(fromData(x, a), fromData(y, b));
        const product = mul(fromData(x, a), fromData(y, b));
        let k = 0;
        for (const index of indices(difference.shape)) {
          const [xi, yi] = [readBroadcast(x, a, index), readBroadcast(y, b, index)];
          expect([difference.data[k], product.data[k]]).toEqual([xi - yi, xi * yi]);
          k++;
        }
        expect(k).toBe(difference.size);
      }),
      { numRuns: 60 },
    );
  });

  it('broadcastShapes follows NumPy: align right, 1 stretches', () => {
    expect(broadcastShapes('op', [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes('op', [], [5])).toEqual([5]);
    expect(() => broadcastShapes('op', [2, 3], [3, 2])).toThrow(ShapeError);
  });
});
