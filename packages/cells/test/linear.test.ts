/**
 * Linear: y = x Wᵀ + b entry by entry and its gradients against central differences,
 * and the init option (PyTorch's default, Xavier, Kaiming).
 */

import { arbitraries } from '@unroll/gradcheck';
import { Rng, randn, sum } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Linear } from '../src/index.ts';
import { checkLeafGradients } from './check.ts';
import { moments } from './moments.ts';

describe('Linear', () => {
  it('y = x Wᵀ + b on any leading dims, gradients by central differences', () => {
    fc.assert(
      fc.property(
        arbitraries.shape({ minRank: 0, maxRank: 2 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        arbitraries.seed(),
        (lead, inFeatures, outFeatures, bias, seed) => {
          const rng = new Rng(seed);
          const layer = new Linear({ inFeatures, outFeatures, bias, rng });
          const x = randn([...lead, inFeatures], rng, { requiresGrad: true });
          const w = randn([...lead, outFeatures], rng);
          const y = layer.forward(x);
          expect(y.shape).toEqual([...lead, outFeatures]);
          // entry by entry: y[r, o] = Σ_i x[r, i] W[o, i] + b[o]
          const rows = x.size / inFeatures;
          for (let r = 0; r < rows; r++) {
            for (let o = 0; o < outFeatures; o++) {
              let expected = bias ? layer.bias!.data[o]! : 0;
              for (let i = 0; i < inFeatures; i++) {
                expected += x.data[r * inFeatures + i]! * layer.weight.data[o * inFeatures + i]!;
              }
              expect(y.data[r * outFeatures + o]).toBeAllclose(expected, {
                rtol: 1e-12,
                atol: 1e-14,
              });
            }
          }
          checkLeafGradients(
            [['x', x], ...layer.namedParameters()],
            () => sum(layer.forward(x).mul(w)),
            'Linear',
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('Linear initialisation', () => {
  const fanIn = 200;
  const fanOut = 100;
  it('Linear: default is U(±1/√in) for weight and bias; other inits start the bias at 0', () => {
    const linear = new Linear({ inFeatures: fanIn, outFeatures: fanOut, rng: new Rng(3) });
    const bound = 1 / Math.sqrt(fanIn);
    expect(moments(linear.weight).maxAbs).toBeLessThanOrEqual(bound);
    expect(moments(linear.weight).variance / ((bound * bound) / 3)).toBeAllclose(1, {
      rtol: 0.05,
      atol: 0,
    });
    expect(moments(linear.bias!).maxAbs).toBeLessThanOrEqual(bound);
    const xavier = new Linear({
      inFeatures: fanIn,
      outFeatures: fanOut,
      init: 'xavierNormal',
      rng: new Rng(3),
    });
    expect(Array.from(xavier.bias!.data).every((b) => b === 0)).toBe(true);
    expect((moments(xavier.weight).variance * (fanIn + fanOut)) / 2).toBeAllclose(1, {
      rtol: 0.05,
      atol: 0,
    });
    expect(() => new Linear({ inFeatures: 2, outFeatures: 2, init: 'he' as 'default' })).toThrow(
      "Linear: init must be one of 'default', 'xavierUniform', 'xavierNormal', 'kaimingUniform', 'kaimingNormal', got 'he'",
    );
  });
});
