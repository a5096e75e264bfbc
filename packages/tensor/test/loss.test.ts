import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  dropout,
  mse,
  mul,
  type Reduction,
  Rng,
  ShapeError,
  sigmoid,
  sum,
  tensor,
} from '../src/index.ts';
import { checkGradients, type Input } from './check.ts';

const runs = { numRuns: 30 };
const reduction = fc.constantFrom<Reduction>('mean', 'sum', 'none');

function input(shape: number[], options: arbitraries.ValueOptions = {}) {
  return arbitraries
    .float64Array(arbitraries.sizeOf(shape), options)
    .map((values): Input => ({ shape, values }));
}

describe('crossEntropy', () => {
  const problem = fc
    .record({ rows: fc.integer({ min: 1, max: 5 }), classes: fc.integer({ min: 1, max: 5 }) })
    .chain(({ rows, classes }) =>
      fc.record({
        logits: input([rows, classes], { min: -4, max: 4 }),
        targets: fc.array(fc.oneof(fc.integer({ min: 0, max: classes - 1 }), fc.constant(-100)), {
          minLength: rows,
          maxLength: rows,
        }),
        reduction,
      }),
    );

  it('has the fused p − y backward, matching central differences (ignoreIndex, every reduction)', () => {
    fc.assert(
      fc.property(problem, ({ logits, targets, reduction }) => {
        fc.pre(reduction !== 'mean' || targets.some((t) => t !== -100)); // a mean over nothing is NaN
        checkGradients((z) => crossEntropy(z, targets, { reduction }), [logits], {
          what: `crossEntropy(${reduction}, targets [${targets}])`,
        });
      }),
      runs,
    );
  });

  it('sums both paths of logits used twice: crossEntropy(z)·Σ_c z', () => {
    fc.assert(
      fc.property(problem, ({ logits, targets, reduction }) => {
        fc.pre(reduction !== 'mean' || targets.some((t) => t !== -100));
        checkGradients((z) => mul(crossEntropy(z, targets, { reduction }), sum(z, 1)), [logits], {
          what: `crossEntropy(${reduction})·Σ_c z, targets [${targets}]`,
        });
      }),
      runs,
    );
  });

  it('is −log softmax(z)_t, averaged over the rows not ignored', () => {
    const z = [
      [1, 2, 3],
      [0, 0, 0],
      [5, 5, 5],
    ];
    const expected = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
    const logits = tensor(z);
    expect(crossEntropy(logits, [0, 2, -100], { reduction: 'none' }).toArray()).toBeAllclose([
      expected,
      Math.log(3),
      0,
    ]);
    expect(crossEntropy(logits, [0, 2, -100]).item()).toBeAllclose((expected + Math.log(3)) / 2);
    expect(crossEntropy(logits, tensor([0, 2, -100])).item()).toBeAllclose(
      (expected + Math.log(3)) / 2,
    );
    expect(
      crossEntropy(logits, [0, 2, 1], { ignoreIndex: 1, reduction: 'sum' }).item(),
    ).toBeAllclose(expected + Math.log(3));
  });

  it('keeps its targets when the caller reuses the array before backward', () => {
    const z = tensor([[0, 0]], { requiresGrad: true });
    const targets = [0];
    const loss = crossEntropy(z, targets);
    targets[0] = 1;
    loss.backward();
    expect(z.grad!.toArray()).toEqual([[-0.5, 0.5]]); // p − y with p = [½, ½], y = [1, 0]
  });

  it('is stable for logits of ±1000', () => {
    const logits = tensor([[1000, -1000, 0]], { requiresGrad: true });
    const loss = crossEntropy(logits, [1]);
    expect(loss.item()).toBe(2000);
    loss.backward();
    expect(logits.grad!.toArray()).toEqual([[1, -1, 0]]);
  });

  it('names bad targets, shapes and options', () => {
    const logits = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => crossEntropy(logits, [0, 3])).toThrow(
      'crossEntropy: targets[1] = 3 is not a class in [0, 2] nor ignoreIndex (-100)',
    );
    expect(() => crossEntropy(logits, [0])).toThrow(ShapeError);
    expect(() => crossEntropy(logits, [0])).toThrow(
      'crossEntropy: targets has 1 entries but logits [2,3] has 2 rows',
    );
    expect(() => crossEntropy(tensor([1, 2]), [0])).toThrow(
      'crossEntropy: logits must be [N, C], got [2]',
    );
    expect(() => crossEntropy(logits, [0, 1], { reduction: 'avg' as Reduction })).toThrow(
      "crossEntropy: reduction must be 'mean', 'sum' or 'none', got avg",
    );
  });
});

