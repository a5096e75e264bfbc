/**
 * @unroll/diagnostics — why a recurrent network's gradients vanish or explode, made
 * visible. Read in this order:
 *
 *   plot/svg.ts          escaping and the <svg> document: every chart is a plain string
 *   plot/scale.ts        linear and log scales, "nice" ticks, powers of ten
 *   plot/color.ts        Okabe–Ito for series, viridis for heat maps
 *   plot/frame.ts        plot area, axes, title, legend
 *   plot/line-chart.ts   gradient norm against timestep (log axis), loss curves with a baseline
 *   plot/heatmap.ts      ‖∂L/∂hₜ‖ over training step × timestep
 *   plot/histogram.ts    gate activations
 */

export { NOT_FINITE_COLOR, SERIES_COLORS, seriesColor, viridis } from './plot/color.ts';
export type { ChartOptions } from './plot/frame.ts';
export { type HeatmapOptions, heatmap } from './plot/heatmap.ts';
export {
  binValues,
  type HistogramOptions,
  type HistogramSeries,
  histogram,
} from './plot/histogram.ts';
export {
  type Baseline,
  gradientNormChart,
  type LineChartOptions,
  lineChart,
  lossChart,
  type Series,
} from './plot/line-chart.ts';
export {
  formatPowerOfTen,
  formatScientific,
  linearScale,
  logScale,
  logTicks,
  niceStep,
  niceTicks,
  type Scale,
  type Tick,
} from './plot/scale.ts';
export { escapeXml } from './plot/svg.ts';
