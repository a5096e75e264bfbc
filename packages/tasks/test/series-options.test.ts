import { Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { mackeyGlass, sumOfSines } from '../src/index.ts';

const MAX = Number.MAX_VALUE;

/** Each refusal names the generator, the option, the allowed range and the value given. */
describe('series options', () => {
  it('sumOfSines: length, components, the periods and the noise', () => {
    const rng = new Rng(1);
    const cases: [object, string][] = [
      [{ length: 0 }, 'sumOfSines: length must be an integer >= 1, got 0'],
      [{ length: 5, components: 0 }, 'sumOfSines: components must be an integer >= 1, got 0'],
      [{ length: 5, minPeriod: 1 }, `sumOfSines: minPeriod must be a number in [2, ${MAX}], got 1`],
      [
        { length: 5, minPeriod: 10, maxPeriod: 9 },
        `sumOfSines: maxPeriod must be a number in [10, ${MAX}], got 9`,
      ],
      [{ length: 5, noise: -0.1 }, `sumOfSines: noise must be a number in [0, ${MAX}], got -0.1`],
    ];
    for (const [options, message] of cases) {
      expect(() => sumOfSines({ length: 5, ...options }, rng)).toThrow(message);
    }
  });

  it('mackeyGlass: length, dt, history and warmup', () => {
    const cases: [object, string][] = [
      [{ length: 0 }, 'mackeyGlass: length must be an integer >= 1, got 0'],
      [{ dt: 0 }, `mackeyGlass: dt must be a number in [${Number.MIN_VALUE}, 1], got 0`],
      [{ dt: 2 }, `mackeyGlass: dt must be a number in [${Number.MIN_VALUE}, 1], got 2`],
      [{ history: -1 }, `mackeyGlass: history must be a number in [0, ${MAX}], got -1`],
      [{ warmup: -1 }, `mackeyGlass: warmup must be a number in [0, ${MAX}], got -1`],
    ];
    for (const [options, message] of cases) {
      expect(() => mackeyGlass({ length: 5, ...options })).toThrow(message);
    }
  });

  it('mackeyGlass: τ and sampleEvery must be positive whole multiples of dt', () => {
    for (const tau of [0, 0.04, Number.POSITIVE_INFINITY, Number.NaN, 17.05]) {
      expect(() => mackeyGlass({ length: 5, tau })).toThrow(
        `mackeyGlass: tau must be a positive multiple of dt = 0.1, got ${tau}`,
      );
    }
    expect(() => mackeyGlass({ length: 5, sampleEvery: 0.25 })).toThrow(
      'mackeyGlass: sampleEvery must be a positive multiple of dt = 0.1, got 0.25',
    );
    // One step is the smallest delay; 0.3 is 3 steps although 0.3 / 0.1 is 2.9999999999999996.
    expect(mackeyGlass({ length: 5, tau: 0.1 })).toHaveLength(5);
    expect(mackeyGlass({ length: 5, tau: 0.3 })).toHaveLength(5);
  });
});

describe('series draws', () => {
  it('sumOfSines draws periods log-uniformly over [minPeriod, maxPeriod) and phases uniformly over [0, 2π)', () => {
    const { components } = sumOfSines(
      { length: 1, components: 2000, minPeriod: 4, maxPeriod: 400 },
      new Rng(3),
    );
    const periods = components.map((c) => c.period);
    const phases = components.map((c) => c.phase);
    expect(periods.every((p) => p >= 4 && p < 400)).toBe(true);
    // Log-uniform: half below the geometric mean √(4 · 400) = 40, a tenth below 4 · 100^0.1.
    const below = (x: number) => periods.filter((p) => p < x).length / periods.length;
    expect(Math.abs(below(40) - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(below(4 * 100 ** 0.1) - 0.1)).toBeLessThan(0.03);
    expect(phases.every((phi) => phi >= 0 && phi < 2 * Math.PI)).toBe(true);
    const inQuarter = phases.filter((phi) => phi >= 1.5 * Math.PI).length / phases.length;
    expect(Math.abs(inQuarter - 0.25)).toBeLessThan(0.04);
  });

  it('mackeyGlass takes a τ off a multiple of dt by floating-point noise (a relative 3e-10) as that multiple', () => {
    expect(mackeyGlass({ length: 30, tau: 17 * (1 + 3e-10) })).toEqual(mackeyGlass({ length: 30 }));
  });
});
