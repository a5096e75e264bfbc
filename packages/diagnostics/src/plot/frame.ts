/**
 * What every chart shares: the layout of the plot area inside its margins, the axes
 * with their ticks, grid lines and labels, the title and the legend.
 *
 * Elements carry classes (plot-area, x-tick, y-tick-label, legend-label, …) so the
 * tests can find them, and so a report's stylesheet may restyle them; every style
 * needed to draw them is inline, so the SVG stands on its own.
 */

import type { Scale } from './scale.ts';
import { element, textElement, textWidth } from './svg.ts';

export interface ChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixels; defaults 640 × 400. */
  width?: number;
  height?: number;
}

/** The rectangle the data is drawn in. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface LegendEntry {
  name: string;
  color: string;
  /** How the swatch is drawn: a line, a dashed line, or a filled box. */
  swatch: 'line' | 'dashed' | 'box';
}

export const TITLE_SIZE = 15;
const LEGEND_SWATCH = 22;

export function checkSize(what: string, width: number, height: number): void {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isFinite(value) || value < 120 || value > 10_000) {
      throw new RangeError(`${what}: ${name} must be between 120 and 10000 px, got ${value}`);
    }
  }
}

/** Width the legend needs on the right of the plot area (0 without entries). */
export function legendWidth(entries: readonly LegendEntry[]): number {
  if (entries.length === 0) return 0;
  const longest = Math.max(...entries.map((e) => textWidth(e.name)));
  return LEGEND_SWATCH + 8 + longest + 16;
}

/**
 * Margins: room for the title on top, the y tick labels and y label on the left,
 * the x tick labels and x label below, and the legend (or a colour bar) on the right.
 */
export function layout(
  width: number,
  height: number,
  yTickLabels: readonly string[],
  rightExtra: number,
): PlotArea {
  const longestTick = Math.max(0, ...yTickLabels.map((l) => textWidth(l)));
  const left = Math.ceil(longestTick + 38);
  const top = 46;
  const right = 20 + rightExtra;
  const bottom = 50;
  return {
    left,
    top,
    width: Math.max(10, width - left - right),
    height: Math.max(10, height - top - bottom),
  };
}

/** The title, centred; its font shrinks (to 10 px at least) until it fits the width. */
export function titleElement(title: string, width: number): string {
  const fits = (width - 20) / (title.length * 0.66); // bold glyphs run about 0.66 em
  return textElement(title, {
    class: 'title',
    x: width / 2,
    y: 24,
    'text-anchor': 'middle',
    'font-size': Math.max(10, Math.min(TITLE_SIZE, Math.floor(fits))),
    'font-weight': 'bold',
  });
}

/** What an axis needs to draw itself: its ticks and where a value goes (a Scale, or a heat map's bands). */
export type Axis = Pick<Scale, 'ticks' | 'map'>;

/** The plot area's frame, grid lines, ticks with labels, and the two axis labels. */
export function axes(
  area: PlotArea,
  x: Axis,
  y: Axis,
  labels: { xLabel?: string; yLabel?: string; grid?: boolean },
): string[] {
  const { left, top, width, height } = area;
  const bottom = top + height;
  const right = left + width;
  const grid = labels.grid ?? true;
  const out: string[] = [
    element('rect', {
      class: 'plot-area',
      x: left,
      y: top,
      width,
      height,
      fill: 'none',
      stroke: '#444444',
      'stroke-width': 1,
    }),
  ];
  for (const tick of x.ticks) {
    const px = x.map(tick.value);
    if (grid) {
      out.push(
        element('line', { class: 'grid', x1: px, x2: px, y1: top, y2: bottom, stroke: '#e6e6e6' }),
      );
    }
    out.push(
      element('line', {
        class: 'x-tick',
        x1: px,
        x2: px,
        y1: bottom,
        y2: bottom + 5,
        stroke: '#444444',
      }),
      textElement(tick.label, {
        class: 'x-tick-label',
        x: px,
        y: bottom + 18,
        'text-anchor': 'middle',
        fill: '#222222',
      }),
    );
  }
  for (const tick of y.ticks) {
    const py = y.map(tick.value);
    if (grid) {
      out.push(
        element('line', { class: 'grid', x1: left, x2: right, y1: py, y2: py, stroke: '#e6e6e6' }),
      );
    }
    out.push(
      element('line', {
        class: 'y-tick',
        x1: left - 5,
        x2: left,
        y1: py,
        y2: py,
        stroke: '#444444',
      }),
      textElement(tick.label, {
        class: 'y-tick-label',
        x: left - 8,
        y: py + 4,
        'text-anchor': 'end',
        fill: '#222222',
      }),
    );
  }
  if (labels.xLabel) {
    out.push(
      textElement(labels.xLabel, {
        class: 'x-label',
        x: left + width / 2,
        y: bottom + 40,
        'text-anchor': 'middle',
        fill: '#222222',
      }),
    );
  }
  if (labels.yLabel) {
    const cx = 16;
    const cy = top + height / 2;
    out.push(
      textElement(labels.yLabel, {
        class: 'y-label',
        x: cx,
        y: cy,
        transform: `rotate(-90 ${cx} ${cy})`,
        'text-anchor': 'middle',
        fill: '#222222',
      }),
    );
  }
  return out;
}

/** The legend, stacked top-down to the right of the plot area. */
export function legend(entries: readonly LegendEntry[], area: PlotArea): string[] {
  if (entries.length === 0) return [];
  const x0 = area.left + area.width + 14;
  const children = entries.map((entry, i) => {
    const y = area.top + 10 + i * 20;
    const swatch =
      entry.swatch === 'box'
        ? element('rect', {
            x: x0,
            y: y - 6,
            width: LEGEND_SWATCH,
            height: 12,
            fill: entry.color,
            'fill-opacity': 0.6,
            stroke: entry.color,
          })
        : element('line', {
            x1: x0,
            x2: x0 + LEGEND_SWATCH,
            y1: y,
            y2: y,
            stroke: entry.color,
            'stroke-width': 2,
            'stroke-dasharray': entry.swatch === 'dashed' ? '6 4' : undefined,
          });
    return (
      swatch +
      textElement(entry.name, {
        class: 'legend-label',
        x: x0 + LEGEND_SWATCH + 8,
        y: y + 4,
        fill: '#222222',
      })
    );
  });
  return [element('g', { class: 'legend' }, children)];
}

/** A warning above the plot area, e.g. how many points could not be drawn. */
export function noteElement(note: string, area: PlotArea): string {
  return textElement(note, {
    class: 'note',
    x: area.left,
    y: area.top - 7,
    fill: '#aa0000',
    'font-size': 11,
  });
}
