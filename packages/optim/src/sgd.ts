/**
 * Stochastic gradient descent, with momentum, dampening, Nesterov momentum, L2
 * weight decay and maximisation, as torch.optim.SGD computes it. Per step, for
 * each entry of each parameter θ with gradient ∇f(θ):
 *
 *   g ← ∇f(θ)                      (−∇f(θ) when maximize)
 *   g ← g + λθ                     weight decay λ enters the gradient (L2 penalty ½λ‖θ‖²)
 *   if μ ≠ 0:
 *     b ← g                        at a parameter's first step
 *     b ← μb + (1 − τ)g            after that (τ = dampening)
 *     g ← g + μb   if nesterov,   g ← b   otherwise
 *   θ ← θ − γg
 *
 * NOTE: PyTorch's documentation box writes maximize as θ ← θ + γg at the end, while
 * its code negates the gradient first; the two differ only when λ ≠ 0 (the box
 * would then grow the weights). We follow the code, which is what PyTorch runs.
 */

import type { Tensor } from '@unroll/tensor';
import { type BaseOptions, Optimizer, type ParamGroup, type ParamGroupSpec } from './optimizer.ts';
import { checkBoolean, checkNumber, NON_NEGATIVE, UNIT_CLOSED } from './validate.ts';

export interface SGDOptions extends BaseOptions {
  /** Learning rate γ (PyTorch's default 1e-3). */
  lr: number;
  /** μ: how much of the previous step is kept. 0 turns momentum off. */
  momentum: number;
  /** τ: the share of the new gradient held back from the momentum buffer. */
  dampening: number;
  /** λ of the L2 penalty ½λ‖θ‖², added to the gradient as λθ. */
  weightDecay: number;
  /** Look ahead: step by g + μb instead of b. Needs momentum > 0 and dampening 0. */
  nesterov: boolean;
  /** Climb the objective instead of descending it. */
  maximize: boolean;
}

export const SGD_DEFAULTS: SGDOptions = {
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

/** The momentum buffer b; null until the parameter's first step with μ ≠ 0. */
export type SGDState = { momentumBuffer: Float64Array | null };

export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(
    params: readonly Tensor[] | readonly ParamGroupSpec<SGDOptions>[],
    options: Partial<SGDOptions> = {},
  ) {
    super('SGD', SGD_DEFAULTS, params, options);
  }

  protected checkOptions(o: SGDOptions, owner: string): void {
    checkNumber(owner, 'lr', o.lr, NON_NEGATIVE);
    checkNumber(owner, 'momentum', o.momentum, NON_NEGATIVE);
    checkNumber(owner, 'dampening', o.dampening, UNIT_CLOSED);
    checkNumber(owner, 'weightDecay', o.weightDecay, NON_NEGATIVE);
    checkBoolean(owner, 'nesterov', o.nesterov);
    checkBoolean(owner, 'maximize', o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(
        `${owner}: nesterov needs momentum > 0 and dampening = 0, got momentum ${o.momentum} and dampening ${o.dampening}`,
      );
    }
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected update(
    theta: Float64Array,
    grad: Float64Array,
    state: SGDState,
    group: ParamGroup<SGDOptions>,
  ): void {
    const { lr, momentum: mu, dampening, weightDecay: lambda, nesterov, maximize } = group;
    const n = theta.length;
    // −∇f when maximizing; multiplying by ±1 is exact, and cheaper in the loop than a branch.
    const sign = maximize ? -1 : 1;
    if (mu === 0) {
      for (let i = 0; i < n; i++) {
        let g = sign * grad[i]!;
        if (lambda !== 0) g += lambda * theta[i]!;
        // eq. 4.1 — θ ← θ − γ∇f(θ)
        theta[i] = theta[i]! - lr * g;
      }
      return;
    }
    // The first step with momentum starts the buffer at g itself, undamped.
    const first = state.momentumBuffer === null;
    if (state.momentumBuffer === null) state.momentumBuffer = new Float64Array(n);
    const b = state.momentumBuffer;
    const keep = 1 - dampening;
    for (let i = 0; i < n; i++) {
      let g = sign * grad[i]!;
      if (lambda !== 0) g += lambda * theta[i]!;
      // eq. 4.2 — b ← μb + g, θ ← θ − γb
      const bi = first ? g : mu * b[i]! + keep * g;
      b[i] = bi;
      theta[i] = theta[i]! - lr * (nesterov ? g + mu * bi : bi);
    }
  }
}
