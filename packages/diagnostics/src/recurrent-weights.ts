/**
 * The recurrent weights of a cell or a stacked layer, gate by gate.
 *
 * PyTorch stacks the gates' recurrent matrices in one `weight_hh` of shape [G·H, H]:
 * rows [k·H, (k+1)·H) belong to gate k, in the order
 *
 *   RNN   G = 1   h                  hₜ = tanh(xₜ W_ihᵀ + b_ih + hₜ₋₁ W_hhᵀ + b_hh)
 *   LSTM  G = 4   i, f, g, o         input, forget, cell candidate, output
 *   GRU   G = 3   r, z, n            reset, update, new
 *
 * so G = rows / cols tells the kind of cell. Each gate's block is square, and its
 * spectral radius and largest singular value say how strongly that gate's recurrent
 * path amplifies or damps.
 *
 * For the vanilla RNN, Pascanu, Mikolov & Bengio (2013, §2.1) make it a theorem. The
 * step Jacobian is ∂hₜ/∂hₜ₋₁ = diag(σ′(aₜ)) W_hh, with |σ′| ≤ γ (γ = 1 for tanh and
 * relu), so ‖∂hₜ/∂hₖ‖ ≤ (γ σ₁)^(t−k):
 *
 *   σ₁(W_hh) < 1/γ  is SUFFICIENT for vanishing: the bound decays exponentially;
 *   σ₁(W_hh) > 1/γ  is NECESSARY for exploding (but does not make it happen);
 *   σ₁(W_hh) = 1/γ  (an orthogonal W_hh with tanh) is the edge: the bound is 1 per
 *                   step, so no explosion, and no guaranteed vanishing either.
 *
 * σ₁ comes from power iteration, so "equal" means within EDGE_TOLERANCE (relative):
 * an orthogonal matrix's σ₁ = 1 arrives as 0.9999999999999998 about as often as 1,
 * and must not flip the report. The paper writes the condition with λ₁; it must be
 * the largest singular value, not the largest |eigenvalue|, for the proof to hold:
 * ρ ≤ σ₁, and only σ₁ bounds one step. For the linear RNN (σ the identity) the
 * spectral radius decides: ρ < 1 makes long-range components vanish, ρ > 1 is
 * necessary to explode.
 *
 * LSTM and GRU escape the bound: their cell state (or the z-gated path) is carried by
 * an elementwise product with a gate, not through W_hh, so the per-gate numbers are
 * reported without a verdict.
 */

import { type Matrix, type MatrixInput, rowBlock, toMatrix } from './linalg.ts';
import { largestSingularValue, type PowerIterationOptions, spectralRadius } from './spectral.ts';

export type CellKind = 'rnn' | 'lstm' | 'gru';

/** Gate names in PyTorch's row order of weight_hh. */
export const GATES: Readonly<Record<CellKind, readonly string[]>> = {
  rnn: ['h'],
  lstm: ['i', 'f', 'g', 'o'],
  gru: ['r', 'z', 'n'],
};

const KIND_BY_GATE_COUNT: Readonly<Record<number, CellKind>> = { 1: 'rnn', 3: 'gru', 4: 'lstm' };

/** γσ₁ within this of 1, relatively, counts as σ₁ = 1/γ (power iteration's σ₁ is good to ~1e-10). */
const EDGE_TOLERANCE = 1e-8;

/** sup |σ′| of each nonlinearity: γ in Pascanu et al. */
export const GAMMA = { tanh: 1, relu: 1, sigmoid: 0.25 } as const;
export type Nonlinearity = keyof typeof GAMMA;

export interface GateBlock {
  gate: string;
  matrix: Matrix;
}

/** Splits weight_hh [G·H, H] into its gates' H×H blocks (no copy for Float64Array data). */
export function gateBlocks(
  weightHH: MatrixInput,
  what = 'gateBlocks',
): { kind: CellKind; blocks: GateBlock[] } {
  const W = toMatrix(weightHH, what);
  const H = W.cols;
  const G = H === 0 ? 0 : W.rows / H;
  const kind = KIND_BY_GATE_COUNT[G];
  if (kind === undefined) {
    throw new RangeError(
      `${what}: weight_hh must be [G·H, H] with G = 1 (RNN), 3 (GRU) or 4 (LSTM), got [${W.rows}, ${W.cols}]`,
    );
  }
  return {
    kind,
    blocks: GATES[kind].map((gate, k) => ({ gate, matrix: rowBlock(W, k * H, H) })),
  };
}

export interface GateSpectrum {
  gate: string;
  spectralRadius: number;
  largestSingularValue: number;
}

export interface PascanuReport {
  nonlinearity: Nonlinearity;
  /** sup |σ′|. */
  gamma: number;
  /** σ₁(W_hh), the paper's λ₁. */
  largestSingularValue: number;
  spectralRadius: number;
  /** σ₁ < 1/γ: ‖∂hₜ/∂hₖ‖ ≤ (γσ₁)^(t−k) → 0, whatever the inputs. (Both false at σ₁ = 1/γ.) */
  vanishingGuaranteed: boolean;
  /** σ₁ > 1/γ: the necessary condition for exploding holds (explosion is possible). */
  explodingPossible: boolean;
  /** The bound (γσ₁)ᵏ per k steps back: the most ‖∂hₜ/∂hₜ₋ₖ‖ can be, per step. */
  perStepBound: number;
  statement: string;
}

