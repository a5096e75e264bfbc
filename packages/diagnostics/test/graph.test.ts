/**
 * graph.ts: the leaves behind a graph, found without recursion, and a backward pass
 * that leaves every leaf's .grad as it found it.
 */

import { add, mul, sum, tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { leavesOf, withGradientsRestored } from '../src/graph.ts';

describe('leavesOf', () => {
  it('finds each leaf that requires grad once, and skips constants', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const c = tensor([5, 6]); // a constant: no gradient wanted
    const y = add(mul(add(a, b), a), c); // a is reached along two paths
    const z = mul(b, 2);
    const leaves = leavesOf([y, z]);
    expect(leaves).toHaveLength(2);
    expect(new Set(leaves)).toEqual(new Set([a, b]));
    expect(leavesOf([c])).toEqual([]);
    expect(leavesOf([a])).toEqual([a]);
  });

  it('walks a 10,000-op chain without overflowing the stack', () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 10_000; i++) y = add(y, 1);
    expect(leavesOf([y])).toEqual([x]);
  });
});

describe('withGradientsRestored', () => {
  it('runs the body from empty grads and puts the old ones back, the same objects', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const old = tensor([10, 20]);
    a.grad = old;
    const y = sum(mul(a, b));
    const seen = withGradientsRestored([y], () => {
      const before = [a.grad, b.grad];
      y.backward();
      return { before, a: a.grad!.toArray(), b: b.grad!.toArray() };
    });
    expect(seen.before).toEqual([null, null]);
    expect(seen.a).toEqual([3, 3]); // ∂(Σ a·b)/∂a = b, not added to the old gradient
    expect(seen.b).toEqual([3]); // ∂/∂b = Σ a
    expect(a.grad).toBe(old);
    expect(old.toArray()).toEqual([10, 20]);
    expect(b.grad).toBeNull();
  });

  it('restores the grads when the body throws', () => {
    const a = tensor([1], { requiresGrad: true });
    const old = tensor([7]);
    a.grad = old;
    expect(() =>
      withGradientsRestored([mul(a, a)], () => {
        mul(a, a).backward();
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(a.grad).toBe(old);
  });
});
