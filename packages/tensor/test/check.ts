/**
 * The property every differentiable op must have: its backward pass agrees with
 * central differences of its forward pass.
 *
 * The output is projected to a scalar with fixed, varied weights w, L = Σ w ⊙ f(x),
 * and dL/dx from backward(w) is compared with the central differences of L — for
 * every input that requires a gradient. (Plain Σ f(x) would hide errors: the sum of
 * a softmax is constant, so its gradient would be 0 whatever the rule said.)
 */

import { assertGradcheck, gradcheck } from '@unroll/gradcheck';
import { fromData, noGrad, type Tensor } from '../src/index.ts';

export interface Input {
  shape: readonly number[];
  values: Float64Array;
  /** Inputs without a gradient (targets, masks) are passed but not checked. */
  requiresGrad?: boolean;
}

/** Fixed weights in [−1, 1], none of them zero. */
export function projection(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) w[i] = Math.cos(1.7 * i + 0.3) + (i % 2 === 0 ? 0.05 : -0.05);
  return w;
}

export function checkGradients(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Input[],
  options: { what?: string; atol?: number; rtol?: number } = {},
): void {
  const leaves = inputs.map((input) =>
    fromData(input.values.slice(), input.shape, { requiresGrad: input.requiresGrad ?? true }),
  );
  const out = f(...leaves);
  const w = projection(out.size);
  if (out.requiresGrad) out.backward(fromData(w, out.shape));
  inputs.forEach((input, i) => {
    if (input.requiresGrad === false) return;
    const analytic = leaves[i]!.grad?.data ?? new Float64Array(input.values.length);
    const loss = (probe: Float64Array) =>
      noGrad(() => {
        const args = inputs.map((other, j) =>
          fromData(j === i ? probe : other.values.slice(), other.shape),
        );
        const y = f(...args).data;
        let total = 0;
        for (let k = 0; k < y.length; k++) total += w[k]! * y[k]!;
        return total;
      });
    const what = `${options.what ?? 'f'}: d(Σ w·out)/d(input ${i}) of shape [${input.shape.join(',')}]`;
    assertGradcheck(
      gradcheck(loss, input.values.slice(), analytic, {
        shape: input.shape,
        what,
        ...(options.atol === undefined ? {} : { atol: options.atol }),
        ...(options.rtol === undefined ? {} : { rtol: options.rtol }),
      }),
    );
  });
}
