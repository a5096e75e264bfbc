import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exp, logSoftmax, mul, softmax, sum, type Tensor, tensor } from '../src/index.ts';
import { checkGradients } from './check.ts';

const runs = { numRuns: 30 };

const withAxis = arbitraries
  .shapedValues({ minRank: 1 }, { min: -3, max: 3 })
  .chain((x) =>
    fc.integer({ min: -x.shape.length, max: x.shape.length - 1 }).map((axis) => ({ ...x, axis })),
  );

const ops: [string, (x: Tensor, axis?: number) => Tensor][] = [
  ['softmax', softmax],
  ['logSoftmax', logSoftmax],
];

describe.each(ops)('%s', (name, op) => {
  it('has a backward that matches central differences along any axis', () => {
    fc.assert(
      fc.property(withAxis, ({ shape, values, axis }) => {
        checkGradients((x) => op(x, axis), [{ shape, values }], { what: `${name}(axis ${axis})` });
      }),
      runs,
    );
  });

  it('sums both paths when x is used twice', () => {
    fc.assert(
      fc.property(withAxis, ({ shape, values, axis }) => {
        checkGradients((x) => mul(op(x, axis), x), [{ shape, values }], { what: `${name}(x)·x` });
      }),
      runs,
    );
  });

  it('is stable for inputs of ±1000, with finite gradients', () => {
    const x = tensor([[1000, 0, -1000]], { requiresGrad: true });
    const y = op(x);
    expect(y.data.every(Number.isFinite)).toBe(true);
    y.backward(tensor([[1, 2, 3]]));
    expect(x.grad!.data.every(Number.isFinite)).toBe(true);
  });
});

describe('softmax values', () => {
  it('are probabilities along the axis, and exp(logSoftmax) is softmax', () => {
    fc.assert(
      fc.property(withAxis, ({ shape, values, axis }) => {
        const x = tensor(values).reshape(shape);
        const p = softmax(x, axis);
        expect(sum(p, axis).data.every((s) => Math.abs(s - 1) < 1e-12)).toBe(true);
        expect(exp(logSoftmax(x, axis)).data).toBeAllclose(p.data, { atol: 1e-14, rtol: 1e-12 });
      }),
      runs,
    );
  });

  it('match the definition, and survive ±1000', () => {
    const e = Math.exp(1);
    expect(softmax(tensor([0, 1])).toArray()).toBeAllclose([1 / (1 + e), e / (1 + e)], {
      rtol: 1e-15,
    });
    expect(softmax(tensor([1000, 1000, -1000])).toArray()).toEqual([0.5, 0.5, 0]);
    expect(logSoftmax(tensor([1000, 0])).toArray()).toEqual([0, -1000]);
  });

  it('have the exact gradients at ±1000 (by hand: e^−1000 is 0 in float64)', () => {
    // softmax y = [1, 0, 0]: dx = y ⊙ (dy − Σ dy·y) = [1·(1 − 1), 0, 0].
    const x = tensor([[1000, 0, -1000]], { requiresGrad: true });
    softmax(x).backward(tensor([[1, 2, 3]]));
    expect(x.grad!.toArray()).toEqual([[0, 0, 0]]);
    // logSoftmax y = [0, −1000, −2000]: dx = dy − softmax ⊙ Σ dy = [1 − 6, 2, 3].
    const z = tensor([[1000, 0, -1000]], { requiresGrad: true });
    const logP = logSoftmax(z);
    expect(logP.toArray()).toEqual([[0, -1000, -2000]]);
    logP.backward(tensor([[1, 2, 3]]));
    expect(z.grad!.toArray()).toEqual([[-5, 2, 3]]);
  });

  it('names a bad axis', () => {
    expect(() => softmax(tensor([1, 2]), 1)).toThrow(
      'softmax: axis 1 is out of range for rank 1; allowed [-1, 0]',
    );
  });
});
