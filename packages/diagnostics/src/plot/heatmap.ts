/**
 * A heat map of a matrix, for ‖∂L/∂hₜ‖ over (training step × timestep): one row per
 * training step, read top to bottom, one column per timestep. A vanishing gradient
 * shows as a dark band on the left (early timesteps) that spreads or recedes as
 * training goes on.
 *
 * Colours come from viridis on a log scale by default (gradient norms span decades)
 * between the smallest and largest positive value; a colour bar on the right gives
 * the key.
 */

import { NOT_FINITE_COLOR, viridis } from './color.ts';
import {
  type Axis,
  axes,
  type ChartOptions,
  checkSize,
  layout,
  noteElement,
  titleElement,
} from './frame.ts';
import { formatScientific, logTicks, niceStep, niceTicks, type Tick } from './scale.ts';
import { element, svgDocument, textElement, textWidth } from './svg.ts';

export interface HeatmapOptions extends ChartOptions {
  /** values[row][col]; every row the same length. */
  values: readonly ArrayLike<number>[];
  /** What each row stands for (training step numbers); default 1..rows. */
  rowValues?: ArrayLike<number>;
  /** What each column stands for (timesteps); default 1..cols. */
  colValues?: ArrayLike<number>;
  /** Default 'log'. */
  colorScale?: 'log' | 'linear';
  /** Label of the colour bar, e.g. '‖∂L/∂hₜ‖'. */
  colorLabel?: string;
}

const BAR_WIDTH = 14;
const BAR_STRIPES = 64;

/**
 * Ticks of a band axis, one band per row or column: a tick's value is the band's index
 * (its centre is drawn there), its label the band's own number. Bands whose number is a
 * multiple of a nice step are labelled; irregular numbers fall back to every k-th band.
 */
function bandTicks(labels: ArrayLike<number>, maxTicks: number): Tick[] {
  const n = labels.length;
  const first = labels[0]!;
  const last = labels[n - 1]!;
  const label = (i: number) => String(Number(labels[i]!.toPrecision(12)));
  const step = n > 1 && last !== first ? niceStep(Math.abs(last - first) / maxTicks) : 1;
  const picked: Tick[] = [];
  for (let i = 0; i < n; i++) {
    const v = labels[i]! / step;
    if (Math.abs(v - Math.round(v)) < 1e-9) picked.push({ value: i, label: label(i) });
  }
  if (picked.length >= 2 || (n === 1 && picked.length === 1)) return picked;
  const every = Math.max(1, Math.ceil(n / maxTicks));
  const even: Tick[] = [];
  for (let i = 0; i < n; i += every) even.push({ value: i, label: label(i) });
  return even;
}

function defaultLabels(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Colour-bar ticks inside [lo, hi]; the two ends when no nice value falls inside. */
function colorTicks(lo: number, hi: number, log: boolean): Tick[] {
  let candidates: Tick[];
  if (log) {
    candidates = logTicks(Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi)), 6);
  } else {
    candidates = niceTicks(lo, hi, 5).ticks;
  }
  const inside = candidates.filter(
    (t) => t.value >= lo * (1 - 1e-12) && t.value <= hi * (1 + 1e-12),
  );
  if (inside.length >= 2) return inside;
  return [
    { value: lo, label: formatScientific(lo) },
    { value: hi, label: formatScientific(hi) },
  ];
}

