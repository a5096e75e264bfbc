import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Axis,
  logsumexp,
  max,
  mean,
  min,
  mul,
  sum,
  type Tensor,
  tensor,
} from '../src/index.ts';
import { checkGradients } from './check.ts';

const runs = { numRuns: 30 };

/** A shape, distinct values (spaced ≥ 0.1, so max/min have no ties), axes and keepDim. */
const reduction = arbitraries.shape({ maxRank: 3 }).chain((shape) => {
  const size = arbitraries.sizeOf(shape);
  const axes = fc.oneof(
    fc.constant(undefined),
    fc.subarray(Array.from({ length: shape.length }, (_, d) => d)),
    shape.length > 0
      ? fc.integer({ min: -shape.length, max: shape.length - 1 })
      : fc.constant(undefined),
  );
  return fc.record({
    shape: fc.constant(shape),
    values: fc
      .uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: size, maxLength: size })
      .map((ints) => Float64Array.from(ints, (i) => i / 10)),
    axis: axes as fc.Arbitrary<Axis>,
    keepDim: fc.boolean(),
  });
});

const ops: [string, (x: Tensor, axis?: Axis, keepDim?: boolean) => Tensor][] = [
  ['sum', sum],
  ['mean', mean],
  ['max', max],
  ['min', min],
  ['logsumexp', logsumexp],
];

describe.each(ops)('%s', (name, op) => {
  it('has a backward that matches central differences over any axes', () => {
    fc.assert(
      fc.property(reduction, ({ shape, values, axis, keepDim }) => {
        checkGradients((x) => op(x, axis, keepDim), [{ shape, values }], {
          what: `${name}(axis ${JSON.stringify(axis)}, keepDim ${keepDim})`,
        });
      }),
      runs,
    );
  });

  it('matches central differences over every set of axes, with and without keepDim', () => {
    // Every axis, leading, middle and trailing, is reduced alone and with others; a
    // backward that broadcasts dout from the dropped shape instead of the kept one only
    // shows on some of them. Distinct dims so that a wrong axis cannot line up by chance.
    for (const shape of [[5], [2, 3], [3, 1, 4], [2, 3, 4]]) {
      const size = arbitraries.sizeOf(shape);
      // Distinct values spaced 0.1 apart in a scrambled order: no ties for max and min.
      const values = Float64Array.from({ length: size }, (_, i) => ((i * 7) % size) / 10 - 0.95);
      const rank = shape.length;
      for (let mask = 1; mask < 1 << rank; mask++) {
        const axes = Array.from({ length: rank }, (_, d) => d).filter((d) => mask & (1 << d));
        for (const keepDim of [false, true]) {
          checkGradients((x) => op(x, axes, keepDim), [{ shape, values }], {
            what: `${name}([${shape}], axes ${JSON.stringify(axes)}, keepDim ${keepDim})`,
          });
        }
      }
      for (let axis = -rank; axis < 0; axis++) {
        checkGradients((x) => op(x, axis, false), [{ shape, values }], {
          what: `${name}([${shape}], axis ${axis})`,
        });
      }
    }
  });

  it('sums both paths when x is used twice: op(x) · x (broadcast with keepDim)', () => {
    fc.assert(
      fc.property(reduction, ({ shape, values, axis }) => {
        checkGradients((x) => mul(op(x, axis, true), x), [{ shape, values }], {
          what: `${name}·x`,
        });
      }),
      runs,
    );
  });

  it('keeps the reduced axes as 1s with keepDim and drops them otherwise', () => {
    const x = tensor([
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ],
      [
        [13, 14, 15, 16],
        [17, 18, 19, 20],
        [21, 22, 23, 24],
      ],
    ]);
    expect(op(x, [0, 2], true).shape).toEqual([1, 3, 1]);
    expect(op(x, [0, 2], false).shape).toEqual([3]);
    expect(op(x, -1).shape).toEqual([2, 3]);
    expect(op(x).shape).toEqual([]);
  });

  it('names a bad axis', () => {
    expect(() => op(tensor([[1, 2]]), 2, false)).toThrow(
      `${name}: axis 2 is out of range for rank 2; allowed [-2, 1]`,
    );
    expect(() => op(tensor([[1, 2]]), [1, -1], false)).toThrow(
      `${name}: axis 1 appears twice in [1,-1]`,
    );
  });
});

