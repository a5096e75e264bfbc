import { arbitraries } from '@unroll/gradcheck';
import { mul, narrow, Rng, randn, stack, sum } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unbind } from '../src/index.ts';
import { checkLeafGradients } from './check.ts';

describe('unbind', () => {
  it('gives the slices along the first axis, and stacking them back gives x', () => {
    fc.assert(
      fc.property(
        arbitraries.shape({ minRank: 1, maxRank: 3 }),
        arbitraries.seed(),
        (shape, seed) => {
          const x = randn(shape, new Rng(seed));
          const slices = unbind(x);
          expect(slices.length).toBe(shape[0]);
          slices.forEach((s, i) => {
            expect(s.shape).toEqual(shape.slice(1));
            expect(s).toBeAllclose(narrow(x, 0, i, 1).reshape(shape.slice(1)), {
              rtol: 0,
              atol: 0,
            });
          });
          expect(stack(slices)).toBeAllclose(x, { rtol: 0, atol: 0 });
        },
      ),
    );
  });

  it('backward: central differences, with slices used twice, once, or not at all', () => {
    fc.assert(
      fc.property(
        arbitraries.shape({ minRank: 1, maxRank: 3 }),
        arbitraries.seed(),
        (shape, seed) => {
          const rng = new Rng(seed);
          const x = randn(shape, rng, { requiresGrad: true });
          const w = randn(shape.slice(1), rng);
          const loss = () => {
            const slices = unbind(x);
            // slice i (0 < i < last) is read i − 1 times, the last one i times: fan-out, and
            // slices 0 and 1 (when not last) are never read: blocks with no gradient
            let total = sum(mul(slices[slices.length - 1]!, w));
            slices.forEach((s, i) => {
              for (let k = 1; k < i; k++) total = total.add(sum(mul(s, w)));
            });
            return total;
          };
          checkLeafGradients([['x', x]], loss, `unbind [${shape}]`);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a graph kept with retainGraph can be walked again: gradients add up', () => {
    const x = randn([3, 2], new Rng(1), { requiresGrad: true });
    const [a, b] = unbind(x) as [ReturnType<typeof randn>, ReturnType<typeof randn>];
    const loss = sum(mul(a, b));
    loss.backward(undefined, { retainGraph: true });
    const once = Array.from(x.grad!.data);
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual(once.map((g) => 2 * g));
    expect(once.slice(4)).toEqual([0, 0]);
  });

  it('refuses a scalar', () => {
    expect(() => unbind(randn([], new Rng(1)))).toThrow('unbind: x must have at least one dim');
  });
});