/** Pascanu et al.'s condition for a vanilla RNN's recurrent matrix. */
export function pascanuBound(
  weightHH: MatrixInput,
  nonlinearity: Nonlinearity = 'tanh',
  opts: PowerIterationOptions = {},
): PascanuReport {
  const gamma = GAMMA[nonlinearity];
  if (gamma === undefined) {
    throw new RangeError(
      `pascanuBound: nonlinearity must be 'tanh', 'relu' or 'sigmoid', got '${nonlinearity}'`,
    );
  }
  const W = toMatrix(weightHH, 'pascanuBound');
  const sigma1 = largestSingularValue(W, opts).value;
  const rho = W.rows === W.cols ? spectralRadius(W, opts).value : Number.NaN;
  const threshold = 1 / gamma;
  // eq. 6.18 — ‖J_k‖ ≤ γσ₁(W_hh), so k steps give at most (γσ₁)^k
  const perStepBound = gamma * sigma1;
  const atEdge = Math.abs(perStepBound - 1) <= EDGE_TOLERANCE;
  const vanishingGuaranteed = !atEdge && perStepBound < 1;
  const explodingPossible = !atEdge && perStepBound > 1;
  const s = Number(sigma1.toPrecision(4));
  const where = `1/γ = ${threshold} (${nonlinearity})`;
  const statement = vanishingGuaranteed
    ? `σ₁(W_hh) = ${s} < ${where}: gradients must vanish, ‖∂hₜ/∂hₖ‖ ≤ ${Number(perStepBound.toPrecision(4))}^(t−k)`
    : explodingPossible
      ? `σ₁(W_hh) = ${s} > ${where}: vanishing is not guaranteed, and exploding is possible`
      : `σ₁(W_hh) = ${s} = ${where}: ‖∂hₜ/∂hₖ‖ ≤ 1, so gradients cannot explode, and vanishing is not guaranteed`;
  return {
    nonlinearity,
    gamma,
    largestSingularValue: sigma1,
    spectralRadius: rho,
    vanishingGuaranteed,
    explodingPossible,
    perStepBound,
    statement,
  };
}

export interface RecurrentWeightReport {
  /** The parameter's name, e.g. 'weight_hh_l1_reverse' or 'encoder.weight_hh'. */
  name: string;
  layer: number;
  direction: 'forward' | 'reverse';
  kind: CellKind;
  hiddenSize: number;
  gates: GateSpectrum[];
  /** Only for RNNs, where the theorem applies. */
  pascanu?: PascanuReport;
}

type Named = Iterable<readonly [string, MatrixInput]>;
type HasParameters = { namedParameters(): Named; nonlinearity?: unknown };

const WEIGHT_HH = /(?:^|\.)weight_hh(?:_l(\d+))?(_reverse)?$/;

/**
 * Spectra of every `weight_hh` in a cell, a stacked layer, or a list of
 * [name, tensor] pairs, gate by gate, with the Pascanu report for RNNs. The RNN's
 * nonlinearity is read from the module when it has one, else from the options.
 */
export function analyzeRecurrentWeights(
  source: HasParameters | Named,
  opts: PowerIterationOptions & { nonlinearity?: 'tanh' | 'relu' } = {},
): RecurrentWeightReport[] {
  const hasParameters = typeof (source as HasParameters).namedParameters === 'function';
  const named = hasParameters ? (source as HasParameters).namedParameters() : (source as Named);
  const fromModule = hasParameters ? (source as HasParameters).nonlinearity : undefined;
  const nonlinearity = opts.nonlinearity ?? (fromModule === 'relu' ? 'relu' : 'tanh');
  const reports: RecurrentWeightReport[] = [];
  for (const [name, weight] of named) {
    const match = WEIGHT_HH.exec(name);
    if (!match) continue;
    const { kind, blocks } = gateBlocks(weight, `analyzeRecurrentWeights (${name})`);
    const gates = blocks.map(({ gate, matrix }) => ({
      gate,
      spectralRadius: spectralRadius(matrix, opts).value,
      largestSingularValue: largestSingularValue(matrix, opts).value,
    }));
    const report: RecurrentWeightReport = {
      name,
      layer: match[1] === undefined ? 0 : Number(match[1]),
      direction: match[2] ? 'reverse' : 'forward',
      kind,
      hiddenSize: blocks[0]!.matrix.cols,
      gates,
    };
    if (kind === 'rnn') report.pascanu = pascanuBound(blocks[0]!.matrix, nonlinearity, opts);
    reports.push(report);
  }
  if (reports.length === 0) {
    throw new RangeError(
      'analyzeRecurrentWeights: found no parameter named weight_hh or weight_hh_l{k}',
    );
  }
  return reports;
}
