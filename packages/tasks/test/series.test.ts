import { Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { mackeyGlass, sumOfSines } from '../src/index.ts';

describe('sumOfSines', () => {
  it('is the sum of its reported components when noise is 0', () => {
    const { values, components } = sumOfSines({ length: 200, components: 4, noise: 0 }, new Rng(3));
    expect(components).toHaveLength(4);
    const expected = Array.from({ length: 200 }, (_, t) =>
      components.reduce(
        (x, c) => x + c.amplitude * Math.sin((2 * Math.PI * t) / c.period + c.phase),
        0,
      ),
    );
    expect(Array.from(values)).toBeAllclose(expected, { atol: 1e-14 });
    for (const c of components) {
      expect(c.period >= 8 && c.period <= 64).toBe(true);
      expect(c.amplitude >= 0.5 / 4 && c.amplitude < 1.5 / 4).toBe(true);
    }
  });

  it('adds noise of the requested standard deviation', () => {
    const clean = sumOfSines({ length: 20_000, noise: 0 }, new Rng(5)).values;
    const noisy = sumOfSines({ length: 20_000, noise: 0.1 }, new Rng(5)).values;
    let sq = 0;
    for (let t = 0; t < clean.length; t++) sq += (noisy[t]! - clean[t]!) ** 2;
    expect(Math.sqrt(sq / clean.length)).toBeCloseTo(0.1, 2);
  });

  it('is deterministic for a seed', () => {
    const a = sumOfSines({ length: 50 }, new Rng(1)).values;
    expect(sumOfSines({ length: 50 }, new Rng(1)).values).toEqual(a);
    expect(sumOfSines({ length: 50 }, new Rng(2)).values).not.toEqual(a);
  });
});

describe('mackeyGlass', () => {
  it('with τ = 17 stays chaotic inside [0.4, 1.35] and never settles', () => {
    const x = mackeyGlass({ length: 3000 });
    expect(x[0]).toBe(1.2);
    let min = Infinity;
    let max = -Infinity;
    for (const v of x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThan(0.4);
    expect(max).toBeLessThan(1.35);
    // Still swinging widely in the last thousand steps.
    const tail = x.subarray(2000);
    expect(Math.max(...tail) - Math.min(...tail)).toBeGreaterThan(0.7);
  });

  it('with a short delay (τ = 2) settles on the fixed point x* = (β/γ − 1)^(1/n) = 1', () => {
    const x = mackeyGlass({ length: 400, tau: 2 });
    for (const v of x.subarray(300)) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
    const y = mackeyGlass({ length: 400, tau: 2, beta: 0.3 }); // x* = 2^(1/10)
    expect(y[399]).toBeAllclose(2 ** 0.1, { atol: 1e-6 });
  });

  it('converges at second order as dt shrinks (RK4 with interpolated delay)', () => {
    const reference = mackeyGlass({ length: 51, dt: 0.00625 });
    const error = (dt: number) => {
      const x = mackeyGlass({ length: 51, dt });
      return Math.max(...x.map((v, i) => Math.abs(v - reference[i]!)));
    };
    const e1 = error(0.1);
    const e2 = error(0.05);
    expect(e1).toBeLessThan(1e-4);
    expect(e2 / e1).toBeGreaterThan(0.15);
    expect(e2 / e1).toBeLessThan(0.35);
  });

  it('samples every sampleEvery time units after the warmup', () => {
    const fine = mackeyGlass({ length: 61, sampleEvery: 0.5 });
    const coarse = mackeyGlass({ length: 21, sampleEvery: 1.5 });
    const late = mackeyGlass({ length: 5, warmup: 6 });
    expect(Array.from(coarse)).toEqual(Array.from(coarse, (_, i) => fine[3 * i]));
    expect(Array.from(late)).toEqual(Array.from(late, (_, i) => fine[12 + 2 * i]));
  });

  it('refuses a delay that is not a multiple of dt', () => {
    expect(() => mackeyGlass({ length: 10, tau: 17.05 })).toThrow(
      'mackeyGlass: tau must be a positive multiple of dt = 0.1, got 17.05',
    );
  });
});
