import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatScientific, logScale, logTicks, niceStep, niceTicks } from '../src/plot/scale.ts';
import { labelValue } from './svg-parser.ts';

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0.37, 1, 1.2, 3, 7, 0.00013, 4500].map(niceStep)).toEqual([
      0.5, 1, 2, 5, 10, 0.0002, 5000,
    ]);
  });
  it('refuses a step that is not positive', () => {
    expect(() => niceStep(0)).toThrow('niceStep: step must be a positive finite number, got 0');
  });
});

describe('niceTicks', () => {
  it('covers the range with evenly spaced nice values whose labels read back exactly', () => {
    const range = fc
      .tuple(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
      )
      .map(([lo, span]) => [lo, lo + span] as const);
    fc.assert(
      fc.property(range, ([lo, hi]) => {
        const { domain, step, ticks } = niceTicks(lo, hi, 6);
        expect(domain[0]).toBeLessThanOrEqual(lo);
        expect(domain[1]).toBeGreaterThanOrEqual(hi);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(12);
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-12);
        expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
        ticks.forEach((t, i) => {
          expect(t.value).toBeAllclose(domain[0] + i * step, { atol: step * 1e-9, rtol: 1e-12 });
          expect(labelValue(t.label)).toBeAllclose(t.value, { atol: step * 1e-6, rtol: 1e-6 });
        });
      }),
    );
  });
  it('widens a zero-width range around its value', () => {
    expect(niceTicks(3, 3).domain[0]).toBeLessThan(3);
    expect(niceTicks(0, 0).domain).toEqual([-1, 1]);
  });
});

describe('log ticks', () => {
  it('puts ticks at powers of ten, thinning them over many decades but keeping 10⁰', () => {
    expect(logTicks(-3, 1).map((t) => t.label)).toEqual(['10⁻³', '10⁻²', '10⁻¹', '10⁰', '10¹']);
    const wide = logTicks(-30, 2);
    expect(wide.length).toBeLessThanOrEqual(9);
    expect(wide.map((t) => t.value)).toContain(1);
    for (const t of wide) expect(labelValue(t.label)).toBeAllclose(t.value, { rtol: 1e-12 });
    // every k-th power, with k a nice number
    expect(logTicks(0, 312).map((t) => t.label)).toEqual([
      '10⁰',
      '10⁵⁰',
      '10¹⁰⁰',
      '10¹⁵⁰',
      '10²⁰⁰',
      '10²⁵⁰',
      '10³⁰⁰',
    ]);
  });
  it('adds 2 and 5 between powers when the range spans two decades or fewer', () => {
    expect(logTicks(0, 2).map((t) => t.value)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(-6, -5).map((t) => t.label)).toEqual(['10⁻⁶', '2×10⁻⁶', '5×10⁻⁶', '10⁻⁵']);
  });
  it('widens the domain to whole decades', () => {
    const s = logScale(0.003, 42, [0, 100]);
    expect(s.domain).toEqual([0.001, 100]);
    expect(s.map(0.001)).toBe(0);
    expect(s.map(1)).toBeAllclose(60);
  });
  it('refuses zero and negative values', () => {
    expect(() => logScale(0, 1, [0, 1])).toThrow('logScale: need 0 < min ≤ max < ∞, got [0, 1]');
  });
});

describe('formatScientific', () => {
  it('writes m×10ⁿ with superscripts', () => {
    expect([1e-7, 2.5e-12, -3e8, 9.996e4, 0].map((v) => formatScientific(v))).toEqual([
      '10⁻⁷',
      '2.5×10⁻¹²',
      '-3×10⁸',
      '10⁵',
      '0',
    ]);
  });
});
