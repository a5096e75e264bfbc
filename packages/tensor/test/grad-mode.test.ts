/**
 * Grad mode (grad-mode.ts): inside noGrad ops record nothing; the previous mode comes
 * back when the body returns or throws, nested or not.
 */

import { describe, expect, it } from 'vitest';
import { isGradEnabled, mul, noGrad, sum, tanh, tensor } from '../src/index.ts';

describe('noGrad', () => {
  it('noGrad records nothing and restores the mode, even after a throw', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return tanh(mul(x, x));
    });
    expect([y.requiresGrad, y.node]).toEqual([false, null]);
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
  });

  it('returns what its body returns, and is on by default', () => {
    expect(isGradEnabled()).toBe(true);
    const marker = { value: 7 };
    expect(noGrad(() => marker)).toBe(marker);
  });

  it('nests: an inner noGrad leaves recording off for the rest of the outer one', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const modes: boolean[] = [];
    const after = noGrad(() => {
      noGrad(() => modes.push(isGradEnabled()));
      modes.push(isGradEnabled());
      return mul(x, x); // recorded nothing, though the inner noGrad has returned
    });
    expect(modes).toEqual([false, false]);
    expect([after.requiresGrad, after.node]).toEqual([false, null]);
    expect(isGradEnabled()).toBe(true);
  });

  it('leaves a graph built before it whole: backward after noGrad reaches the inputs', () => {
    const x = tensor([1, -2], { requiresGrad: true });
    const y = mul(x, 3); // recorded
    const z = noGrad(() => mul(y, 2)); // not recorded: a constant as far as x is concerned
    expect(z.requiresGrad).toBe(false);
    sum(mul(y, z)).backward(); // d/dx Σ (3x)·z = 3z, z = 6x
    expect(x.grad!.toArray()).toEqual([18, -36]);
  });
});
