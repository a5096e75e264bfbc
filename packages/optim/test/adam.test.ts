/**
 * Adam and AdamW: every combination of weight decay, AMSGrad and maximize against the
 * reference implementation, first steps worked by hand (the normalised first step,
 * decoupled decay against L2), and the messages of their option checks.
 */

import { tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from '../src/index.ts';
import { describeAgainstReference } from './against-reference.ts';
import { type ErrorCase, expectError, param } from './expect-error.ts';
import { leaves } from './subjects.ts';

describeAgainstReference('Adam');
describeAgainstReference('AdamW');

describe('first steps that can be worked out by hand', () => {
  it('Adam and AdamW move every entry by lr·g/(|g| + ε) at the first step, whatever the scale', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (g) => {
          for (const Optimizer of [Adam, AdamW]) {
            const [theta] = leaves([g.map(() => 0)]);
            theta!.grad = tensor(g);
            new Optimizer([theta!], { lr: 0.01, weightDecay: 0 }).step();
            // m̂ = g and v̂ = g² at t = 1: the step is −lr·g/(|g| + ε).
            expect(theta!.data).toBeAllclose(
              g.map((x) => (-0.01 * x) / (Math.abs(x) + 1e-8)),
              { atol: 1e-15, rtol: 1e-12 },
            );
          }
        },
      ),
    );
  });

  it('AdamW shrinks θ by (1 − lr·λ) even where the gradient is zero; Adam with L2 does not quite', () => {
    const [a, b] = leaves([[2], [2]]);
    a!.grad = tensor([0]);
    b!.grad = tensor([0]);
    new AdamW([a!], { lr: 0.1, weightDecay: 0.5 }).step();
    new Adam([b!], { lr: 0.1, weightDecay: 0.5 }).step();
    expect(a!.data[0]).toBeCloseTo(2 * (1 - 0.1 * 0.5), 14);
    // Adam turns the decay into a gradient λθ = 1, which its normalisation makes a full lr step.
    expect(b!.data[0]).toBeCloseTo(2 - 0.1, 6);
  });
});

describe('switching AMSGrad on mid-training', () => {
  it('starts its running maximum from the current v, so the next step equals plain Adam’s', () => {
    // The maximum of v begins at 0 when switched on, and max(0, v) = v: the step after the
    // switch is plain Adam's. A later, smaller gradient then keeps the larger v.
    const [a, b] = leaves([
      [1, -2],
      [1, -2],
    ]);
    const withSwitch = new Adam([a!], { lr: 0.1 });
    const plain = new Adam([b!], { lr: 0.1 });
    for (const [step, g] of [
      [1, [0.5, -3]],
      [2, [2, 1]],
    ] as const) {
      if (step === 2) withSwitch.paramGroups[0]!.amsgrad = true;
      a!.grad = tensor([...g]);
      b!.grad = tensor([...g]);
      withSwitch.step();
      plain.step();
    }
    expect(a!.data).toBeAllclose(b!.data, { rtol: 0, atol: 0 });
  });
});

const optionCases: ErrorCase[] = [
  [
    'NaN lr',
    () => new Adam([param()], { lr: Number.NaN }),
    RangeError,
    'Adam: lr must be a number in [0, ∞), got NaN',
  ],
  [
    'negative lr in AdamW',
    () => new AdamW([param()], { lr: -1e-3 }),
    RangeError,
    'AdamW: lr must be a number in [0, ∞), got -0.001',
  ],
  [
    'beta1 = 1',
    () => new Adam([param()], { betas: [1, 0.999] }),
    RangeError,
    'Adam: betas[0] must be a number in [0, 1), got 1',
  ],
  [
    'beta2 < 0',
    () => new AdamW([param()], { betas: [0.9, -0.1] }),
    RangeError,
    'AdamW: betas[1] must be a number in [0, 1), got -0.1',
  ],
  [
    'betas not a pair',
    () => new Adam([param()], { betas: [0.9] as never }),
    TypeError,
    'Adam: betas must be a pair [beta1, beta2] of numbers in [0, 1), got [0.9] (an array)',
  ],
  [
    'eps = 0 in Adam',
    () => new Adam([param()], { eps: 0 }),
    RangeError,
    'Adam: eps must be a number in (0, ∞), got 0',
  ],
  [
    'negative weight decay in AdamW',
    () => new AdamW([param()], { weightDecay: -0.01 }),
    RangeError,
    'AdamW: weightDecay must be a number in [0, ∞), got -0.01',
  ],
  [
    'a boolean given as a number',
    () => new Adam([param()], { amsgrad: 1 as never }),
    TypeError,
    'Adam: amsgrad must be true or false, got 1 (a number)',
  ],
  [
    'maximize given as a string',
    () => new AdamW([param()], { maximize: 'yes' as never }),
    TypeError,
    'AdamW: maximize must be true or false, got "yes" (a string)',
  ],
];

describe('options', () => {
  it.each(optionCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
