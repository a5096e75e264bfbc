import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs,
  clamp,
  exp,
  log,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  type Tensor,
  tanh,
  tensor,
} from '../src/index.ts';
import { checkGradients } from './check.ts';

const runs = { numRuns: 25 };

/** op name, the op, and the values it is differentiable at (kinks avoided). */
const cases: [string, (x: Tensor) => Tensor, arbitraries.ValueOptions][] = [
  ['neg', neg, {}],
  ['exp', exp, {}],
  ['log', log, { min: 0.1, max: 3 }],
  ['sqrt', sqrt, { min: 0.1, max: 3 }],
  ['tanh', tanh, {}],
  ['sigmoid', sigmoid, { min: -6, max: 6 }],
  ['relu', relu, { avoid: [0] }],
  ['abs', abs, { avoid: [0] }],
];

/** The same functions from Math, an independent account of each forward pass. */
const reference: Record<string, (v: number) => number> = {
  neg: (v) => -v,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  relu: (v) => Math.max(0, v),
  abs: Math.abs,
};

describe.each(cases)('%s', (name, op, values) => {
  it('computes its function entry by entry', () => {
    fc.assert(
      fc.property(arbitraries.shapedValues({}, values), ({ shape, values }) => {
        const y = op(tensor(values).reshape(shape));
        expect(y.shape).toEqual(shape);
        expect(y.data).toBeAllclose(Array.from(values, reference[name]!), { rtol: 1e-14 });
      }),
      runs,
    );
  });

  it('has a backward that matches central differences', () => {
    fc.assert(
      fc.property(arbitraries.shapedValues({}, values), ({ shape, values }) => {
        checkGradients(op, [{ shape, values }], { what: name });
      }),
      runs,
    );
  });

  it('sums both paths when x is used twice: op(x)·x', () => {
    fc.assert(
      fc.property(arbitraries.shapedValues({ minRank: 1 }, values), ({ shape, values }) => {
        checkGradients((x) => mul(op(x), x), [{ shape, values }], { what: `${name}(x)·x` });
      }),
      runs,
    );
  });
});

describe('pow', () => {
  it('has a backward that matches central differences for integer and real exponents', () => {
    const exponent = fc.constantFrom(2, 3, 0.5, -1, 1.5, -2.5);
    fc.assert(
      fc.property(arbitraries.shapedValues({}, { min: 0.2, max: 3 }), exponent, (x, p) => {
        checkGradients((t) => pow(t, p), [x], { what: `pow(x, ${p})` });
      }),
      runs,
    );
  });

  it('sums both paths when x is used twice: pow(x, p)·x', () => {
    fc.assert(
      fc.property(
        arbitraries.shapedValues({}, { min: 0.2, max: 3 }),
        fc.constantFrom(2, 0.5, -1.5),
        (x, p) => {
          checkGradients((t) => mul(pow(t, p), t), [x], { what: `pow(x, ${p})·x` });
        },
      ),
      runs,
    );
  });

  it('handles negative bases with integer exponents', () => {
    fc.assert(
      fc.property(
        arbitraries.shapedValues({}, { avoid: [0], margin: 0.2 }),
        fc.constantFrom(2, 3, -1),
        (x, p) => {
          checkGradients((t) => pow(t, p), [x], { what: `pow(x, ${p})` });
        },
      ),
      runs,
    );
  });

  it('computes xᵖ, by a product for p = 2 and by ** otherwise', () => {
    const x = tensor([-1.5, 0, 2]);
    expect(pow(x, 2).toArray()).toEqual([2.25, 0, 4]);
    expect(pow(x, 3).toArray()).toEqual([-3.375, 0, 8]);
    expect(pow(tensor([4, 0.25]), -0.5).toArray()).toEqual([0.5, 2]);
  });

  it('with exponent 0 has gradient 0 everywhere, even at x = 0 (not 0·∞ = NaN)', () => {
    const x = tensor([0, -1.5, 2], { requiresGrad: true });
    pow(x, 0).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0]);
  });

  it('names the bad exponent', () => {
    expect(() => pow(tensor([1]), Number.NaN)).toThrow('pow: exponent must be a number, got NaN');
  });
});

describe('clamp', () => {
  it('passes the gradient inside the bounds and stops it outside', () => {
    const values = { min: -2, max: 2, avoid: [-0.5, 0.7] };
    fc.assert(
      fc.property(arbitraries.shapedValues({}, values), (x) => {
        checkGradients((t) => clamp(t, -0.5, 0.7), [x], { what: 'clamp' });
        checkGradients((t) => clamp(t, undefined, 0.7), [x], { what: 'clamp (max only)' });
        checkGradients((t) => clamp(t, -0.5), [x], { what: 'clamp (min only)' });
      }),
      runs,
    );
  });

  it('sums both paths when x is used twice: clamp(x)·x', () => {
    const values = { min: -2, max: 2, avoid: [-0.5, 0.7] };
    fc.assert(
      fc.property(arbitraries.shapedValues({}, values), (x) => {
        checkGradients((t) => mul(clamp(t, -0.5, 0.7), t), [x], { what: 'clamp(x)·x' });
      }),
      runs,
    );
  });

  it('limits the values', () => {
    expect(clamp(tensor([-3, 0.1, 5]), -1, 2).toArray()).toEqual([-1, 0.1, 2]);
  });

  it('rejects min > max', () => {
    expect(() => clamp(tensor([1]), 2, 1)).toThrow('clamp: need min ≤ max, got min 2, max 1');
  });
});

describe('values at the extremes', () => {
  it('sigmoid is finite and exact in the tails: σ(−x) = 1 − σ(x)', () => {
    const y = sigmoid(tensor([-1000, -30, 0, 30, 1000])).toArray() as number[];
    expect(y[0]).toBe(0);
    expect(y[2]).toBe(0.5);
    expect(y[4]).toBe(1);
    expect(y[1]).toBeAllclose(1 - y[3]!, { rtol: 0, atol: 1e-15 });
    expect(y[1]! > 0).toBe(true); // e^−30 does not underflow to 0
  });

  it('relu and abs take the derivative 0 at the kink, as PyTorch does', () => {
    const x = tensor([0, 0], { requiresGrad: true });
    relu(x).sum().backward();
    abs(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0]);
  });

  it('a non-tensor argument is named', () => {
    expect(() => tanh([1, 2] as unknown as Tensor)).toThrow(
      'tanh: x must be a Tensor, got an array (wrap it with tensor(...))',
    );
  });
});
