/**
 * Colours. Series get the Okabe–Ito palette (distinguishable with the common colour
 * vision deficiencies); heat maps get viridis, whose lightness rises steadily from
 * dark purple to yellow, so a greyscale print still orders the values correctly.
 */

/** Okabe & Ito (2008), without the yellow, which vanishes on white. */
export const SERIES_COLORS: readonly string[] = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#000000', // black
];

/** The colour of the i-th series (the palette repeats after seven). */
export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

/** viridis sampled at t = 0, 1/8, …, 1; values between are interpolated in RGB. */
const VIRIDIS_STOPS: readonly string[] = [
  '#440154',
  '#472d7b',
  '#3b528b',
  '#2c728e',
  '#21918c',
  '#28ae80',
  '#5ec962',
  '#addc30',
  '#fde725',
];

/** The colour of non-finite cells, well outside viridis. */
export const NOT_FINITE_COLOR = '#ff00ff';

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex(r: number, g: number, b: number): string {
  const part = (v: number) => Math.round(v).toString(16).padStart(2, '0');
  return `#${part(r)}${part(g)}${part(b)}`;
}

/** viridis at t ∈ [0, 1] (clamped) as '#rrggbb'. */
export function viridis(t: number): string {
  const clamped = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
  const position = clamped * (VIRIDIS_STOPS.length - 1);
  const k = Math.min(Math.floor(position), VIRIDIS_STOPS.length - 2);
  const f = position - k;
  const [r0, g0, b0] = channels(VIRIDIS_STOPS[k]!);
  const [r1, g1, b1] = channels(VIRIDIS_STOPS[k + 1]!);
  return toHex(r0 + f * (r1 - r0), g0 + f * (g1 - g0), b0 + f * (b1 - b0));
}
