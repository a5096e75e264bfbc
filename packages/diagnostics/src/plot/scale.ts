/**
 * Scales map data values to pixels, and choose the ticks a reader sees.
 *
 * Linear axes use "nice" steps — 1, 2 or 5 times a power of ten — and stretch the
 * domain out to whole steps, so the ends of the axis are labelled. Log axes put their
 * ticks at powers of ten (every k-th power when the range spans many decades) and at
 * 2 and 5 between them when it spans two decades or fewer.
 */

export interface Tick {
  value: number;
  label: string;
}

export interface Scale {
  readonly kind: 'linear' | 'log';
  /** Data values at the two ends of the axis. */
  readonly domain: readonly [number, number];
  /** Pixels at the two ends (the start may be larger than the end: y grows downwards). */
  readonly range: readonly [number, number];
  readonly ticks: readonly Tick[];
  /** Pixel of a data value; for a log scale the value must be positive. */
  map(value: number): number;
}

/** Removes the float noise of `k · step` (0.30000000000000004 → 0.3). */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/** The nice number (1, 2 or 5 × 10^k) closest above `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) {
    throw new RangeError(`niceStep: step must be a positive finite number, got ${rough}`);
  }
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return clean(nice * power);
}

/** A tick label with just enough decimals for the step (0.25 steps print "0.25"). */
export function formatLinear(value: number, step: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || step < 1e-4) {
    // as many significant digits as it takes to tell neighbouring ticks apart
    const digits = Math.floor(Math.log10(magnitude)) - Math.floor(Math.log10(step) + 1e-9) + 1;
    return formatScientific(value, Math.min(15, Math.max(1, digits)));
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(Math.min(decimals, 20));
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 10 to an integer power as it is written by hand: 10⁻³. */
export function formatPowerOfTen(exponent: number): string {
  const digits = String(exponent)
    .split('')
    .map((c) => SUPERSCRIPT[c] ?? c)
    .join('');
  return `10${digits}`;
}

/** m × 10ⁿ with m rounded to `digits` significant digits, "10ⁿ" when m = 1. */
export function formatScientific(value: number, digits = 3): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  const mantissa = Number((value / 10 ** exponent).toPrecision(digits));
  if (Math.abs(mantissa) === 10)
    return formatScientific(Math.sign(value) * 10 ** (exponent + 1), digits);
  if (mantissa === 1) return formatPowerOfTen(exponent);
  if (mantissa === -1) return `-${formatPowerOfTen(exponent)}`;
  return `${mantissa}×${formatPowerOfTen(exponent)}`;
}

/**
 * Nice ticks covering [min, max]: the domain is widened to whole steps. About
 * `count` ticks; a zero-width range is widened around its value first.
 */
export function niceTicks(
  min: number,
  max: number,
  count = 6,
): { domain: [number, number]; step: number; ticks: Tick[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new RangeError(`niceTicks: need finite min ≤ max, got [${min}, ${max}]`);
  }
  if (min === max) {
    const half = min === 0 ? 1 : Math.abs(min) / 2;
    return niceTicks(min - half, max + half, count);
  }
  const step = niceStep((max - min) / Math.max(1, count - 1));
  let first = Math.floor(min / step + 1e-9);
  let last = Math.ceil(max / step - 1e-9);
  // The tolerance keeps 0.30000000000000004 from earning a tick of its own, but the
  // domain must still contain every value.
  if (clean(first * step) > min) first--;
  if (clean(last * step) < max) last++;
  const ticks: Tick[] = [];
  for (let k = first; k <= last; k++) {
    const value = clean(k * step);
    ticks.push({ value, label: formatLinear(value, step) });
  }
  return { domain: [clean(first * step), clean(last * step)], step, ticks };
}

/** A linear scale whose domain is the nice extension of [min, max]. */
export function linearScale(
  min: number,
  max: number,
  range: readonly [number, number],
  tickCount = 6,
): Scale {
  const { domain, ticks } = niceTicks(min, max, tickCount);
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return {
    kind: 'linear',
    domain,
    range,
    ticks,
    map: (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0),
  };
}

/** Ticks of a log axis from 10^lowExp to 10^highExp (both integers). */
export function logTicks(lowExp: number, highExp: number, maxTicks = 8): Tick[] {
  const decades = highExp - lowExp;
  const ticks: Tick[] = [];
  if (decades <= 2) {
    for (let e = lowExp; e <= highExp; e++) {
      for (const m of e < highExp ? [1, 2, 5] : [1]) {
        const value = clean(m * 10 ** e);
        const plain = e >= -3 && e <= 4;
        ticks.push({ value, label: plain ? String(value) : formatScientific(value) });
      }
    }
    return ticks;
  }
  // Label every k-th power, k a nice number (1, 2, 5, 10, 20, 50…), so labels read 10⁰, 10⁵⁰, 10¹⁰⁰.
  const every = niceStep(Math.max(1, (decades + 1) / maxTicks));
  // Step from the top exponent down so 10⁰ stays labelled whenever it is in range.
  const anchor = lowExp <= 0 && highExp >= 0 ? 0 : highExp;
  for (let e = lowExp; e <= highExp; e++) {
    if ((((e - anchor) % every) + every) % every !== 0) continue;
    ticks.push({ value: 10 ** e, label: formatPowerOfTen(e) });
  }
  return ticks;
}

/**
 * A log₁₀ scale whose domain is [min, max] widened to whole powers of ten. Both
 * must be positive: zeros and negatives have no place on a log axis (callers drop
 * them and say so).
 */
export function logScale(
  min: number,
  max: number,
  range: readonly [number, number],
  maxTicks = 8,
): Scale {
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) {
    throw new RangeError(`logScale: need 0 < min ≤ max < ∞, got [${min}, ${max}]`);
  }
  const lowExp = Math.floor(Math.log10(min) + 1e-12);
  let highExp = Math.ceil(Math.log10(max) - 1e-12);
  if (highExp === lowExp) highExp += 1; // a single value still gets a decade
  const d0 = 10 ** lowExp;
  const d1 = 10 ** highExp;
  const [r0, r1] = range;
  return {
    kind: 'log',
    domain: [d0, d1],
    range,
    ticks: logTicks(lowExp, highExp, maxTicks),
    map: (value) => r0 + ((Math.log10(value) - lowExp) / (highExp - lowExp)) * (r1 - r0),
  };
}
