/**
 * The judge for modules: every leaf's gradient from backward() against central
 * differences of the same loss, leaf by leaf, so a failure names the leaf
 * (`d(loss)/d(weight_hh_l1_reverse)`) and the worst entry.
 */

import { assertGradcheck, gradcheck } from '@unroll/gradcheck';
import { noGrad, type Tensor } from '@unroll/tensor';

export function checkLeafGradients(
  leaves: readonly (readonly [string, Tensor])[],
  loss: () => Tensor,
  what: string,
): void {
  for (const [, t] of leaves) t.zeroGrad();
  loss().backward();
  for (const [name, t] of leaves) {
    const analytic = t.grad?.data.slice() ?? new Float64Array(t.size);
    // The differences perturb t.data in place (and restore it): the loss reads it from there.
    const report = gradcheck(() => noGrad(() => loss().item()), t.data, analytic, {
      shape: t.shape,
      what: `${what}: d(loss)/d(${name})`,
    });
    assertGradcheck(report);
  }
}
