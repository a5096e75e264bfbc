/**
 * RMSprop (Hinton's lecture 6e, 2012): Adagrad with a memory. Instead of the sum of
 * all squared gradients, divide by the root of their exponential moving average,
 * so the step size adapts to recent gradients and does not decay to zero. As
 * torch.optim.RMSprop:
 *
 *   g ← ∇f(θ)                      (−∇f(θ) when maximize)
 *   g ← g + λθ                     (L2 weight decay)
 *   v ← αv + (1 − α)g²             moving average of g², from v = 0
 *   if centered:                   divide by a standard deviation instead:
 *     ḡ ← αḡ + (1 − α)g            moving average of g
 *     d ← √(v − ḡ²) + ε
 *   else:
 *     d ← √v + ε
 *   if μ > 0:  b ← μb + g/d,  θ ← θ − γb     (b starts at 0)
 *   else:      θ ← θ − γ g/d
 */

import type { Tensor } from '@unroll/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamGroupSpec } from './optimizer.ts';
import { checkBoolean, checkNumber, NON_NEGATIVE, POSITIVE, UNIT_HALF_OPEN } from './validate.ts';

export interface RMSpropOptions extends BaseOptions {
  /** Learning rate γ. */
  lr: number;
  /** α: the smoothing constant of the moving averages. */
  alpha: number;
  /** ε added to the root, outside it. */
  eps: number;
  /** λ of the L2 penalty, added to the gradient as λθ. */
  weightDecay: number;
  /** μ of a heavy-ball buffer over the normalised steps g/d. */
  momentum: number;
  /** Normalise by the estimated standard deviation √(E[g²] − E[g]²) instead of √E[g²]. */
  centered: boolean;
  maximize: boolean;
}

export const RMSPROP_DEFAULTS: RMSpropOptions = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

/**
 * t (kept for parity with PyTorch's state; the update does not use it), v, and the
 * buffers that only some options need: b for momentum > 0, ḡ when centered.
 */
export type RMSpropState = {
  step: number;
  squareAvg: Float64Array;
  momentumBuffer: Float64Array | null;
  gradAvg: Float64Array | null;
};

export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(
    params: readonly Tensor[] | readonly ParamGroupSpec<RMSpropOptions>[],
    options: Partial<RMSpropOptions> = {},
  ) {
    super('RMSprop', RMSPROP_DEFAULTS, params, options);
  }

  protected checkOptions(o: RMSpropOptions, owner: string): void {
    checkNumber(owner, 'lr', o.lr, NON_NEGATIVE);
    checkNumber(owner, 'alpha', o.alpha, UNIT_HALF_OPEN);
    checkNumber(owner, 'eps', o.eps, POSITIVE);
    checkNumber(owner, 'weightDecay', o.weightDecay, NON_NEGATIVE);
    checkNumber(owner, 'momentum', o.momentum, NON_NEGATIVE);
    checkBoolean(owner, 'centered', o.centered);
    checkBoolean(owner, 'maximize', o.maximize);
  }

  protected initState(param: Tensor, group: ParamGroup<RMSpropOptions>): RMSpropState {
    const n = param.size;
    return {
      step: 0,
      squareAvg: new Float64Array(n),
      momentumBuffer: group.momentum > 0 ? new Float64Array(n) : null,
      gradAvg: group.centered ? new Float64Array(n) : null,
    };
  }

  protected update(
    theta: Float64Array,
    grad: Float64Array,
    state: RMSpropState,
    group: ParamGroup<RMSpropOptions>,
  ): void {
    const { lr, alpha, eps, weightDecay: lambda, momentum: mu, centered, maximize } = group;
    const n = theta.length;
    state.step++;
    // A group switched to momentum or centering after its first step starts those buffers at 0.
    if (mu > 0 && state.momentumBuffer === null) state.momentumBuffer = new Float64Array(n);
    if (centered && state.gradAvg === null) state.gradAvg = new Float64Array(n);
    const v = state.squareAvg;
    const b = state.momentumBuffer;
    const gBar = state.gradAvg;
    const oneMinusAlpha = 1 - alpha;
    const sign = maximize ? -1 : 1;
    for (let i = 0; i < n; i++) {
      let g = sign * grad[i]!; // −∇f when maximizing (exact)
      if (lambda !== 0) g += lambda * theta[i]!;
      const vi = v[i]! * alpha + oneMinusAlpha * g * g;
      v[i] = vi;
      let d: number;
      if (centered) {
        const gBarI = gBar![i]! * alpha + oneMinusAlpha * g;
        gBar![i] = gBarI;
        d = Math.sqrt(vi - gBarI * gBarI) + eps;
      } else {
        d = Math.sqrt(vi) + eps;
      }
      if (mu > 0) {
        const bi = b![i]! * mu + g / d;
        b![i] = bi;
        theta[i] = theta[i]! - lr * bi;
      } else {
        theta[i] = theta[i]! - (lr * g) / d;
      }
    }
  }
}
