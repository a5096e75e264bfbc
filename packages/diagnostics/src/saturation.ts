/**
 * Saturation: how many gate activations sit where their derivative is almost zero.
 *
 *   sigmoid  σ′ = σ(1 − σ) < 0.0475 once σ < 0.05 or σ > 0.95
 *   tanh     tanh′ = 1 − a² < 0.0975 once |a| > 0.95
 *   relu     relu′ = 0 at 0: a unit that outputs 0 passes no gradient ("dead")
 *
 * A gradient passing through a saturated unit is multiplied by that small derivative,
 * so a network whose gates are saturated has, in effect, cut those paths. For an LSTM
 * one saturation is wanted: a forget gate near 1 keeps the cell state — and its
 * gradient, ∂cₜ/∂cₜ₋₁ = diag(fₜ) — alive across many steps; hence the forget gate's
 * mean over time is reported on its own.
 *
 * The gates are recomputed from the cell's parameters and the states of a forward
 * pass (run here without a graph), in the cell's own equations — a deliberate third
 * copy of them (besides @unroll/cells and @unroll/bptt's hand-derived passes), written
 * with tensor ops so that every gate is a tensor of its own; the tests hold all three
 * to the same numbers (docs/INDEX.md lists the copies):
 *
 *   LSTM  [i f g o] = [σ σ tanh σ](x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)
 *   GRU   r, z = σ(…);  n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))   (resetAfter)
 *                      n = tanh(x W_inᵀ + b_in + (r ⊙ h) W_hnᵀ + b_hn)   (Cho et al.)
 *   RNN   h = tanh(…) or relu(…)
 */

import { type GRU, GRUCell, type LSTM, LSTMCell, type RNN, RNNCell } from '@unroll/cells';
import {
  add,
  chunk,
  concat,
  linear,
  mul,
  narrow,
  noGrad,
  relu,
  sigmoid,
  type Tensor,
  tanh,
} from '@unroll/tensor';

export type Activation = 'sigmoid' | 'tanh' | 'relu';

export interface GateActivations {
  gate: string;
  activation: Activation;
  /** perStep[t − 1]: the activations at step t, [B·H] row-major. */
  perStep: Float64Array[];
}

export interface SaturationThresholds {
  /** Sigmoid saturated below this (default 0.05)… */
  sigmoidLow?: number;
  /** …or above this (default 0.95). */
  sigmoidHigh?: number;
  /** tanh saturated when |a| is above this (default 0.95). */
  tanhAbove?: number;
}

export interface GateSaturation {
  gate: string;
  activation: Activation;
  /** Fraction saturated at each step t = 1..T (for relu: fraction at 0). */
  perStep: number[];
  /** Fraction saturated over all steps. */
  overall: number;
  /** Sigmoid only: the fractions below sigmoidLow and above sigmoidHigh, over all steps. */
  low?: number;
  high?: number;
  /** Mean activation at each step. */
  meanPerStep: number[];
}

export interface SaturationReport {
  /** 'cell', or 'layer 1' / 'layer 1 reverse' for stacked layers. */
  where: string;
  kind: 'rnn' | 'lstm' | 'gru';
  gates: GateSaturation[];
  /** LSTM only: the forget gate's mean at each step t = 1..T. */
  forgetGateMean?: number[];
  /** The raw activations, for histograms. */
  activations: GateActivations[];
  thresholds: Required<SaturationThresholds>;
}

type AnyCell = RNNCell | LSTMCell | GRUCell;

interface Run {
  activations: GateActivations[];
  /** h at every step, [T] tensors [B, H]: the next layer's inputs. */
  hs: Tensor[];
}

/** The gates of one step, from x [B, I] and the previous state. */
function gatesOf(
  cell: AnyCell,
  x: Tensor,
  hPrev: Tensor,
): { name: string; activation: Activation; value: Tensor }[] {
  const xW = linear(x, cell.weight_ih, cell.bias_ih);
  if (cell instanceof LSTMCell) {
    // eq. 5.2 — LSTM pre-activations
    // eq. 5.3 — i, f, o through σ, g through tanh
    const [i, f, g, o] = chunk(
      add(xW, linear(hPrev, cell.weight_hh, cell.bias_hh)),
      4,
      1,
    ) as Tensor[];
    return [
      { name: 'i', activation: 'sigmoid', value: sigmoid(i!) },
      { name: 'f', activation: 'sigmoid', value: sigmoid(f!) },
      { name: 'g', activation: 'tanh', value: tanh(g!) },
      { name: 'o', activation: 'sigmoid', value: sigmoid(o!) },
    ];
  }
  if (cell instanceof GRUCell) {
    const H = cell.hiddenSize;
    const [xr, xz, xn] = chunk(xW, 3, 1) as Tensor[];
    const hW = linear(hPrev, cell.weight_hh, cell.bias_hh);
    const [hr, hz, hn] = chunk(hW, 3, 1) as Tensor[];
    // eq. 5.7 — r, z
    const r = sigmoid(add(xr!, hr!));
    const z = sigmoid(add(xz!, hz!));
    let n: Tensor;
    if (cell.resetAfter) {
      // eq. 5.8 — n, reset after W_hn
      n = tanh(add(xn!, mul(r, hn!)));
    } else {
      // eq. 5.9 — n, reset before W_hn
      const bn = cell.bias_hh === null ? null : narrow(cell.bias_hh, 0, 2 * H, H);
      n = tanh(add(xn!, linear(mul(r, hPrev), narrow(cell.weight_hh, 0, 2 * H, H), bn)));
    }
    return [
      { name: 'r', activation: 'sigmoid', value: r },
      { name: 'z', activation: 'sigmoid', value: z },
      { name: 'n', activation: 'tanh', value: n },
    ];
  }
  // eq. 5.1 — the RNN's h_t
  const pre = add(xW, linear(hPrev, cell.weight_hh, cell.bias_hh));
  return cell.nonlinearity === 'tanh'
    ? [{ name: 'h', activation: 'tanh', value: tanh(pre) }]
    : [{ name: 'h', activation: 'relu', value: relu(pre) }];
}

