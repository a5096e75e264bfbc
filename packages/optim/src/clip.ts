/**
 * Gradient clipping: the guard rail of recurrent-network training.
 *
 * Backpropagation through time multiplies the gradient by the recurrent Jacobian
 * once per step; when those factors are larger than one the product explodes, and
 * one huge step can throw the weights far off a cliff of the loss surface (Pascanu,
 * Mikolov & Bengio 2013). Clipping keeps the direction and caps the length:
 *
 *   clipGradNorm:  N = ‖(g₁, g₂, …)‖ₚ over all gradients together;
 *                  if N is too large, every g ← g · maxNorm / (N + 1e-6)
 *   clipGradValue: every entry g ← min(max(g, −c), c)  (min-char-rnn's ±5; changes the direction)
 */

import type { Tensor } from '@unroll/tensor';
import {
  checkBoolean,
  checkKnownOptions,
  checkNumber,
  checkOptionsObject,
  describeValue,
  interval,
  NON_NEGATIVE,
} from './validate.ts';

export interface ClipGradNormOptions {
  /** p of the p-norm: a positive number, or Infinity for the largest |g|. Default 2. */
  normType?: number;
  /** Throw when the total norm is NaN or ±Infinity instead of scaling by it. Default false. */
  errorIfNonfinite?: boolean;
}

/** The gradients of the given tensors that exist (null grads are skipped, as in PyTorch). */
function gradients(owner: string, params: Tensor | readonly Tensor[]): Float64Array[] {
  const list = Array.isArray(params) ? params : [params];
  const grads: Float64Array[] = [];
  list.forEach((p, i) => {
    if (typeof p !== 'object' || p === null || !('grad' in p)) {
      throw new TypeError(`${owner}: params[${i}] must be a Tensor, got ${describeValue(p)}`);
    }
    if (p.grad !== null) grads.push(p.grad.data);
  });
  return grads;
}

/** ‖x‖ₚ of one array: (Σ|xᵢ|ᵖ)^(1/p), or max |xᵢ| for p = ∞. */
function vectorNorm(x: ArrayLike<number>, p: number): number {
  let acc = 0;
  if (p === Infinity) {
    for (let i = 0; i < x.length; i++) {
      const a = Math.abs(x[i]!);
      // Written so that a NaN entry makes the norm NaN, as torch.max does.
      if (!(a <= acc)) acc = a;
    }
    return acc;
  }
  if (p === 2) {
    for (let i = 0; i < x.length; i++) acc += x[i]! * x[i]!;
    return Math.sqrt(acc);
  }
  if (p === 1) {
    for (let i = 0; i < x.length; i++) acc += Math.abs(x[i]!);
    return acc;
  }
  for (let i = 0; i < x.length; i++) acc += Math.abs(x[i]!) ** p;
  return acc ** (1 / p);
}

/**
 * Scales all gradients together so that their joint p-norm is at most `maxNorm`,
 * and returns that norm as it was before clipping.
 *
 * PyTorch's rule, followed exactly: the norm of each gradient first, then the norm
 * of those norms (the same number as the norm of everything concatenated); then
 * every gradient is multiplied by maxNorm / (N + 1e-6) whenever that factor is
 * below 1. The 1e-6 guards N = 0, and it means a norm just under maxNorm (within
 * about 1e-6) is also scaled, by a factor a hair below 1.
 */
export function clipGradNorm(
  params: Tensor | readonly Tensor[],
  maxNorm: number,
  options: ClipGradNormOptions = {},
): number {
  const owner = 'clipGradNorm';
  checkNumber(owner, 'maxNorm', maxNorm, NON_NEGATIVE);
  checkOptionsObject(owner, options);
  checkKnownOptions(owner, options, ['normType', 'errorIfNonfinite']);
  const p = checkNumber(owner, 'normType', options.normType ?? 2, interval('(', 0, Infinity, ']'));
  const errorIfNonfinite = checkBoolean(
    owner,
    'errorIfNonfinite',
    options.errorIfNonfinite ?? false,
  );
  const grads = gradients(owner, params);
  if (grads.length === 0) return 0;
  // BEGIN EXERCISE clip-grad-norm
  const norms = grads.map((g) => vectorNorm(g, p));
  const total = vectorNorm(norms, p);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(
      `clipGradNorm: the total norm of order ${p} of the gradients is non-finite (${total}), so they cannot be clipped; ` +
        'some gradient holds NaN or Infinity (set errorIfNonfinite: false to scale by it anyway)',
    );
  }
  const coefficient = maxNorm / (total + 1e-6);
  // NaN fails `< 1` but PyTorch still multiplies by it (clamp keeps NaN); do the same.
  if (coefficient < 1 || Number.isNaN(coefficient)) {
    for (const g of grads) {
      for (let i = 0; i < g.length; i++) g[i] = g[i]! * coefficient;
    }
  }
  return total;
  // END EXERCISE clip-grad-norm
}

/** Clamps every gradient entry into [−clipValue, clipValue], in place. */
export function clipGradValue(params: Tensor | readonly Tensor[], clipValue: number): void {
  const c = checkNumber('clipGradValue', 'clipValue', clipValue, NON_NEGATIVE);
  for (const g of gradients('clipGradValue', params)) {
    for (let i = 0; i < g.length; i++) {
      // NaN stays NaN, as with torch.clamp.
      g[i] = Math.min(Math.max(g[i]!, -c), c);
    }
  }
}
