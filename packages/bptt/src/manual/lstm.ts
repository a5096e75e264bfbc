/**
 * An LSTM over a whole sequence, forward and backward by hand (PyTorch's LSTMCell,
 * gates stacked i, f, g, o in weight_ih/weight_hh). Rows are batch entries, so a state
 * is a row vector and a weight [out, in] is applied as x W_ihᵀ (chapter 5, eqs. 5.2–5.5):
 *
 *   [ĩ, f̃, g̃, õ] = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh
 *   i = σ(ĩ)   f = σ(f̃)   g = tanh(g̃)   o = σ(õ)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 *
 * Backward (chapter 6, eqs. 6.2 and 6.8–6.12), walking t = T … 1, with dhNext and dcNext
 * the parts of ∂L/∂h_t and ∂L/∂c_t that arrive from step t+1 (zero at t = T, or the
 * given ∂L/∂h_T, ∂L/∂c_T):
 *   dh     = ∂L_t/∂h_t + dhNext                     (= ∂L/∂h_t)
 *   dc     = dcNext + dh ⊙ o ⊙ (1 − tanh²(c_t))     (c_t reaches L through c_{t+1} and h_t)
 *   do     = dh ⊙ tanh(c_t)        → dõ = do ⊙ o(1 − o)
 *   di     = dc ⊙ g                → dĩ = di ⊙ i(1 − i)
 *   dg     = dc ⊙ i                → dg̃ = dg ⊙ (1 − g²)
 *   df     = dc ⊙ c_{t−1}          → df̃ = df ⊙ f(1 − f)
 *   dcNext = dc ⊙ f                (the additive path: no squashing, only the gate f)
 *   dhNext = [dĩ, df̃, dg̃, dõ] W_hh
 * and the parameter gradients are sums over t of dGates_tᵀ x_t and dGates_tᵀ h_{t−1}.
 */

import { gemmPacked, packRight } from '@unroll/tensor';
import {
  addBiases,
  type BackwardOptions,
  type CellGradients,
  type CellWeights,
  checkCellInputs,
  checkSize,
  lazyInputGradient,
  linearParameterGradients,
  projectRows,
  type SequenceDims,
  sigmoid,
  toBatchFirst,
  toTimeMajor,
} from './sequence.ts';
import { stepReporter } from './step-hook.ts';

export interface LSTMTape {
  dims: SequenceDims;
  /** [T, B, I] */
  xs: Float64Array;
  /** [T, B, 4H]: the activated gates i, f, g, o of every step. */
  gates: Float64Array;
  /** [T+1, B, H]: cs[0] = c_0. */
  cs: Float64Array;
  /** [T, B, H]: tanh(c_t), saved so the backward pass need not recompute it. */
  tanhCs: Float64Array;
  /** [T+1, B, H]: hs[0] = h_0. */
  hs: Float64Array;
  /** [B, T, H] */
  output: Float64Array;
  /** [B, H] */
  hT: Float64Array;
  /** [B, H] */
  cT: Float64Array;
}

export interface LSTMGradients extends CellGradients {
  /** [B, T, I], computed the first time it is read. */
  readonly dxs: Float64Array;
  dh0: Float64Array;
  dc0: Float64Array;
}

/** Runs the LSTM over xs [B, T, I] from (h0, c0) [B, H] each (zeros when null). */
export function lstmForward(
  weights: CellWeights,
  xs: Float64Array,
  state0: { h: Float64Array; c: Float64Array } | null,
  dims: SequenceDims,
): LSTMTape {
  checkCellInputs('lstmForward', weights, xs, dims, 4);
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H } = dims;
  checkSize('lstmForward', 'state0.h', state0?.h, [B, H]);
  checkSize('lstmForward', 'state0.c', state0?.c, [B, H]);
  const G = 4 * H;
  const BH = B * H;
  const xsT = toTimeMajor(xs, B, T, I);
  // Pre-activations of every step: x_t W_ihᵀ + b_ih + b_hh now, h_{t−1} W_hhᵀ inside the loop.
  // eq. 5.2 — LSTM pre-activations [ĩ, f̃, g̃, õ]
  const gates = projectRows(
    xsT,
    weights.weight_ih,
    addBiases(weights.bias_ih, weights.bias_hh),
    T * B,
    I,
    G,
  );
  const hs = new Float64Array((T + 1) * BH);
  const cs = new Float64Array((T + 1) * BH);
  const tanhCs = new Float64Array(T * BH);
  if (state0 !== null) {
    hs.set(state0.h);
    cs.set(state0.c);
  }
  // W_hhᵀ is the right operand of every step's product: prepared once for the pass.
  const W_hhT = packRight(weights.weight_hh, { k: H, n: G, transB: true });
  for (let t = 0; t < T; t++) {
    const pre = gates.subarray(t * B * G, (t + 1) * B * G);
    gemmPacked(pre, hs.subarray(t * BH, (t + 1) * BH), W_hhT, { m: B, accumulate: true });
    for (let b = 0; b < B; b++) {
      const row = b * G;
      const prevAt = t * BH + b * H; // where (t, b, 0) sits in cs/hs: c_{t−1}; c_t is BH further
      for (let j = 0; j < H; j++) {
        // eq. 5.3 — the gates through their nonlinearities
        const i = (pre[row + j] = sigmoid(pre[row + j]!));
        const f = (pre[row + H + j] = sigmoid(pre[row + H + j]!));
        const g = (pre[row + 2 * H + j] = Math.tanh(pre[row + 2 * H + j]!));
        const o = (pre[row + 3 * H + j] = sigmoid(pre[row + 3 * H + j]!));
        // eq. 5.4 — c_t = f ⊙ c_{t−1} + i ⊙ g
        const c = f * cs[prevAt + j]! + i * g;
        const tanhC = Math.tanh(c);
        cs[prevAt + BH + j] = c;
        tanhCs[prevAt + j] = tanhC;
        // eq. 5.5 — h_t = o ⊙ tanh(c_t)
        hs[prevAt + BH + j] = o * tanhC;
      }
    }
  }
  return {
    dims,
    xs: xsT,
    gates,
    cs,
    tanhCs,
    hs,
    output: toBatchFirst(hs.subarray(BH), T, B, H),
    hT: hs.slice(T * BH),
    cT: cs.slice(T * BH),
  };
}

