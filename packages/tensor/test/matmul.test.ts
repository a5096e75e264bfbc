import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linear, matmul, mul, ShapeError, type Tensor, tensor } from '../src/index.ts';
import { checkGradients, type Input } from './check.ts';

const runs = { numRuns: 30 };

const dim = fc.integer({ min: 1, max: 4 });

function input(shape: number[]) {
  return arbitraries
    .float64Array(arbitraries.sizeOf(shape))
    .map((values): Input => ({ shape, values }));
}

/** Every operand layout matmul supports: vectors, matrices, batches on either side. */
const layouts = fc
  .record({ batch: dim, m: dim, k: dim, n: dim, kind: fc.integer({ min: 0, max: 8 }) })
  .map(({ batch, m, k, n, kind }) => {
    const shapes: [number[], number[]][] = [
      [
        [m, k],
        [k, n],
      ], // matrix · matrix
      [[k], [k]], // dot product
      [[m, k], [k]], // matrix · vector
      [[k], [k, n]], // vector · matrix
      [
        [batch, m, k],
        [batch, k, n],
      ], // batch · batch
      [
        [batch, m, k],
        [k, n],
      ], // batch · shared matrix
      [
        [m, k],
        [batch, k, n],
      ], // shared matrix · batch
      [[batch, m, k], [k]], // batch · shared vector
      [[k], [batch, k, n]], // shared vector · batch
    ];
    return shapes[kind]!;
  })
  .chain(([a, b]) => fc.tuple(input(a), input(b)));

/** The definition, one sum per entry, for 2-D operands. */
function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, p) => s + x * b[p]![j]!, 0)));
}

describe('matmul', () => {
  it('has a backward that matches central differences for every layout', () => {
    fc.assert(
      fc.property(layouts, ([a, b]) => {
        checkGradients(matmul, [a, b], { what: `matmul ${JSON.stringify([a.shape, b.shape])}` });
      }),
      runs,
    );
  });

  it("sums a shared operand's gradient over every batch entry (batch ≥ 2, shared on either side)", () => {
    // dA = Σ_b dC_b B_bᵀ when A is shared: with one batch entry, assigning instead of
    // accumulating gives the same answer, so the batch here is at least 2.
    const shared = fc
      .record({
        batch: fc.integer({ min: 2, max: 4 }),
        m: dim,
        k: dim,
        n: dim,
        kind: fc.integer({ min: 0, max: 3 }),
      })
      .map(({ batch, m, k, n, kind }) => {
        const shapes: [number[], number[]][] = [
          [
            [batch, m, k],
            [k, n],
          ],
          [
            [m, k],
            [batch, k, n],
          ],
          [[batch, m, k], [k]],
          [[k], [batch, k, n]],
        ];
        return shapes[kind]!;
      })
      .chain(([a, b]) => fc.tuple(input(a), input(b)));
    fc.assert(
      fc.property(shared, ([a, b]) => {
        checkGradients(matmul, [a, b], { what: `matmul ${JSON.stringify([a.shape, b.shape])}` });
      }),
      runs,
    );
  });

  it('passes a gradient only to the operand that wants one, in every layout', () => {
    // A constant operand (data, a mask, a frozen weight) has no gradient to fill.
    fc.assert(
      fc.property(layouts, ([a, b]) => {
        const what = `matmul ${JSON.stringify([a.shape, b.shape])}`;
        checkGradients(matmul, [{ ...a, requiresGrad: false }, b], { what: `${what}, a constant` });
        checkGradients(matmul, [a, { ...b, requiresGrad: false }], { what: `${what}, b constant` });
      }),
      runs,
    );
  });

  it('names the op that made its result, and the operand that is not a tensor', () => {
    const a = tensor([[1, 2]], { requiresGrad: true });
    const batch = tensor([[[1], [2]]], { requiresGrad: true });
    expect(String(matmul(a, tensor([[3], [4]])))).toMatch(/← matmul$/);
    expect(String(matmul(a, batch))).toMatch(/← matmul$/);
    expect(() => matmul([1, 2] as never, a)).toThrow(
      'matmul: a must be a Tensor, got an array (wrap it with tensor(...))',
    );
    expect(() => matmul(a, null as never)).toThrow('matmul: b must be a Tensor, got null');
  });

  it('sums both paths of a square matrix used twice: x·x', () => {
    fc.assert(
      fc.property(
        dim.chain((n) => input([n, n])),
        (x) => {
          checkGradients((t) => matmul(t, t), [x], { what: 'x·x' });
        },
      ),
      runs,
    );
  });

  it('agrees with the definition Cᵢⱼ = Σₚ AᵢₚBₚⱼ', () => {
    fc.assert(
      fc.property(arbitraries.matmulShapes(), ({ a, b }) => {
        const A = tensor(
          Float64Array.from({ length: a[0]! * a[1]! }, (_, i) => Math.sin(i)),
        ).reshape(a);
        const B = tensor(
          Float64Array.from({ length: b[0]! * b[1]! }, (_, i) => Math.cos(i)),
        ).reshape(b);
        expect(matmul(A, B).toArray()).toBeAllclose(
          naive(A.toArray() as number[][], B.toArray() as number[][]),
        );
      }),
      runs,
    );
  });

  it('gives PyTorch result shapes for vectors and batches', () => {
    const shapeOf = (a: number[], b: number[]) =>
      matmul(
        tensor(new Float64Array(a.reduce((x, y) => x * y, 1))).reshape(a),
        tensor(new Float64Array(b.reduce((x, y) => x * y, 1))).reshape(b),
      ).shape;
    expect(shapeOf([3], [3])).toEqual([]);
    expect(shapeOf([2, 3], [3])).toEqual([2]);
    expect(shapeOf([3], [3, 4])).toEqual([4]);
    expect(shapeOf([5, 2, 3], [3, 4])).toEqual([5, 2, 4]);
    expect(shapeOf([2, 3], [5, 3, 4])).toEqual([5, 2, 4]);
    expect(shapeOf([5, 2, 3], [3])).toEqual([5, 2]);
    expect(shapeOf([3], [5, 3, 4])).toEqual([5, 4]);
  });

  it('names the operands when dimensions differ', () => {
    const a = tensor(new Float64Array(12)).reshape([3, 4]);
    const b = tensor(new Float64Array(10)).reshape([5, 2]);
    expect(() => matmul(a, b)).toThrow(ShapeError);
    expect(() => matmul(a, b)).toThrow('matmul: inner dimensions differ: a is [3,4], b is [5,2]');
    const c = tensor(new Float64Array(24)).reshape([2, 3, 4]);
    const d = tensor(new Float64Array(24)).reshape([3, 4, 2]);
    expect(() => matmul(c, d)).toThrow(
      'matmul: batch dimensions differ: a is [2,3,4], b is [3,4,2]',
    );
    expect(() => matmul(tensor(2), tensor([1]))).toThrow(
      'matmul: both operands need at least one dim',
    );
    expect(() => matmul(tensor([1]), tensor(2))).toThrow(
      'matmul: both operands need at least one dim',
    );
  });
});