/** Runs `cell` over xs ([T] tensors [B, I]) in the given order, collecting gate activations. */
function runCell(cell: AnyCell, xs: readonly Tensor[], reverse: boolean): Run {
  const T = xs.length;
  const B = xs[0]!.shape[0]!;
  const hs: Tensor[] = new Array(T);
  let activations: GateActivations[] = [];
  // { h } or, for an LSTM, { h, c }: whatever the cell's step takes and returns.
  let state: { h: Tensor; c?: Tensor } = cell.initialState(B);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const gates = gatesOf(cell, xs[t]!, state.h);
    if (s === 0) {
      activations = gates.map((g) => ({
        gate: g.name,
        activation: g.activation,
        perStep: new Array(T),
      }));
    }
    gates.forEach((g, k) => {
      activations[k]!.perStep[t] = g.value.data;
    });
    state = (cell as RNNCell).step(xs[t]!, state); // (an LSTMCell takes and returns c too)
    hs[t] = state.h;
  }
  return { activations, hs };
}

function summarize(
  activations: GateActivations[],
  thresholds: Required<SaturationThresholds>,
): GateSaturation[] {
  const { sigmoidLow, sigmoidHigh, tanhAbove } = thresholds;
  return activations.map(({ gate, activation, perStep }) => {
    let low = 0;
    let high = 0;
    let total = 0;
    const fractions: number[] = [];
    const means: number[] = [];
    for (const values of perStep) {
      let saturated = 0;
      let sum = 0;
      for (let i = 0; i < values.length; i++) {
        const a = values[i]!;
        sum += a;
        if (activation === 'sigmoid') {
          if (a < sigmoidLow) {
            low++;
            saturated++;
          } else if (a > sigmoidHigh) {
            high++;
            saturated++;
          }
        } else if (activation === 'tanh') {
          if (Math.abs(a) > tanhAbove) saturated++;
        } else if (a === 0) saturated++;
      }
      total += values.length;
      fractions.push(saturated / values.length);
      means.push(sum / values.length);
    }
    const overall = fractions.reduce((s, f) => s + f, 0) / fractions.length;
    const result: GateSaturation = {
      gate,
      activation,
      perStep: fractions,
      overall,
      meanPerStep: means,
    };
    if (activation === 'sigmoid') {
      result.low = low / total;
      result.high = high / total;
    }
    return result;
  });
}

function kindOf(cell: AnyCell): 'rnn' | 'lstm' | 'gru' {
  return cell instanceof LSTMCell ? 'lstm' : cell instanceof GRUCell ? 'gru' : 'rnn';
}

/**
 * Gate saturation of a cell, or of every layer and direction of a stacked RNN/LSTM/GRU,
 * over the inputs xs [B, T, I] (batch-first; full-length sequences, from zero states).
 */
export function saturation(
  source: AnyCell | RNN | LSTM | GRU,
  xs: Tensor,
  thresholds: SaturationThresholds = {},
): SaturationReport[] {
  const limits = { sigmoidLow: 0.05, sigmoidHigh: 0.95, tanhAbove: 0.95, ...thresholds };
  if (
    !(limits.sigmoidLow > 0 && limits.sigmoidLow < limits.sigmoidHigh && limits.sigmoidHigh < 1)
  ) {
    throw new RangeError(
      `saturation: need 0 < sigmoidLow < sigmoidHigh < 1, got ${limits.sigmoidLow} and ${limits.sigmoidHigh}`,
    );
  }
  if (!(limits.tanhAbove > 0 && limits.tanhAbove < 1)) {
    throw new RangeError(`saturation: tanhAbove must be in (0, 1), got ${limits.tanhAbove}`);
  }
  if (xs.rank !== 3) {
    throw new RangeError(
      `saturation: xs must be [batch, steps, inputSize], got [${xs.shape.join(', ')}]`,
    );
  }
  const [B, T, I] = xs.shape as [number, number, number];
  const steps = Array.from({ length: T }, (_, t) => narrow(xs, 1, t, 1).reshape([B, I]));
  return noGrad(() => {
    const layers: { where: string; cell: AnyCell; reverse: boolean }[][] =
      source instanceof RNNCell || source instanceof LSTMCell || source instanceof GRUCell
        ? [[{ where: 'cell', cell: source, reverse: false }]]
        : source.cells.map((row, l) =>
            row.map((cell, d) => ({
              where: `layer ${l}${d === 1 ? ' reverse' : ''}`,
              cell: cell as AnyCell,
              reverse: d === 1,
            })),
          );
    const reports: SaturationReport[] = [];
    let inputs = steps;
    for (const row of layers) {
      const runs = row.map(({ where, cell, reverse }) => {
        const run = runCell(cell, inputs, reverse);
        const report: SaturationReport = {
          where,
          kind: kindOf(cell),
          gates: summarize(run.activations, limits),
          activations: run.activations,
          thresholds: limits,
        };
        const f = report.gates.find((g) => g.gate === 'f');
        if (report.kind === 'lstm' && f) report.forgetGateMean = f.meanPerStep;
        reports.push(report);
        return run;
      });
      inputs =
        runs.length === 1
          ? runs[0]!.hs
          : runs[0]!.hs.map((h, t) => concat([h, runs[1]!.hs[t]!], 1));
    }
    return reports;
  });
}