describe('mse', () => {
  it('has a backward that matches central differences, for prediction and target', () => {
    fc.assert(
      fc.property(
        arbitraries.shape().chain((shape) => fc.tuple(input(shape), input(shape))),
        reduction,
        ([p, y], r) => {
          checkGradients((a, b) => mse(a!, b!, { reduction: r }), [p, y], { what: `mse(${r})` });
        },
      ),
      runs,
    );
  });

  it('is the mean of squared differences', () => {
    expect(mse(tensor([1, 2, 3]), tensor([1, 0, 0])).item()).toBeAllclose(13 / 3);
    expect(() => mse(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      'mse: prediction is [2] but target is [3]; they must match',
    );
  });
});

describe('binaryCrossEntropyWithLogits', () => {
  it('has a backward that matches central differences, for logits and targets', () => {
    fc.assert(
      fc.property(
        arbitraries
          .shape()
          .chain((shape) =>
            fc.tuple(input(shape, { min: -5, max: 5 }), input(shape, { min: 0, max: 1 })),
          ),
        reduction,
        ([z, y], r) => {
          checkGradients((a, b) => binaryCrossEntropyWithLogits(a!, b!, { reduction: r }), [z, y], {
            what: `binaryCrossEntropyWithLogits(${r})`,
          });
        },
      ),
      runs,
    );
  });

  it('sums both paths of logits that also make the targets: bce(z, σ(z))', () => {
    fc.assert(
      fc.property(arbitraries.shapedValues({}, { min: -5, max: 5 }), reduction, (z, r) => {
        checkGradients((t) => binaryCrossEntropyWithLogits(t, sigmoid(t), { reduction: r }), [z], {
          what: `binaryCrossEntropyWithLogits(z, σ(z), ${r})`,
        });
      }),
      runs,
    );
  });

  it('is −y log σ(z) − (1 − y) log(1 − σ(z)), stable at ±1000', () => {
    const sigma = 1 / (1 + Math.exp(-0.5));
    const expected = -(0.3 * Math.log(sigma) + 0.7 * Math.log(1 - sigma));
    expect(binaryCrossEntropyWithLogits(tensor([0.5]), tensor([0.3])).item()).toBeAllclose(
      expected,
    );
    const z = tensor([1000, -1000], { requiresGrad: true });
    const big = binaryCrossEntropyWithLogits(z, tensor([0, 1]), { reduction: 'none' });
    expect(big.toArray()).toEqual([1000, 1000]);
    big.sum().backward();
    expect(z.grad!.toArray()).toEqual([1, -1]); // σ(z) − y with σ(1000) = 1, σ(−1000) = 0
  });

  it('names mismatched shapes and a bad reduction', () => {
    expect(() => binaryCrossEntropyWithLogits(tensor([1, 2]), tensor([[1, 0]]))).toThrow(
      'binaryCrossEntropyWithLogits: logits is [2] but targets is [1,2]; they must match',
    );
    expect(() =>
      binaryCrossEntropyWithLogits(tensor([1]), tensor([1]), { reduction: 'all' as Reduction }),
    ).toThrow("binaryCrossEntropyWithLogits: reduction must be 'mean', 'sum' or 'none', got all");
  });
});

describe('dropout', () => {
  it('has a backward that matches central differences (same mask each evaluation)', () => {
    fc.assert(
      fc.property(
        arbitraries.shapedValues(),
        fc.constantFrom(0.2, 0.5),
        arbitraries.seed(),
        (x, p, seed) => {
          checkGradients((t) => dropout(t, p, new Rng(seed)), [x], { what: `dropout(${p})` });
        },
      ),
      runs,
    );
  });

  it('sums both paths when x is used twice: dropout(x)·x', () => {
    fc.assert(
      fc.property(arbitraries.shapedValues(), arbitraries.seed(), (x, seed) => {
        checkGradients((t) => mul(dropout(t, 0.5, new Rng(seed)), t), [x], {
          what: 'dropout(x, 0.5)·x',
        });
      }),
      runs,
    );
  });

  it('zeroes about p of the entries and scales the rest by 1/(1 − p)', () => {
    const x = tensor(new Float64Array(10_000).fill(1));
    const y = dropout(x, 0.25, new Rng(1));
    const kept = y.data.filter((v) => v !== 0);
    expect(kept.every((v) => v === 1 / 0.75)).toBe(true);
    expect(Math.abs(kept.length / 10_000 - 0.75)).toBeLessThan(0.02);
  });

  it('is the identity in evaluation or with p = 0, and all zeros with p = 1', () => {
    const x = tensor([1, 2, 3]);
    expect(dropout(x, 0.5, new Rng(1), false)).toBe(x);
    expect(dropout(x, 0, new Rng(1))).toBe(x);
    expect(dropout(x, 1, new Rng(1)).toArray()).toEqual([0, 0, 0]);
  });

  it('names a bad probability and a missing generator', () => {
    expect(() => dropout(tensor([1]), 1.5, new Rng(1))).toThrow(
      'dropout: p must be a probability in [0, 1], got 1.5',
    );
    expect(() => dropout(tensor([1]), 0.5, null as never)).toThrow(
      'dropout: rng must be a generator such as new Rng(seed), got null',
    );
  });
});
