/**
 * @unroll/diagnostics — why a recurrent network's gradients vanish or explode, made
 * visible. Read in this order:
 *
 *   plot/svg.ts            escaping and the <svg> document: every chart is a plain string
 *   plot/scale.ts          linear and log scales, "nice" ticks, powers of ten
 *   plot/color.ts          Okabe–Ito for series, viridis for heat maps
 *   plot/frame.ts          plot area, axes, title, legend
 *   plot/line-chart.ts     gradient norm against timestep (log axis), loss curves with a baseline
 *   plot/heatmap.ts        ‖∂L/∂hₜ‖ over training step × timestep
 *   plot/histogram.ts      gate activations
 *   verdict.ts             vanishing, exploding or healthy, from gₜ = ‖∂L/∂hₜ‖ and its thresholds
 *   linalg.ts              dense matrices as plain arrays: products, norms, row blocks
 *   spectral.ts            spectral radius and largest singular value by power iteration
 *   singular-values.ts     every singular value of a small matrix, by Jacobi rotations
 *   recurrent-weights.ts   weight_hh gate by gate, and the Pascanu et al. (2013) bound
 *   graph.ts               leaves of a graph; a backward pass that leaves .grad as it was
 *   stack.ts               a stacked layer run layer by layer, every state kept in the graph
 *   flow.ts                ‖∂L/∂hₜ‖ for every t and layer, by hooks that only look
 *   jacobian.ts            ‖∂s_T/∂sₜ‖: exact Jacobian products, or power iteration on VJPs/JVPs
 *   saturation.ts          gate activations near 0 or 1 (±1 for tanh), per gate and timestep
 *   anomaly.ts             the first NaN or ∞, named by op, shape, timestep and layer
 */

export { AnomalyError, describeContext, detectAnomalies } from './anomaly.ts';
export {
  captureGradientFlow,
  type FlowMeasurement,
  type GradientFlow,
  measureGradientFlow,
  type RecurrentModel,
} from './flow.ts';
export { leavesOf, withGradientsRestored } from './graph.ts';
export {
  cellRecurrence,
  type JacobianNorms,
  type JacobianOptions,
  jacobianNorms,
  type RecurrenceState,
  type RecurrenceStep,
} from './jacobian.ts';
export {
  type Matrix,
  type MatrixInput,
  toMatrix,
} from './linalg.ts';
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
export {
  analyzeRecurrentWeights,
  type CellKind,
  GAMMA,
  GATES,
  type GateBlock,
  type GateSpectrum,
  gateBlocks,
  type Nonlinearity,
  type PascanuReport,
  pascanuBound,
  type RecurrentWeightReport,
} from './recurrent-weights.ts';
export {
  type Activation,
  type GateActivations,
  type GateSaturation,
  type SaturationReport,
  type SaturationThresholds,
  saturation,
} from './saturation.ts';
export { singularValues } from './singular-values.ts';
export {
  largestEigenvalueModulus2x2,
  largestSingularValue,
  type PowerIterationOptions,
  type SingularValueResult,
  type SpectralRadiusResult,
  spectralRadius,
} from './spectral.ts';
export { type UnrolledStack, unrollStack } from './stack.ts';
export {
  DEFAULT_THRESHOLDS,
  type GradientVerdict,
  gradientVerdict,
  type VerdictReport,
  type VerdictThresholds,
} from './verdict.ts';
