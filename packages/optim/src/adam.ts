/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019): RMSprop's
 * per-entry scaling plus a moving average of the gradient itself (momentum), with
 * both averages corrected for starting at zero. As torch.optim.Adam / AdamW compute it:
 *
 *   t ← t + 1
 *   g ← ∇f(θ)                      (−∇f(θ) when maximize)
 *   Adam:   g ← g + λθ             L2: the decay goes through the adaptive scaling
 *   AdamW:  θ ← θ(1 − γλ)          decoupled: the decay shrinks θ directly
 *   m ← β₁m + (1 − β₁)g            first moment
 *   v ← β₂v + (1 − β₂)g²           second moment
 *   vMax ← max(vMax, v)  if amsgrad (the raw v, as PyTorch's code does; vMax starts at 0)
 *   θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)      with vMax for v under amsgrad
 *
 * NOTE where ε sits: it is added after the second moment is bias-corrected, i.e.
 * θ ← θ − γ m̂ / (√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), exactly as the
 * algorithm box; the form above is the same number computed without dividing m.
 * AMSGrad takes the maximum of the uncorrected v (PyTorch's code; its box was
 * corrected to match in 2024), then divides by √(1 − β₂ᵗ) like plain Adam.
 */

import type { Tensor } from '@unroll/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamGroupSpec } from './optimizer.ts';
import {
  checkBoolean,
  checkNumber,
  describeValue,
  NON_NEGATIVE,
  POSITIVE,
  UNIT_HALF_OPEN,
} from './validate.ts';

export interface AdamOptions extends BaseOptions {
  /** Learning rate γ. */
  lr: number;
  /** [β₁, β₂]: decay rates of the first and second moment averages, each in [0, 1). */
  betas: readonly [number, number];
  /** ε, added to the bias-corrected root of the second moment. */
  eps: number;
  /** λ: an L2 penalty for Adam, a decoupled shrinkage for AdamW. */
  weightDecay: number;
  /** Divide by the largest second moment seen so far (Reddi, Kale & Kumar 2018). */
  amsgrad: boolean;
  maximize: boolean;
}

export const ADAM_DEFAULTS: AdamOptions = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
};

export const ADAMW_DEFAULTS: AdamOptions = { ...ADAM_DEFAULTS, weightDecay: 1e-2 };

/** t, m, v, and vMax (the running maximum of v) when amsgrad. */
export type AdamState = {
  step: number;
  expAvg: Float64Array;
  expAvgSq: Float64Array;
  maxExpAvgSq: Float64Array | null;
};

/**
 * Adam and AdamW are one algorithm with one switch, `decoupled`: whether λ is an L2 term
 * added to g (Adam) or a shrinkage of θ before the step (AdamW).
 */
abstract class AdamBase extends Optimizer<AdamOptions, AdamState> {
  protected constructor(
    name: string,
    defaults: AdamOptions,
    private readonly decoupled: boolean,
    params: readonly Tensor[] | readonly ParamGroupSpec<AdamOptions>[],
    options: Partial<AdamOptions>,
  ) {
    super(name, defaults, params, options);
  }

  protected checkOptions(o: AdamOptions, owner: string): void {
    checkNumber(owner, 'lr', o.lr, NON_NEGATIVE);
    if (!Array.isArray(o.betas) || o.betas.length !== 2) {
      throw new TypeError(
        `${owner}: betas must be a pair [beta1, beta2] of numbers in [0, 1), got ${describeValue(o.betas)}`,
      );
    }
    checkNumber(owner, 'betas[0]', o.betas[0], UNIT_HALF_OPEN);
    checkNumber(owner, 'betas[1]', o.betas[1], UNIT_HALF_OPEN);
    checkNumber(owner, 'eps', o.eps, POSITIVE);
    checkNumber(owner, 'weightDecay', o.weightDecay, NON_NEGATIVE);
    checkBoolean(owner, 'amsgrad', o.amsgrad);
    checkBoolean(owner, 'maximize', o.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<AdamOptions>): AdamState {
    const n = param.size;
    return {
      step: 0,
      expAvg: new Float64Array(n),
      expAvgSq: new Float64Array(n),
      maxExpAvgSq: group.amsgrad ? new Float64Array(n) : null,
    };
  }

  protected update(
    theta: Float64Array,
    grad: Float64Array,
    state: AdamState,
    group: ParamGroup<AdamOptions>,
  ): void {
    const { lr, eps, weightDecay: lambda, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas;
    const n = theta.length;
    const t = ++state.step;
    if (amsgrad && state.maxExpAvgSq === null) state.maxExpAvgSq = new Float64Array(n);
    const biasCorrection1 = 1 - beta1 ** t;
    const sqrtBiasCorrection2 = Math.sqrt(1 - beta2 ** t);
    const stepSize = lr / biasCorrection1;
    const shrinks = this.decoupled && lambda !== 0;
    const shrink = 1 - lr * lambda; // AdamW's θ(1 − γλ)
    const l2 = this.decoupled ? 0 : lambda; // Adam's g + λθ
    const sign = maximize ? -1 : 1;
    const m = state.expAvg;
    const v = state.expAvgSq;
    const vMax = state.maxExpAvgSq;
    for (let i = 0; i < n; i++) {
      let th = theta[i]!;
      if (shrinks) th *= shrink;
      let g = sign * grad[i]!; // −∇f when maximizing (exact)
      if (l2 !== 0) g += l2 * th;
      // eq. 4.4 — the moving averages m and v
      const mi = m[i]! * beta1 + (1 - beta1) * g;
      const vi = v[i]! * beta2 + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      let vUsed = vi;
      if (amsgrad) {
        vUsed = Math.max(vMax![i]!, vi);
        vMax![i] = vUsed;
      }
      // eq. 4.5 — bias-corrected step γ m̂/(√v̂ + ε)
      const denom = Math.sqrt(vUsed) / sqrtBiasCorrection2 + eps;
      theta[i] = th - (stepSize * mi) / denom;
    }
  }
}

export class Adam extends AdamBase {
  constructor(
    params: readonly Tensor[] | readonly ParamGroupSpec<AdamOptions>[],
    options: Partial<AdamOptions> = {},
  ) {
    super('Adam', ADAM_DEFAULTS, false, params, options);
  }
}

/** Adam with decoupled weight decay, default λ = 1e-2. */
export class AdamW extends AdamBase {
  constructor(
    params: readonly Tensor[] | readonly ParamGroupSpec<AdamOptions>[],
    options: Partial<AdamOptions> = {},
  ) {
    super('AdamW', ADAMW_DEFAULTS, true, params, options);
  }
}
