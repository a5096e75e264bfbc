/** Walking a finished graph: what the diagnostics need to run backward without side effects. */

import type { Tensor } from '@unroll/tensor';

/** Every leaf that requires grad and is reachable from `outputs` (iteratively). */
export function leavesOf(outputs: readonly Tensor[]): Tensor[] {
  const leaves: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t) || !t.requiresGrad) continue;
    seen.add(t);
    if (t.node === null) leaves.push(t);
    else stack.push(...t.node.inputs);
  }
  return leaves;
}

/**
 * Runs `fn` (which calls backward) with every leaf behind `outputs` starting from an
 * empty .grad, then puts the leaves' previous gradients back: a diagnostic backward
 * pass leaves the training state exactly as it found it.
 */
export function withGradientsRestored<T>(outputs: readonly Tensor[], fn: () => T): T {
  const leaves = leavesOf(outputs);
  const saved = leaves.map((leaf) => leaf.grad);
  for (const leaf of leaves) leaf.grad = null;
  try {
    return fn();
  } finally {
    leaves.forEach((leaf, i) => {
      leaf.grad = saved[i]!;
    });
  }
}
