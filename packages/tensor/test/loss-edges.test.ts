/**
 * The losses and dropout at their edges, each checked against an independent fact:
 * - crossEntropy of logits in the thousands is finite (logsumexp(0, 1000, −1000) = 1000
 *   to rounding, so the loss of class 1 is 0), whichever entry holds the maximum;
 * - rows whose target is ignoreIndex add nothing and get no gradient, even when
 *   ignoreIndex is a class (0, a padding token): the loss and the gradient equal those
 *   of the same logits with those rows left out (PyTorch's ignore_index);
 * - a target that is negative or fractional is refused, naming the row;
 * - reduction 'sum' adds the per-entry losses of mse and binaryCrossEntropyWithLogits;
 * - binaryCrossEntropyWithLogits differentiated in its targets only: ∂loss/∂y = −z;
 * - dropout draws exactly one uniform number per entry, and refuses a p that is not
 *   a probability.
 */
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits,
  crossEntropy,
  dropout,
  mse,
  Rng,
  tensor,
} from '../src/index.ts';

describe('crossEntropy', () => {
  it('is finite and exact for logits of ±1000, whichever entry is largest', () => {
    const cases: [number[], number][] = [
      [[0, 1000, -1000], 1],
      [[-1000, 0, 1000], 2],
      [[1000, -1000, 0], 0],
    ];
    for (const [logits, target] of cases) {
      const z = tensor([logits], { requiresGrad: true });
      const loss = crossEntropy(z, [target]);
      expect(loss.item()).toBe(0);
      loss.backward();
      // p − y: the softmax is one-hot on the target to rounding, so the gradient is 0.
      expect(Array.from(z.grad!.data).every((g) => Math.abs(g) < 1e-300)).toBe(true);
    }
  });

  it('leaves out the rows whose target is ignoreIndex, even a class index (padding 0)', () => {
    const logits = [
      [0.5, -1, 2],
      [1.5, 0.25, -0.75],
      [-0.3, 0.8, 0.1],
      [2, -2, 0.4],
    ];
    const targets = [2, 0, 1, 0];
    const kept = [0, 2]; // rows whose target is not 0
    const all = tensor(logits, { requiresGrad: true });
    const some = tensor(
      kept.map((i) => logits[i]!),
      { requiresGrad: true },
    );
    for (const reduction of ['mean', 'sum'] as const) {
      all.zeroGrad();
      some.zeroGrad();
      const a = crossEntropy(all, targets, { ignoreIndex: 0, reduction });
      const b = crossEntropy(
        some,
        kept.map((i) => targets[i]!),
        { reduction },
      );
      expect(a.item()).toBeCloseTo(b.item(), 14);
      a.backward();
      b.backward();
      const g = all.grad!.data;
      kept.forEach((row, k) => {
        for (let c = 0; c < 3; c++)
          expect(g[row * 3 + c]).toBeCloseTo(some.grad!.data[k * 3 + c]!, 14);
      });
      for (const row of [1, 3]) for (let c = 0; c < 3; c++) expect(g[row * 3 + c]).toBe(0);
    }
  });

  it('refuses a negative or fractional target, naming the row', () => {
    const z = tensor([
      [0, 1, 2],
      [2, 1, 0],
    ]);
    expect(() => crossEntropy(z, [0, -1])).toThrow(
      'crossEntropy: targets[1] = -1 is not a class in [0, 2] nor ignoreIndex (-100)',
    );
    expect(() => crossEntropy(z, [1.5, 0])).toThrow(
      'crossEntropy: targets[0] = 1.5 is not a class in [0, 2] nor ignoreIndex (-100)',
    );
  });
});

describe("reduction 'sum'", () => {
  it('adds the squared errors of mse: (1 − 0)² + (−1 − 1)² + (0.5 − 0)² = 5.25', () => {
    const p = tensor([1, -1, 0.5]);
    expect(mse(p, tensor([0, 1, 0]), { reduction: 'sum' }).item()).toBe(5.25);
  });

  it('adds the per-entry binary cross-entropies: log 2 for every logit 0', () => {
    const loss = binaryCrossEntropyWithLogits(tensor([0, 0, 0]), tensor([0, 1, 0.5]), {
      reduction: 'sum',
    });
    expect(loss.shape).toEqual([]);
    expect(loss.item()).toBeCloseTo(3 * Math.LN2, 15);
  });
});

describe('binaryCrossEntropyWithLogits in its targets', () => {
  it('has ∂loss/∂y = −z when only the targets require a gradient', () => {
    // loss = max(z, 0) − z·y + log(1 + e^−|z|): linear in y with slope −z.
    const z = tensor([0.5, -2, 3]);
    const y = tensor([0.2, 0.9, 0.5], { requiresGrad: true });
    binaryCrossEntropyWithLogits(z, y, { reduction: 'none' }).backward(tensor([1, 2, -1]));
    expect(Array.from(y.grad!.data)).toEqual([-0.5, 4, 3]);
  });
});

describe('dropout', () => {
  it('draws exactly one uniform number per entry', () => {
    const rng = new Rng(7);
    const twin = new Rng(7);
    dropout(tensor([1, 2, 3, 4, 5]), 0.5, rng);
    for (let i = 0; i < 5; i++) twin.uniform();
    expect(rng.uniform()).toBe(twin.uniform());
  });

  it('refuses a p that is negative or not a number, naming p', () => {
    const x = tensor([1, 2]);
    expect(() => dropout(x, -0.1, new Rng(0))).toThrow(
      'dropout: p must be a probability in [0, 1], got -0.1',
    );
    expect(() => dropout(x, '0.5' as never, new Rng(0))).toThrow(RangeError);
    expect(() => dropout(x, '0.5' as never, new Rng(0))).toThrow(
      'dropout: p must be a probability',
    );
  });
});