describe('reduction values', () => {
  const x = tensor([
    [1, 5, 3],
    [4, 2, 6],
  ]);

  it('agree with a hand computation', () => {
    expect(sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(mean(x, 1).toArray()).toEqual([3, 4]);
    expect(max(x, 1).toArray()).toEqual([5, 6]);
    expect(min(x).item()).toBe(1);
    expect(logsumexp(tensor([0, 0]), 0).item()).toBeAllclose(Math.LN2);
  });

  it('agree with the definition over every set of axes: one loop over the entries', () => {
    // A gradient check cannot see a wrong forward value when the backward is wrong in the
    // same way (a min that only looks at the first slice, and sends its gradient there),
    // so the values are checked on their own, against an independent reference.
    const reference = (x: Float64Array, shape: number[], axes: number[], fold: string) => {
      const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const groups: number[][] = Array.from({ length: arbitraries.sizeOf(outShape) }, () => []);
      for (let flat = 0; flat < x.length; flat++) {
        let rest = flat;
        let target = 0;
        let stride = 1;
        for (let axis = shape.length - 1; axis >= 0; axis--) {
          const index = rest % shape[axis]!;
          rest = Math.floor(rest / shape[axis]!);
          target += (axes.includes(axis) ? 0 : index) * stride;
          stride *= outShape[axis]!;
        }
        groups[target]!.push(x[flat]!);
      }
      return groups.map((g) => {
        const total = g.reduce((a, b) => a + b, 0);
        if (fold === 'sum') return total;
        if (fold === 'mean') return total / g.length;
        if (fold === 'max') return Math.max(...g);
        if (fold === 'min') return Math.min(...g);
        return Math.log(g.reduce((a, b) => a + Math.exp(b), 0));
      });
    };
    fc.assert(
      fc.property(reduction, ({ shape, values }) => {
        for (let mask = 0; mask < 1 << shape.length; mask++) {
          const axes = shape.map((_, d) => d).filter((d) => mask & (1 << d));
          for (const [name, op] of ops) {
            const got = op(tensor(values).reshape(shape), axes, true);
            expect(got.shape, `${name} ${axes}`).toEqual(
              shape.map((d, i) => (axes.includes(i) ? 1 : d)),
            );
            expect(
              Array.from(got.data),
              `${name} over ${JSON.stringify(axes)} of [${shape}]`,
            ).toBeAllclose(reference(values, shape, axes, name), { atol: 1e-12, rtol: 1e-12 });
          }
        }
      }),
      runs,
    );
  });

  it("return a new array, never the input's, and name their op", () => {
    const y = tensor([1, 2, 3], { requiresGrad: true });
    for (const [name, op] of ops) {
      const out = op(y, [], true); // no axes: the values themselves (a logsumexp of one term)
      expect(out.data).not.toBe(y.data);
      out.data[0] = 99;
      expect(y.data[0]).toBe(1);
      expect(String(op(y, 0))).toMatch(new RegExp(`← ${name}$`));
    }
  });

  it('logsumexp is stable at ±1000 and at −∞', () => {
    expect(logsumexp(tensor([1000, 1000])).item()).toBeAllclose(1000 + Math.LN2, { rtol: 1e-15 });
    expect(logsumexp(tensor([-1000, -1000])).item()).toBeAllclose(-1000 + Math.LN2, {
      rtol: 1e-15,
    });
    expect(logsumexp(tensor([Number.NEGATIVE_INFINITY, 0])).item()).toBe(0);
    expect(logsumexp(tensor([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).item()).toBe(
      Number.NEGATIVE_INFINITY,
    );
    const big = tensor([1000, -1000, 999], { requiresGrad: true });
    logsumexp(big).backward();
    expect(big.grad!.toArray()).toBeAllclose([1 / (1 + Math.exp(-1)), 0, 1 / (1 + Math.E)]);
  });

  it('max shares the gradient equally among ties', () => {
    const t = tensor([3, 1, 3], { requiresGrad: true });
    max(t).backward();
    expect(t.grad!.toArray()).toEqual([0.5, 0, 0.5]);
  });

  it('max of an empty axis is an error; sum of one is 0', () => {
    expect(() => max(tensor([[], []]), 1)).toThrow(
      'max: cannot reduce axis 1 of size 0 (shape [2,0])',
    );
    // min and logsumexp fold with max or min too, and say which op refused.
    expect(() => min(tensor([[], []]), 1)).toThrow('min: cannot reduce axis 1 of size 0');
    expect(() => logsumexp(tensor([[], []]), 1)).toThrow(
      'logsumexp: cannot reduce axis 1 of size 0',
    );
    expect(sum(tensor([[], []]), 1).toArray()).toEqual([0, 0]);
  });
});
