/**
 * Line charts: gradient norm against timestep on a log axis (several models in one
 * chart), and loss curves with a horizontal baseline (chance level, or a constant
 * predictor) to read them against.
 *
 * A point that cannot be drawn — not finite, or ≤ 0 on a log axis (a gradient that
 * underflowed to exactly 0) — breaks its line rather than being invented, and the
 * chart says how many were left out.
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
import { linearScale, logScale, type Scale } from './scale.ts';
import { element, px, svgDocument } from './svg.ts';

export interface Series {
  name: string;
  y: ArrayLike<number>;
  /** x of each point; defaults to 1, 2, …, n (timesteps t = 1..T, or training steps). */
  x?: ArrayLike<number>;
}

export interface Baseline {
  y: number;
  label: string;
}

export interface LineChartOptions extends ChartOptions {
  series: readonly Series[];
  /** 'log' for gradient norms, which span many decades. Default 'linear'. */
  yScale?: 'linear' | 'log';
  /** Horizontal dashed reference lines, listed in the legend. */
  baselines?: readonly Baseline[];
  /** Dots on the data points: default when every series has ≤ 60 points. */
  markers?: boolean;
}

interface Point {
  x: number;
  y: number;
}

function xsOf(series: Series, what: string): ArrayLike<number> {
  if (series.x === undefined) return Array.from({ length: series.y.length }, (_, i) => i + 1);
  if (series.x.length !== series.y.length) {
    throw new RangeError(
      `${what}: series '${series.name}' has ${series.x.length} x values but ${series.y.length} y values`,
    );
  }
  return series.x;
}

/** Each series' drawable runs of points, and how many points had to be left out. */
function segments(
  series: Series,
  log: boolean,
  what: string,
): { runs: Point[][]; dropped: number } {
  const xs = xsOf(series, what);
  const runs: Point[][] = [];
  let current: Point[] = [];
  let dropped = 0;
  for (let i = 0; i < series.y.length; i++) {
    const x = xs[i]!;
    const y = series.y[i]!;
    const drawable = Number.isFinite(x) && Number.isFinite(y) && (!log || y > 0);
    if (drawable) {
      current.push({ x, y });
      continue;
    }
    dropped++;
    if (current.length > 0) runs.push(current);
    current = [];
  }
  if (current.length > 0) runs.push(current);
  return { runs, dropped };
}

function extent(values: number[], fallback: [number, number]): [number, number] {
  if (values.length === 0) return fallback;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A line chart of one or more series, as a self-contained SVG string. */
export function lineChart(options: LineChartOptions): string {
  const { title, xLabel, yLabel, series, baselines = [], width = 640, height = 400 } = options;
  const what = 'lineChart';
  checkSize(what, width, height);
  const log = options.yScale === 'log';
  if (options.yScale !== undefined && options.yScale !== 'log' && options.yScale !== 'linear') {
    throw new RangeError(`${what}: yScale must be 'linear' or 'log', got '${options.yScale}'`);
  }
  for (const b of baselines) {
    if (!Number.isFinite(b.y) || (log && b.y <= 0)) {
      throw new RangeError(
        `${what}: baseline '${b.label}' must be a finite${log ? ' positive' : ''} number, got ${b.y}`,
      );
    }
  }
  const prepared = series.map((s) => ({ series: s, ...segments(s, log, what) }));
  const points = prepared.flatMap((p) => p.runs.flat());
  const [xMin, xMax] = extent(
    points.map((p) => p.x),
    [1, 2],
  );
  const [yMin, yMax] = extent(
    [...points.map((p) => p.y), ...baselines.map((b) => b.y)],
    log ? [1, 10] : [0, 1],
  );

  const entries: LegendEntry[] = [
    ...series.map((s, i) => ({ name: s.name, color: seriesColor(i), swatch: 'line' as const })),
    ...baselines.map((b) => ({ name: b.label, color: '#555555', swatch: 'dashed' as const })),
  ];
  const makeY = (range: readonly [number, number]): Scale =>
    log ? logScale(yMin, yMax, range) : linearScale(yMin, yMax, range);
  const area = layout(
    width,
    height,
    makeY([0, 1]).ticks.map((t) => t.label),
    legendWidth(entries),
  );
  const xScale = linearScale(xMin, xMax, [area.left, area.left + area.width], 8);
  const yScale = makeY([area.top + area.height, area.top]);

  const totalPoints = Math.max(0, ...series.map((s) => s.y.length));
  const markers = options.markers ?? totalPoints <= 60;
  const body: string[] = [
    titleElement(title, width),
    ...axes(area, xScale, yScale, { xLabel, yLabel }),
  ];

  for (const b of baselines) {
    const y = yScale.map(b.y);
    body.push(
      element('line', {
        class: 'baseline',
        'data-label': b.label,
        x1: area.left,
        x2: area.left + area.width,
        y1: y,
        y2: y,
        stroke: '#555555',
        'stroke-width': 1.5,
        'stroke-dasharray': '6 4',
      }),
    );
  }
  prepared.forEach(({ series: s, runs }, i) => {
    const color = seriesColor(i);
    const children: string[] = [];
    for (const run of runs) {
      const coordinates = run.map((p) => `${px(xScale.map(p.x))},${px(yScale.map(p.y))}`);
      children.push(
        element('polyline', {
          points: coordinates.join(' '),
          fill: 'none',
          stroke: color,
          'stroke-width': 2,
          'stroke-linejoin': 'round',
        }),
      );
      if (markers) {
        for (const p of run) {
          children.push(
            element('circle', { cx: xScale.map(p.x), cy: yScale.map(p.y), r: 2.5, fill: color }),
          );
        }
      }
    }
    body.push(element('g', { class: 'series', 'data-series': s.name }, children));
  });
  body.push(...legend(entries, area));

  const dropped = prepared.reduce((n, p) => n + p.dropped, 0);
  const note =
    dropped === 0
      ? undefined
      : `${dropped} point${dropped === 1 ? '' : 's'} not drawn (${log ? 'zero, negative or ' : ''}not finite)`;
  if (note !== undefined) {
    body.push(noteElement(note, area));
  }
  return svgDocument(
    {
      width,
      height,
      title,
      description: [
        `Line chart, ${log ? 'logarithmic' : 'linear'} y axis: ${series.map((s) => s.name).join(', ')}.`,
        note,
      ]
        .filter((d) => d !== undefined)
        .join(' '),
    },
    body,
  );
}

/** ‖∂L/∂hₜ‖ against timestep t on a log axis, one line per model or layer. */
export function gradientNormChart(
  options: Omit<LineChartOptions, 'title' | 'yScale'> & { title?: string },
): string {
  return lineChart({
    xLabel: 'timestep t',
    yLabel: '‖∂L/∂hₜ‖',
    ...options,
    title: options.title ?? 'Gradient norm through time',
    yScale: 'log',
  });
}

/** Loss against training step, with the task's baseline as a dashed line. */
export function lossChart(options: Omit<LineChartOptions, 'title'> & { title?: string }): string {
  return lineChart({
    xLabel: 'training step',
    yLabel: 'loss',
    ...options,
    title: options.title ?? 'Loss',
  });
}
