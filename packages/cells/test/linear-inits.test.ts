/**
 * Each `init` of Linear draws W from its published distribution (Glorot & Bengio 2010,
 * He et al. 2015, PyTorch's defaults): the sample variance is the formula's, a uniform
 * draw never leaves its interval and a normal one does (20,000 draws of N(0, σ²) all
 * inside ±√3·σ would have probability 0.92²⁰⁰⁰⁰). Also the default generator and
 * `bias: false`.
 */

import { Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { Linear, type LinearInit } from '../src/index.ts';
import { moments } from './moments.ts';

const fanIn = 200;
const fanOut = 100;

/** init → [Var w from its formula, the bound of its uniform version]. */
const published: [LinearInit, number, number, 'uniform' | 'normal'][] = [
  // Glorot: Var w = 2/(in + out); uniform on ±√(6/(in + out)).
  ['xavierUniform', 2 / (fanIn + fanOut), Math.sqrt(6 / (fanIn + fanOut)), 'uniform'],
  ['xavierNormal', 2 / (fanIn + fanOut), Math.sqrt(6 / (fanIn + fanOut)), 'normal'],
  // He, for relu (gain √2) over fanIn: Var w = 2/in; uniform on ±√(6/in).
  ['kaimingUniform', 2 / fanIn, Math.sqrt(6 / fanIn), 'uniform'],
  ['kaimingNormal', 2 / fanIn, Math.sqrt(6 / fanIn), 'normal'],
];

describe('Linear initialisations', () => {
  it.each(published)(
    '%s: Var w as published, uniform or normal, bias 0',
    (init, variance, bound, kind) => {
      const linear = new Linear({ inFeatures: fanIn, outFeatures: fanOut, init, rng: new Rng(5) });
      const m = moments(linear.weight);
      expect(m.variance / variance).toBeAllclose(1, { rtol: 0.05, atol: 0 });
      if (kind === 'uniform') expect(m.maxAbs).toBeLessThanOrEqual(bound);
      else expect(m.maxAbs).toBeGreaterThan(bound);
      expect(Array.from(linear.bias!.data).every((b) => b === 0)).toBe(true);
    },
  );

  it("default: W and b both from PyTorch's U(±1/√in), Var = 1/(3·in)", () => {
    const linear = new Linear({ inFeatures: 10, outFeatures: 2000, rng: new Rng(6) });
    const bound = 1 / Math.sqrt(10);
    for (const t of [linear.weight, linear.bias!]) {
      const m = moments(t);
      expect(m.maxAbs).toBeLessThanOrEqual(bound);
      expect(m.variance / ((bound * bound) / 3)).toBeAllclose(1, { rtol: 0.1, atol: 0 });
    }
  });

  it('draws from a generator seeded with 0 when none is given', () => {
    const implicit = new Linear({ inFeatures: 3, outFeatures: 2 });
    const explicit = new Linear({ inFeatures: 3, outFeatures: 2, rng: new Rng(0) });
    expect(implicit.weight.data).toEqual(explicit.weight.data);
    expect(implicit.bias!.data).toEqual(explicit.bias!.data);
  });

  it('bias: false has no bias parameter', () => {
    const linear = new Linear({ inFeatures: 3, outFeatures: 2, bias: false });
    expect(linear.bias).toBeNull();
    expect(linear.parameters()).toHaveLength(1);
  });
});

describe('Linear option errors name Linear, the option and the value', () => {
  it.each([
    [{ inFeatures: 0, outFeatures: 2 }, 'Linear: inFeatures must be an integer ≥ 1, got 0'],
    [{ inFeatures: 2, outFeatures: 1.5 }, 'Linear: outFeatures must be an integer ≥ 1, got 1.5'],
    [{ inFeatures: 2, outFeatures: 2, bias: 1 }, 'Linear: bias must be true or false, got 1'],
    [{ inFeatures: 2, outFeatures: 2, size: 3 }, "Linear: unknown option 'size'"],
  ])('%o', (options, message) => {
    expect(() => new Linear(options as never)).toThrow(message);
  });
});