/**
 * Backpropagates through the whole sequence from `dOutput` [B, T, H] (∂L/∂h_t for
 * every t, or null) and gradients on the final state `dhT`, `dcT` [B, H] (or null).
 */
export function lstmBackward(
  weights: CellWeights,
  tape: LSTMTape,
  dOutput: Float64Array | null,
  { dhT = null, dcT = null, onStep }: BackwardOptions = {},
): LSTMGradients {
  const { dims, xs, gates, cs, tanhCs, hs } = tape;
  const { batchSize: B, steps: T, hiddenSize: H } = dims;
  checkSize('lstmBackward', 'dOutput', dOutput, [B, T, H]);
  checkSize('lstmBackward', 'dhT', dhT, [B, H]);
  checkSize('lstmBackward', 'dcT', dcT, [B, H]);
  const G = 4 * H;
  const BH = B * H;
  const dhs = dOutput === null ? new Float64Array(T * BH) : toTimeMajor(dOutput, B, T, H);
  const dGates = new Float64Array(T * B * G); // [T, B, 4H]: ∂L/∂[ĩ, f̃, g̃, õ] of every step
  const dhNext = new Float64Array(BH);
  const dcNext = new Float64Array(BH);
  if (dhT !== null) dhNext.set(dhT);
  if (dcT !== null) dcNext.set(dcT);
  const W_hh = packRight(weights.weight_hh, { k: G, n: H }); // every step's right operand
  const report = stepReporter(onStep, dhs, dhNext); // null unless a diagnostic watches
  for (let t = T - 1; t >= 0; t--) {
    report?.(t);
    const dGate = dGates.subarray(t * B * G, (t + 1) * B * G);
    for (let b = 0; b < B; b++) {
      const row = t * B * G + b * G; // this (t, b)'s gates; dGate's row is b·G
      const stepAt = t * BH + b * H; // (t, b, 0) in the [T, B, H] arrays: c_{t−1}, tanh(c_t), dh_t
      const batchAt = b * H; // (b, 0) in the [B, H] arrays dhNext and dcNext
      for (let j = 0; j < H; j++) {
        const i = gates[row + j]!;
        const f = gates[row + H + j]!;
        const g = gates[row + 2 * H + j]!;
        const o = gates[row + 3 * H + j]!;
        const tanhC = tanhCs[stepAt + j]!;
        const cPrev = cs[stepAt + j]!;
        // eq. 6.2 — δ_t = ∂L_t/∂h_t + dhNext
        const dh = dhs[stepAt + j]! + dhNext[batchAt + j]!;
        // eq. 6.8 — dc_t = dcNext + dh ⊙ o ⊙ (1 − tanh² c_t): c_t's two roads
        const dc = dcNext[batchAt + j]! + dh * o * (1 - tanhC * tanhC);
        // eq. 6.10 — dĩ, df̃, dg̃ through σ′ and tanh′
        dGate[b * G + j] = dc * g * i * (1 - i); // dĩ
        dGate[b * G + H + j] = dc * cPrev * f * (1 - f); // df̃
        dGate[b * G + 2 * H + j] = dc * i * (1 - g * g); // dg̃
        // eq. 6.9 — dõ = dh ⊙ tanh(c_t) ⊙ o(1 − o)
        dGate[b * G + 3 * H + j] = dh * tanhC * o * (1 - o); // dõ
        // eq. 6.11 — dc_{t−1} = dc_t ⊙ f_t
        dcNext[batchAt + j] = dc * f;
      }
    }
    // eq. 6.12 — dhNext = [dĩ, df̃, dg̃, dõ] W_hh
    gemmPacked(dhNext, dGate, W_hh, { m: B });
  }
  const parameters = linearParameterGradients(dGates, xs, hs.subarray(0, T * BH), weights, dims, 4);
  const dxs = lazyInputGradient(dGates, weights.weight_ih, dims, 4);
  return {
    ...parameters,
    get dxs() {
      return dxs();
    },
    dh0: dhNext,
    dc0: dcNext,
  };
}
