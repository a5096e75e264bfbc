/**
 * Adagrad (Duchi, Hazan & Singer 2011): every entry gets its own step size, shrunk
 * by the square root of the sum of all its squared gradients so far. Entries that
 * saw large gradients slow down; rarely-touched ones keep moving. As torch.optim.Adagrad:
 *
 *   t ← t + 1
 *   g ← ∇f(θ)                      (−∇f(θ) when maximize)
 *   g ← g + λθ                     (L2 weight decay)
 *   γ̃ ← γ / (1 + (t − 1)η)         the learning rate, decayed by η = lrDecay
 *   s ← s + g²                     s starts at initialAccumulatorValue
 *   θ ← θ − γ̃ g / (√s + ε)
 *
 * The sum only grows, so the step only shrinks: the weakness RMSprop fixes.
 */

import type { Tensor } from '@unroll/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamGroupSpec } from './optimizer.ts';
import { checkBoolean, checkNumber, NON_NEGATIVE, POSITIVE } from './validate.ts';

export interface AdagradOptions extends BaseOptions {
  /** Learning rate γ. */
  lr: number;
  /** η: the learning rate at step t is γ / (1 + (t − 1)η). */
  lrDecay: number;
  /** λ of the L2 penalty, added to the gradient as λθ. */
  weightDecay: number;
  /** Where the sum of squares starts; a positive value tempers the first steps. */
  initialAccumulatorValue: number;
  /** ε added to √s, so that a zero sum does not divide by zero. */
  eps: number;
  maximize: boolean;
}

export const ADAGRAD_DEFAULTS: AdagradOptions = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

/** t, and the running sum of squared gradients s. */
export type AdagradState = { step: number; sum: Float64Array };

export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(
    params: readonly Tensor[] | readonly ParamGroupSpec<AdagradOptions>[],
    options: Partial<AdagradOptions> = {},
  ) {
    super('Adagrad', ADAGRAD_DEFAULTS, params, options);
  }

  protected checkOptions(o: AdagradOptions, owner: string): void {
    checkNumber(owner, 'lr', o.lr, NON_NEGATIVE);
    checkNumber(owner, 'lrDecay', o.lrDecay, NON_NEGATIVE);
    checkNumber(owner, 'weightDecay', o.weightDecay, NON_NEGATIVE);
    checkNumber(owner, 'initialAccumulatorValue', o.initialAccumulatorValue, NON_NEGATIVE);
    checkNumber(owner, 'eps', o.eps, POSITIVE);
    checkBoolean(owner, 'maximize', o.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<AdagradOptions>): AdagradState {
    // The accumulator is filled when the optimizer is built in PyTorch; here at the
    // first step, with the value the group has then. Either way s₀ = initialAccumulatorValue.
    return { step: 0, sum: new Float64Array(param.size).fill(group.initialAccumulatorValue) };
  }

  protected update(
    theta: Float64Array,
    grad: Float64Array,
    state: AdagradState,
    group: ParamGroup<AdagradOptions>,
  ): void {
    const { lr, lrDecay, weightDecay: lambda, eps, maximize } = group;
    const t = ++state.step;
    const clr = lr / (1 + (t - 1) * lrDecay);
    const s = state.sum;
    const sign = maximize ? -1 : 1;
    for (let i = 0; i < theta.length; i++) {
      let g = sign * grad[i]!; // −∇f when maximizing (exact)
      if (lambda !== 0) g += lambda * theta[i]!;
      // eq. 4.3 — s ← s + g², θ ← θ − γg/(√s + ε)
      const si = s[i]! + g * g;
      s[i] = si;
      theta[i] = theta[i]! - (clr * g) / (Math.sqrt(si) + eps);
    }
  }
}