/** A heat map as a self-contained SVG string. */
export function heatmap(options: HeatmapOptions): string {
  const { title, xLabel, yLabel, values, colorLabel, width = 640, height = 400 } = options;
  const what = 'heatmap';
  checkSize(what, width, height);
  const rows = values.length;
  const cols = rows === 0 ? 0 : values[0]!.length;
  if (rows === 0 || cols === 0) {
    throw new RangeError(
      `${what}: values must have at least one row and one column, got ${rows}×${cols}`,
    );
  }
  values.forEach((row, i) => {
    if (row.length !== cols) {
      throw new RangeError(`${what}: row ${i} has ${row.length} values, row 0 has ${cols}`);
    }
  });
  const rowValues = options.rowValues ?? defaultLabels(rows);
  const colValues = options.colValues ?? defaultLabels(cols);
  if (rowValues.length !== rows || colValues.length !== cols) {
    throw new RangeError(
      `${what}: rowValues/colValues have ${rowValues.length}/${colValues.length} entries for a ${rows}×${cols} matrix`,
    );
  }
  const log = (options.colorScale ?? 'log') === 'log';

  let lo = Infinity;
  let hi = -Infinity;
  let belowLog = 0;
  let notFinite = 0;
  for (const row of values) {
    for (let j = 0; j < cols; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) notFinite++;
      else if (log && v <= 0) belowLog++;
      else {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo === Infinity) [lo, hi] = log ? [1, 10] : [0, 1];
  if (lo === hi) [lo, hi] = log ? [lo / Math.SQRT2, hi * Math.SQRT2] : [lo - 0.5, hi + 0.5];
  const position = (v: number) =>
    log
      ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
      : (v - lo) / (hi - lo);
  const colorOf = (v: number) =>
    !Number.isFinite(v) ? NOT_FINITE_COLOR : log && v <= 0 ? viridis(0) : viridis(position(v));

  const barTicks = colorTicks(lo, hi, log);
  const barLabelWidth = Math.max(...barTicks.map((t) => textWidth(t.label)));
  const rowTicks = bandTicks(rowValues, 8);
  const area = layout(
    width,
    height,
    rowTicks.map((t) => t.label),
    BAR_WIDTH + 20 + barLabelWidth + (colorLabel ? 26 : 8),
  );
  const cellW = area.width / cols;
  const cellH = area.height / rows;
  const xAxis: Axis = {
    ticks: bandTicks(colValues, 10),
    map: (i: number) => area.left + (i + 0.5) * cellW,
  };
  const yAxis: Axis = {
    ticks: rowTicks,
    map: (i: number) => area.top + (i + 0.5) * cellH,
  };

  const cells: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row = values[i]!;
    for (let j = 0; j < cols; j++) {
      cells.push(
        element('rect', {
          x: area.left + j * cellW,
          y: area.top + i * cellH,
          width: cellW,
          height: cellH,
          fill: colorOf(row[j]!),
        }),
      );
    }
  }

  const barLeft = area.left + area.width + 16;
  const stripeH = area.height / BAR_STRIPES;
  const bar: string[] = [];
  for (let k = 0; k < BAR_STRIPES; k++) {
    // stripe k from the bottom shows the colour at the middle of its span
    bar.push(
      element('rect', {
        x: barLeft,
        y: area.top + area.height - (k + 1) * stripeH,
        width: BAR_WIDTH,
        height: stripeH,
        fill: viridis((k + 0.5) / BAR_STRIPES),
      }),
    );
  }
  const barY = (v: number) => area.top + area.height - position(v) * area.height;
  for (const t of barTicks) {
    const y = barY(t.value);
    bar.push(
      element('line', {
        x1: barLeft + BAR_WIDTH,
        x2: barLeft + BAR_WIDTH + 4,
        y1: y,
        y2: y,
        stroke: '#444444',
      }),
      textElement(t.label, {
        class: 'color-tick-label',
        x: barLeft + BAR_WIDTH + 7,
        y: y + 4,
        fill: '#222222',
      }),
    );
  }
  if (colorLabel) {
    const cx = barLeft + BAR_WIDTH + 14 + barLabelWidth + 6;
    const cy = area.top + area.height / 2;
    bar.push(
      textElement(colorLabel, {
        class: 'color-label',
        x: cx,
        y: cy,
        transform: `rotate(-90 ${cx} ${cy})`,
        'text-anchor': 'middle',
        fill: '#222222',
      }),
    );
  }

  const notes: string[] = [];
  if (belowLog > 0)
    notes.push(`${belowLog} cell${belowLog === 1 ? '' : 's'} ≤ 0 drawn at the bottom of the scale`);
  if (notFinite > 0)
    notes.push(`${notFinite} not finite cell${notFinite === 1 ? '' : 's'} in magenta`);
  const body = [
    titleElement(title, width),
    element('g', { class: 'cells', 'shape-rendering': 'crispEdges' }, cells),
    ...axes(area, xAxis, yAxis, { xLabel, yLabel, grid: false }),
    element('g', { class: 'colorbar', 'shape-rendering': 'crispEdges' }, bar),
  ];
  if (notes.length > 0) {
    body.push(noteElement(notes.join('; '), area));
  }
  return svgDocument(
    {
      width,
      height,
      title,
      description: `Heat map, ${rows} rows × ${cols} columns, ${log ? 'log' : 'linear'} colour scale from ${formatScientific(lo)} to ${formatScientific(hi)}.${notes.length > 0 ? ` ${notes.join('; ')}.` : ''}`,
    },
    body,
  );
}