describe('linear', () => {
  const shapes = fc.record({
    lead: fc.array(dim, { maxLength: 2 }),
    inFeatures: dim,
    outFeatures: dim,
    withBias: fc.boolean(),
  });

  it('has a backward that matches central differences (x, weight, bias)', () => {
    fc.assert(
      fc.property(
        shapes.chain(({ lead, inFeatures, outFeatures, withBias }) =>
          fc.tuple(
            input([...lead, inFeatures]),
            input([outFeatures, inFeatures]),
            withBias ? input([outFeatures]) : fc.constant(null),
          ),
        ),
        ([x, w, b]) => {
          const inputs = b === null ? [x, w] : [x, w, b];
          checkGradients((...t: Tensor[]) => linear(t[0]!, t[1]!, t[2]), inputs, {
            what: 'linear',
          });
        },
      ),
      runs,
    );
  });

  it('is x·Wᵀ + b', () => {
    const x = tensor([[1, 2]]);
    const w = tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(linear(x, w, tensor([0.5, 0, -3])).toArray()).toEqual([[1.5, 2, 0]]);
    expect(linear(tensor([1, 2]), w).toArray()).toEqual([1, 2, 3]);
  });

  it('sums both paths when the input is also the weight', () => {
    fc.assert(
      fc.property(
        dim.chain((n) => input([n, n])),
        (x) => {
          checkGradients((t) => mul(linear(t, t), t), [x], { what: 'linear(x, x)·x' });
        },
      ),
      runs,
    );
  });

  it('with no input features is the bias alone, and still passes the bias its gradient', () => {
    const x = tensor(new Float64Array(0)).reshape([2, 0]);
    const w = tensor(new Float64Array(0), { requiresGrad: true }).reshape([3, 0]);
    const b = tensor([1, 2, 3], { requiresGrad: true });
    const y = linear(x, w, b);
    expect(y.toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    y.sum().backward();
    expect(b.grad!.toArray()).toEqual([2, 2, 2]);
  });

  it('takes a null bias as no bias, and names the op and any argument that is not a tensor', () => {
    const x = tensor([[1, 2]]);
    const w = tensor(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      { requiresGrad: true },
    );
    expect(linear(x, w, null).toArray()).toEqual([[1, 2, 3]]);
    expect(String(linear(x, w))).toMatch(/← linear$/);
    expect(() => linear(3 as never, w)).toThrow('linear: x must be a Tensor, got number');
    expect(() => linear(x, [1] as never)).toThrow('linear: weight must be a Tensor, got an array');
    expect(() => linear(x, w, 'b' as never)).toThrow('linear: bias must be a Tensor, got string');
  });

  it('names mismatched shapes', () => {
    const w = tensor(new Float64Array(12)).reshape([3, 4]);
    expect(() => linear(tensor(new Float64Array(10)).reshape([2, 5]), w)).toThrow(
      'linear: x must end in 4 features to match weight [3,4], got x [2,5]',
    );
    expect(() => linear(tensor(new Float64Array(4)), w, tensor([1, 2]))).toThrow(
      'linear: bias must have shape [3] to match weight [3,4], got [2]',
    );
    expect(() => linear(tensor(new Float64Array(4)), tensor([1, 2, 3, 4]))).toThrow(
      'linear: weight must be 2-D [out, in], got [4]',
    );
  });
});
