/**
 * Histograms, for gate activations: a healthy sigmoid gate spreads over (0, 1); a
 * saturated one piles up against 0 or 1, where its derivative σ(1 − σ) is nearly 0
 * and so is every gradient that passes through it. Vertical markers show the
 * saturation thresholds.
 *
 * Bins are equal-width over `range`, half-open [a, b) except the last, which is
 * closed, as in NumPy. Several series share the bins and are drawn translucent, one
 * over the other.
 */

import { seriesColor } from './color.ts';
import {
  axes,
  type ChartOptions,
  checkSize,
  type LegendEntry,
  layout,
  legend,
  legendWidth,
  noteElement,
  titleElement,
} from './frame.ts';
import { linearScale } from './scale.ts';
import { element, svgDocument } from './svg.ts';

export interface HistogramSeries {
  name: string;
  values: ArrayLike<number>;
}

export interface HistogramOptions extends ChartOptions {
  series: readonly HistogramSeries[];
  /** Number of equal-width bins; default 40. */
  bins?: number;
  /** [low, high] of the bins; default the smallest and largest finite value. */
  range?: readonly [number, number];
  /** Bar height as the fraction of the series' values in the bin (default) or the count. */
  normalize?: boolean;
  /** Vertical dashed lines, e.g. at 0.05 and 0.95. */
  markers?: readonly { x: number; label: string }[];
}

/** Counts per bin, and how many finite values fell outside the range. */
export function binValues(
  values: ArrayLike<number>,
  bins: number,
  low: number,
  high: number,
): { counts: number[]; outside: number; notFinite: number } {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`binValues: bins must be a positive integer, got ${bins}`);
  }
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new RangeError(`binValues: need finite low < high, got [${low}, ${high}]`);
  }
  const counts = new Array<number>(bins).fill(0);
  const width = (high - low) / bins;
  let outside = 0;
  let notFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) notFinite++;
    else if (v < low || v > high) outside++;
    else counts[Math.min(bins - 1, Math.floor((v - low) / width))]! += 1;
  }
  return { counts, outside, notFinite };
}

/** A histogram of one or more series, as a self-contained SVG string. */
export function histogram(options: HistogramOptions): string {
  const { title, xLabel, series, markers = [], width = 640, height = 400 } = options;
  const what = 'histogram';
  checkSize(what, width, height);
  const bins = options.bins ?? 40;
  if (!Number.isInteger(bins) || bins < 1 || bins > 10_000) {
    throw new RangeError(`${what}: bins must be an integer in [1, 10000], got ${bins}`);
  }
  const normalize = options.normalize ?? true;
  let [low, high] = options.range ?? [Infinity, -Infinity];
  if (options.range === undefined) {
    for (const s of series) {
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i]!;
        if (!Number.isFinite(v)) continue;
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
    if (low === Infinity) [low, high] = [0, 1];
    if (low === high) [low, high] = [low - 0.5, high + 0.5];
  } else if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new RangeError(`${what}: range must be finite with low < high, got [${low}, ${high}]`);
  }

  const binned = series.map((s) => {
    const b = binValues(s.values, bins, low, high);
    const total = b.counts.reduce((a, c) => a + c, 0) + b.outside;
    const heights = b.counts.map((c) => (normalize ? (total === 0 ? 0 : c / total) : c));
    return { ...b, heights };
  });
  const tallest = Math.max(0, ...binned.flatMap((b) => b.heights));
  const yLabel = options.yLabel ?? (normalize ? 'fraction of values' : 'count');
  const entries: LegendEntry[] = [
    ...series.map((s, i) => ({ name: s.name, color: seriesColor(i), swatch: 'box' as const })),
    ...markers.map((m) => ({ name: m.label, color: '#555555', swatch: 'dashed' as const })),
  ];
  const provisional = linearScale(0, tallest === 0 ? 1 : tallest, [0, 1]);
  const area = layout(
    width,
    height,
    provisional.ticks.map((t) => t.label),
    legendWidth(entries),
  );
  const xScale = linearScale(low, high, [area.left, area.left + area.width], 8);
  const yScale = linearScale(0, tallest === 0 ? 1 : tallest, [area.top + area.height, area.top]);

  const body: string[] = [
    titleElement(title, width),
    ...axes(area, xScale, yScale, { xLabel, yLabel }),
  ];
  const binWidth = (high - low) / bins;
  binned.forEach((b, i) => {
    const color = seriesColor(i);
    const bars: string[] = [];
    b.heights.forEach((h, k) => {
      if (h === 0) return;
      const x0 = xScale.map(low + k * binWidth);
      const x1 = xScale.map(low + (k + 1) * binWidth);
      const y = yScale.map(h);
      bars.push(
        element('rect', {
          class: 'bar',
          x: x0,
          y,
          width: x1 - x0,
          height: yScale.map(0) - y,
          fill: color,
          'fill-opacity': series.length > 1 ? 0.45 : 0.75,
          stroke: color,
          'stroke-width': 0.5,
        }),
      );
    });
    body.push(element('g', { class: 'series', 'data-series': series[i]!.name }, bars));
  });
  for (const m of markers) {
    const x = xScale.map(m.x);
    body.push(
      element('line', {
        class: 'marker',
        'data-label': m.label,
        x1: x,
        x2: x,
        y1: area.top,
        y2: area.top + area.height,
        stroke: '#555555',
        'stroke-width': 1.5,
        'stroke-dasharray': '6 4',
      }),
    );
  }
  body.push(...legend(entries, area));
  const outside = binned.reduce((n, b) => n + b.outside, 0);
  const notFinite = binned.reduce((n, b) => n + b.notFinite, 0);
  const notes: string[] = [];
  if (outside > 0)
    notes.push(`${outside} value${outside === 1 ? '' : 's'} outside [${low}, ${high}]`);
  if (notFinite > 0)
    notes.push(`${notFinite} not finite value${notFinite === 1 ? '' : 's'} left out`);
  if (notes.length > 0) body.push(noteElement(notes.join('; '), area));
  return svgDocument(
    {
      width,
      height,
      title,
      description: `Histogram, ${bins} bins over [${low}, ${high}]: ${series.map((s) => s.name).join(', ')}.${notes.length > 0 ? ` ${notes.join('; ')}.` : ''}`,
    },
    body,
  );
}
