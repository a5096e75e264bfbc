import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  div,
  maximum,
  minimum,
  mul,
  ShapeError,
  sub,
  type Tensor,
  type TensorLike,
  tensor,
  where,
} from '../src/index.ts';
import { checkGradients } from './check.ts';

const runs = { numRuns: 30 };

/** Two broadcast-compatible shapes with values; b is kept `bValues` (e.g. away from 0). */
function operands(bValues: arbitraries.ValueOptions = {}) {
  return arbitraries.broadcastableShapes().chain(({ a, b, result }) =>
    fc.record({
      a: arbitraries.float64Array(arbitraries.sizeOf(a)).map((values) => ({ shape: a, values })),
      b: arbitraries
        .float64Array(arbitraries.sizeOf(b), bValues)
        .map((values) => ({ shape: b, values })),
      result: fc.constant(result),
    }),
  );
}

/** b shifted off a's grid, so that min/max never meet a tie within the difference step. */
const offGrid = (values: Float64Array) => values.map((v) => v + 0.0137);

const cases: [string, (a: TensorLike, b: TensorLike) => Tensor, arbitraries.ValueOptions][] = [
  ['add', add, {}],
  ['sub', sub, {}],
  ['mul', mul, {}],
  ['div', div, { avoid: [0], margin: 0.3 }],
  ['minimum', minimum, {}],
  ['maximum', maximum, {}],
];

describe.each(cases)('%s', (name, op, bValues) => {
  it('has a backward that matches central differences, broadcasting included', () => {
    fc.assert(
      fc.property(operands(bValues), ({ a, b }) => {
        const shifted = { shape: b.shape, values: offGrid(b.values) };
        checkGradients(op, [a, shifted], { what: `${name} ${JSON.stringify([a.shape, b.shape])}` });
      }),
      runs,
    );
  });

  it('sums the paths of an operand used twice: op(a, b) ⊙ a', () => {
    fc.assert(
      fc.property(operands(bValues), ({ a, b }) => {
        const shifted = { shape: b.shape, values: offGrid(b.values) };
        checkGradients((x, y) => mul(op(x, y), x), [a, shifted], { what: `${name}(a, b)·a` });
      }),
      runs,
    );
  });

  it('accepts a number for either operand', () => {
    fc.assert(
      fc.property(arbitraries.shapedValues({}, { min: 0.5, max: 2 }), (x) => {
        checkGradients((t) => op(t, 0.25), [x], { what: `${name}(x, 0.25)` });
        checkGradients((t) => op(-0.25, t), [x], { what: `${name}(-0.25, x)` });
      }),
      { numRuns: 10 },
    );
  });
});

describe('broadcasting', () => {
  it('computes the NumPy result: a column plus a row is a table', () => {
    const column = tensor([[1], [2]]);
    const row = tensor([10, 20, 30]);
    expect(add(column, row).toArray()).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
  });

  it('sums the gradient over the broadcast axes', () => {
    const bias = tensor([1, 2, 3], { requiresGrad: true });
    add(
      tensor([
        [0, 0, 0],
        [0, 0, 0],
      ]),
      bias,
    )
      .sum()
      .backward();
    expect(bias.grad!.toArray()).toEqual([2, 2, 2]);
  });

  it('names the op and both shapes when they do not broadcast', () => {
    expect(() =>
      add(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        tensor([1, 2, 3, 4]),
      ),
    ).toThrow(ShapeError);
    expect(() =>
      mul(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        tensor([1, 2, 3, 4]),
      ),
    ).toThrow('mul: shapes do not broadcast: a is [2,3], b is [4] (dim -1: 3 vs 4)');
  });

  it('minimum and maximum share the gradient at a tie', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([1, 3], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect([a.grad!.toArray(), b.grad!.toArray()]).toEqual([
      [0.5, 0],
      [0.5, 1],
    ]);
  });
});

describe('where', () => {
  it('picks a where the condition is nonzero and b elsewhere, with broadcasting', () => {
    const condition = tensor([[1], [0]]);
    expect(where(condition, tensor([1, 2, 3]), -1).toArray()).toEqual([
      [1, 2, 3],
      [-1, -1, -1],
    ]);
  });

  it('has a backward that matches central differences, the condition broadcast too', () => {
    fc.assert(
      fc.property(
        operands(),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        fc.constantFrom('result', 'a', 'b'),
        ({ a, b, result }, bits, conditionLike) => {
          const shape = conditionLike === 'a' ? a.shape : conditionLike === 'b' ? b.shape : result;
          const size = arbitraries.sizeOf(shape);
          const condition = tensor(Float64Array.from(bits.slice(0, size), Number)).reshape(shape);
          checkGradients((x, y) => where(condition, x, y), [a, b], {
            what: `where, condition ${JSON.stringify(shape)}`,
          });
        },
      ),
      runs,
    );
  });

  it('sums the paths of an operand used as a and inside b: where(c, a, a·b)', () => {
    fc.assert(
      fc.property(
        operands(),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        ({ a, b, result }, bits) => {
          const size = arbitraries.sizeOf(result);
          const condition = tensor(Float64Array.from(bits.slice(0, size), Number)).reshape(result);
          checkGradients((x, y) => where(condition, x, mul(x, y)), [a, b], {
            what: 'where(c, a, a·b)',
          });
        },
      ),
      runs,
    );
  });

  it('names the shapes that do not broadcast', () => {
    expect(() => where(tensor([1, 0]), tensor([1, 2, 3]), 0)).toThrow(
      'where: shapes do not broadcast: condition is [2], a is [3] (dim -1: 2 vs 3)',
    );
  });
});
