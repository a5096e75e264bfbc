/** plot/color.ts: the series palette, and viridis with its interpolation and clamping. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOT_FINITE_COLOR, SERIES_COLORS, seriesColor, viridis } from '../src/plot/color.ts';

/** Relative luminance (Rec. 709 weights) of '#rrggbb', 0 to 255. */
function luma(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255);
}

describe('seriesColor', () => {
  it('gives seven distinct colours, Okabe–Ito blue first, then repeats them', () => {
    expect(seriesColor(0)).toBe('#0072B2');
    expect(new Set(SERIES_COLORS).size).toBe(7);
    for (let i = 0; i < 21; i++) expect(seriesColor(i)).toBe(SERIES_COLORS[i % 7]);
  });
});

describe('viridis', () => {
  it('hits its stops at t = k/8 and interpolates each channel between them', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1 / 8)).toBe('#472d7b');
    expect(viridis(0.5)).toBe('#21918c');
    expect(viridis(1)).toBe('#fde725');
    // Halfway between #440154 and #472d7b: (68+71)/2 = 69.5 → 70, (1+45)/2 = 23, (84+123)/2 = 103.5 → 104.
    expect(viridis(1 / 16)).toBe('#461768');
  });

  it('clamps t to [0, 1] and reads NaN as 0; never returns the non-finite colour', () => {
    expect(viridis(-3)).toBe(viridis(0));
    expect(viridis(7)).toBe(viridis(1));
    expect(viridis(Number.NaN)).toBe(viridis(0));
    fc.assert(
      fc.property(fc.double({ min: -1, max: 2, noNaN: true }), (t) => {
        const color = viridis(t);
        expect(color).toMatch(/^#[0-9a-f]{6}$/);
        expect(color).not.toBe(NOT_FINITE_COLOR);
      }),
    );
  });

  it('grows lighter from 0 to 1, so a greyscale print keeps the order', () => {
    const lumas = Array.from({ length: 33 }, (_, k) => luma(viridis(k / 32)));
    for (let k = 1; k < lumas.length; k++) expect(lumas[k]!).toBeGreaterThan(lumas[k - 1]!);
  });
});
