/**
 * Sequence losses: values against plain loops over the definitions, gradients against
 * central differences, and padding that receives exactly no gradient.
 */

import { arbitraries, assertGradcheck, gradcheck } from '@unroll/gradcheck';
import { fromData, type Tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastStepMSE, sequenceCrossEntropy, sequenceMSE } from '../src/index.ts';
import { seededRandom, uniformArray } from './random.ts';

const caseArb = fc
  .record({
    B: fc.integer({ min: 1, max: 3 }),
    T: fc.integer({ min: 1, max: 6 }),
    F: fc.integer({ min: 1, max: 5 }),
    seed: arbitraries.seed(),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      lengths: fc.array(fc.integer({ min: 1, max: c.T }), { minLength: c.B, maxLength: c.B }),
    }),
  );

function data({ B, T, F, seed }: { B: number; T: number; F: number; seed: number }) {
  const random = seededRandom(seed);
  return {
    x: fromData(uniformArray(random, B * T * F, 2), [B, T, F], { requiresGrad: true }),
    y: fromData(uniformArray(random, B * T * F, 2), [B, T, F]),
    yLast: fromData(uniformArray(random, B * F, 2), [B, F]),
    classes: Array.from({ length: B * T }, () => Math.floor(random() * F)),
  };
}

/** The loss's gradient with respect to x, by autodiff and by central differences. */
function check(loss: () => Tensor, x: Tensor, what: string) {
  x.zeroGrad();
  loss().backward();
  assertGradcheck(
    gradcheck(() => loss().item(), x.data, x.grad!.data, { shape: [...x.shape], what }),
  );
  return x.grad!.data;
}

function expectPaddingUntouched(grad: Float64Array, lengths: number[], T: number, F: number) {
  lengths.forEach((L, b) => {
    // Exactly zero (−0 included: a masked entry is a product with 0).
    expect(grad.subarray((b * T + L) * F, (b + 1) * T * F)).toBeAllclose(
      new Float64Array((T - L) * F),
      { atol: 0, rtol: 0 },
    );
  });
}

describe('sequence losses', () => {
  it('sequenceCrossEntropy averages −log p(target) over the steps inside the lengths', () => {
    fc.assert(
      fc.property(caseArb, ({ c, lengths }) => {
        const { B, T, F } = c;
        const { x, classes } = data(c);
        let total = 0;
        let count = 0;
        for (let b = 0; b < B; b++) {
          for (let t = 0; t < lengths[b]!; t++) {
            const z = Array.from(x.data.subarray((b * T + t) * F, (b * T + t + 1) * F));
            const logSum = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
            total += logSum - z[classes[b * T + t]!]!;
            count++;
          }
        }
        const loss = () => sequenceCrossEntropy(x, classes, { lengths });
        expect(loss().item()).toBeAllclose(total / count, { atol: 1e-15, rtol: 1e-13 });
        expectPaddingUntouched(check(loss, x, 'd(cross-entropy)/d(logits)'), lengths, T, F);
      }),
      { numRuns: 40 },
    );
  });

  it('sequenceMSE averages the squared error over the entries inside the lengths', () => {
    fc.assert(
      fc.property(caseArb, ({ c, lengths }) => {
        const { B, T, F } = c;
        const { x, y } = data(c);
        let total = 0;
        let count = 0;
        for (let b = 0; b < B; b++) {
          for (let e = b * T * F; e < (b * T + lengths[b]!) * F; e++) {
            total += (x.data[e]! - y.data[e]!) ** 2;
            count++;
          }
        }
        const loss = () => sequenceMSE(x, y, { lengths });
        expect(loss().item()).toBeAllclose(total / count, { atol: 0, rtol: 1e-13 });
        expectPaddingUntouched(check(loss, x, 'd(mse)/d(predictions)'), lengths, T, F);
        // Without lengths it is the plain mean over every entry.
        let all = 0;
        for (let e = 0; e < x.size; e++) all += (x.data[e]! - y.data[e]!) ** 2;
        expect(sequenceMSE(x, y).item()).toBeAllclose(all / x.size, { atol: 0, rtol: 1e-13 });
      }),
      { numRuns: 40 },
    );
  });

  it('lastStepMSE compares each sequence’s last valid output with its target', () => {
    fc.assert(
      fc.property(caseArb, ({ c, lengths }) => {
        const { B, T, F } = c;
        const { x, yLast } = data(c);
        let total = 0;
        for (let b = 0; b < B; b++) {
          for (let f = 0; f < F; f++) {
            total += (x.data[(b * T + lengths[b]! - 1) * F + f]! - yLast.data[b * F + f]!) ** 2;
          }
        }
        const loss = () => lastStepMSE(x, yLast, { lengths });
        expect(loss().item()).toBeAllclose(total / (B * F), { atol: 0, rtol: 1e-13 });
        const grad = check(loss, x, 'd(last-step mse)/d(predictions)');
        // Only the last valid step of each sequence gets a gradient.
        lengths.forEach((L, b) => {
          for (let t = 0; t < T; t++) {
            if (t === L - 1) continue;
            expect(grad.subarray((b * T + t) * F, (b * T + t + 1) * F)).toBeAllclose(
              new Float64Array(F),
              { atol: 0, rtol: 0 },
            );
          }
        });
      }),
      { numRuns: 40 },
    );
  });

  it('refuses mismatched shapes and lengths with a message naming them', () => {
    const { x, y, yLast, classes } = data({ B: 2, T: 3, F: 4, seed: 1 });
    expect(() => sequenceCrossEntropy(x, classes.slice(1))).toThrow(
      'sequenceCrossEntropy: targets has 5 entries but logits [2,3,4] needs B·T = 6',
    );
    expect(() => sequenceCrossEntropy(x, classes, { lengths: [3, 4] })).toThrow(
      'sequenceCrossEntropy: lengths[1] is 4; each length must be an integer in 1..3',
    );
    expect(() => sequenceMSE(x, yLast)).toThrow(
      'sequenceMSE: targets [2,4] must have the shape of predictions [2,3,4]',
    );
    expect(() => lastStepMSE(x, y)).toThrow(
      'lastStepMSE: targets must be [B, F] = [2, 4] for predictions [2,3,4], got [2,3,4]',
    );
    expect(() => lastStepMSE(yLast, yLast)).toThrow(
      'lastStepMSE: predictions must be [batch, steps, features], got [2,4]',
    );
  });
});
