/**
 * The state an update rule keeps, as torch.optim keeps it: a buffer exists exactly when
 * an option needs it (RMSprop's momentum buffer only when μ > 0, its average gradient ḡ
 * only when centered), the step count counts steps, and an option switched on in the
 * middle of training starts its buffer at zero then. Numbers worked out by hand from the
 * update rules in the source comments.
 */

import { tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { Adagrad, RMSprop } from '../src/index.ts';
import { type ErrorCase, expectError, param } from './expect-error.ts';
import { leaves } from './subjects.ts';

/** Steps `opt` once per gradient, on the one parameter `theta`. */
function run(opt: { step(): void }, theta: ReturnType<typeof leaves>[number], grads: number[][]) {
  for (const g of grads) {
    theta.grad = tensor(g);
    opt.step();
  }
}

describe('RMSprop state', () => {
  it('keeps a momentum buffer only when μ > 0, ḡ only when centered, and counts steps', () => {
    const cases = [
      [{}, false, false],
      [{ momentum: 0.5 }, true, false],
      [{ centered: true }, false, true],
      [{ momentum: 0.5, centered: true }, true, true],
    ] as const;
    for (const [options, hasBuffer, hasGBar] of cases) {
      const [theta] = leaves([[1, 2]]);
      const opt = new RMSprop([theta!], options);
      run(opt, theta!, [
        [1, 1],
        [2, -1],
        [0.5, 3],
      ]);
      const state = opt.stateDict().state[0]!;
      expect(state.step, JSON.stringify(options)).toBe(3);
      expect(state.momentumBuffer === null, JSON.stringify(options)).toBe(!hasBuffer);
      expect(state.gradAvg === null, JSON.stringify(options)).toBe(!hasGBar);
      if (hasBuffer) expect((state.momentumBuffer as Float64Array).length).toBe(2);
    }
  });

  it('momentum switched on after the first step starts its buffer at 0', () => {
    // α = 0.5, γ = 0.1, gradients 2, 4, 4 (ε = 1e-12 negligible):
    //   step 1 (μ = 0): v = 2,          θ −= 0.1·2/√2
    //   step 2 (μ = ½): v = 1 + 8 = 9,  b = 0·½ + 4/3,           θ −= 0.1·4/3
    //   step 3:         v = 4.5 + 8,    b = ½·4/3 + 4/√12.5,     θ −= 0.1·b
    const [theta] = leaves([[0]]);
    const opt = new RMSprop([theta!], { lr: 0.1, alpha: 0.5, eps: 1e-12 });
    run(opt, theta!, [[2]]);
    opt.paramGroups[0]!.momentum = 0.5;
    run(opt, theta!, [[4], [4]]);
    const b3 = 0.5 * (4 / 3) + 4 / Math.sqrt(12.5);
    const expected = -0.1 * Math.SQRT2 - 0.1 * (4 / 3) - 0.1 * b3;
    expect(theta!.data[0]).toBeCloseTo(expected, 10);
  });

  it('centering switched on after the first step starts ḡ at 0', () => {
    // α = 0.5, γ = 0.1, gradients 2 then 4: v₁ = 2; then v₂ = 9, ḡ₂ = 0.5·4 = 2,
    // d = √(9 − 2²) = √5, so θ₂ = −0.1·2/√2 − 0.1·4/√5.
    const [theta] = leaves([[0]]);
    const opt = new RMSprop([theta!], { lr: 0.1, alpha: 0.5, eps: 1e-12 });
    run(opt, theta!, [[2]]);
    opt.paramGroups[0]!.centered = true;
    run(opt, theta!, [[4]]);
    expect(theta!.data[0]).toBeCloseTo(-0.1 * Math.SQRT2 - 0.4 / Math.sqrt(5), 10);
  });
});

describe('Adagrad state', () => {
  it('counts steps and sums squared gradients from initialAccumulatorValue', () => {
    const [theta] = leaves([[1, 2]]);
    const opt = new Adagrad([theta!], { initialAccumulatorValue: 0.5 });
    run(opt, theta!, [
      [1, 2],
      [3, -1],
    ]);
    const state = opt.stateDict().state[0]!;
    expect(state.step).toBe(2);
    expect(Array.from(state.sum as Float64Array)).toEqual([0.5 + 1 + 9, 0.5 + 4 + 1]);
  });
});

const optionCases: ErrorCase[] = [
  [
    'negative weightDecay in RMSprop',
    () => new RMSprop([param()], { weightDecay: -0.1 }),
    RangeError,
    'RMSprop: weightDecay must be a number in [0, ∞), got -0.1',
  ],
  [
    'maximize as a number in RMSprop',
    () => new RMSprop([param()], { maximize: 1 as never }),
    TypeError,
    'RMSprop: maximize must be true or false, got 1 (a number)',
  ],
  [
    'negative weightDecay in Adagrad',
    () => new Adagrad([param()], { weightDecay: -0.1 }),
    RangeError,
    'Adagrad: weightDecay must be a number in [0, ∞), got -0.1',
  ],
  [
    'maximize as a string in Adagrad',
    () => new Adagrad([param()], { maximize: 'no' as never }),
    TypeError,
    'Adagrad: maximize must be true or false, got "no" (a string)',
  ],
];

describe('option messages name the optimizer, the option and the value', () => {
  it.each(optionCases)('%s', (_what, f, kind, message) => {
    expectError(f, kind, message);
  });
});
