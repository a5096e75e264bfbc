/**
 * A vanilla (Elman) RNN over a whole sequence, forward and backward by hand. Rows are
 * batch entries (row vectors, batch-first), so weights [out, in] act as x W_ihᵀ:
 *
 *   a_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh      (the pre-activation, eq. 6.1)
 *   h_t = φ(a_t),   φ = tanh or relu
 *
 * Backward (chapter 6, eqs. 6.2–6.7), walking t = T … 1, with dhNext the part of
 * ∂L/∂h_t that arrives from step t+1 (zero at t = T, or the given ∂L/∂h_T):
 *   dh     = ∂L_t/∂h_t + dhNext  (the loss's own share at step t, plus that: ∂L/∂h_t)
 *   dhRaw  = dh ⊙ φ'(a_t)        tanh' = 1 − h_t²,  relu' = [h_t > 0]
 *   dhNext = dhRaw W_hh           (what flows on to h_{t−1})
 *   dW_ih  = Σ_t dhRawᵀ x_t,  dW_hh = Σ_t dhRawᵀ h_{t−1},  db_ih = db_hh = Σ_t Σ_b dhRaw
 * Only dhNext has to be computed inside the time loop; the three sums are one gemm
 * each over all T·B rows after it (see sequence.ts).
 */

import { gemm, gemmPacked, packRight } from '@unroll/tensor';
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
  toBatchFirst,
  toTimeMajor,
} from './sequence.ts';
import { stepReporter } from './step-hook.ts';

export type Nonlinearity = 'tanh' | 'relu';

/** What the forward pass saves for the backward pass (time-major inside). */
export interface RNNTape {
  dims: SequenceDims;
  nonlinearity: Nonlinearity;
  /** [T, B, I] */
  xs: Float64Array;
  /** [T+1, B, H]: hs[0] = h_0, hs[t] = h_t. */
  hs: Float64Array;
  /** [B, T, H]: h_1 … h_T, batch-first like a layer's `output`. */
  output: Float64Array;
  /** [B, H]: the final state h_T. */
  hT: Float64Array;
}

export interface RNNGradients extends CellGradients {
  /** [B, T, I], computed the first time it is read. */
  readonly dxs: Float64Array;
  /** [B, H] */
  dh0: Float64Array;
}

/** Runs the RNN over xs [B, T, I] from h0 [B, H] (zeros when null), saving activations. */
export function rnnForward(
  weights: CellWeights,
  xs: Float64Array,
  h0: Float64Array | null,
  dims: SequenceDims,
  nonlinearity: Nonlinearity = 'tanh',
): RNNTape {
  checkCellInputs('rnnForward', weights, xs, dims, 1);
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H } = dims;
  checkSize('rnnForward', 'h0', h0, [B, H]);
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
    throw new RangeError(
      `rnnForward: nonlinearity must be 'tanh' or 'relu', got '${nonlinearity}'`,
    );
  }
  const { weight_ih: W_ih, weight_hh: W_hh, bias_ih: b_ih, bias_hh: b_hh } = weights;
  const xsT = toTimeMajor(xs, B, T, I);
  // x_t W_ihᵀ + b_ih + b_hh for all steps at once; step t then adds h_{t−1} W_hhᵀ.
  // eq. 6.1 — a_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh, h_t = φ(a_t)
  const xProj = projectRows(xsT, W_ih, addBiases(b_ih, b_hh), T * B, I, H);
  const hs = new Float64Array((T + 1) * B * H);
  if (h0 !== null) hs.set(h0);
  const BH = B * H;
  const W_hhT = packRight(W_hh, { k: H, n: H, transB: true }); // prepared once for the pass
  for (let t = 0; t < T; t++) {
    const hPrev = hs.subarray(t * BH, (t + 1) * BH);
    const a = hs.subarray((t + 1) * BH, (t + 2) * BH);
    a.set(xProj.subarray(t * BH, (t + 1) * BH));
    gemmPacked(a, hPrev, W_hhT, { m: B, accumulate: true });
    if (nonlinearity === 'tanh') for (let r = 0; r < BH; r++) a[r] = Math.tanh(a[r]!);
    else for (let r = 0; r < BH; r++) a[r] = Math.max(a[r]!, 0);
  }
  const output = toBatchFirst(hs.subarray(BH), T, B, H);
  const hT = hs.slice(T * BH);
  return { dims, nonlinearity, xs: xsT, hs, output, hT };
}

/**
 * Backpropagates through the whole sequence. `dOutput` [B, T, H] is ∂L/∂h_t for every
 * t (null if the loss does not read the outputs); `dhT` [B, H] is a further gradient on
 * the final state (added to ∂L/∂h_T). Returns the gradient of every parameter, of xs
 * and of h0.
 */
export function rnnBackward(
  weights: CellWeights,
  tape: RNNTape,
  dOutput: Float64Array | null,
  { dhT = null, onStep }: BackwardOptions = {},
): RNNGradients {
  const { dims, hs, xs, nonlinearity } = tape;
  const { batchSize: B, steps: T, hiddenSize: H } = dims;
  checkSize('rnnBackward', 'dOutput', dOutput, [B, T, H]);
  checkSize('rnnBackward', 'dhT', dhT, [B, H]);
  // BEGIN EXERCISE rnn-bptt
  const BH = B * H;
  const dhs = dOutput === null ? new Float64Array(T * BH) : toTimeMajor(dOutput, B, T, H);
  const dhRaws = new Float64Array(T * BH); // [T, B, H], kept for the weight gemms
  const dhNext = new Float64Array(BH);
  if (dhT !== null) dhNext.set(dhT);
  const report = stepReporter(onStep, dhs, dhNext); // null unless a diagnostic watches
  for (let t = T - 1; t >= 0; t--) {
    report?.(t);
    const h = hs.subarray((t + 1) * BH, (t + 2) * BH);
    const dh = dhs.subarray(t * BH, (t + 1) * BH);
    const dhRaw = dhRaws.subarray(t * BH, (t + 1) * BH);
    // φ' is read off the saved output: tanh' = 1 − h², relu' = [h > 0].
    // NOTE relu'(0) is taken as 0, as PyTorch does.
    // eq. 6.2 — δ_t = dh + dhNext
    // eq. 6.4 — dhRaw_t = δ_t ⊙ φ′(a_t)
    if (nonlinearity === 'tanh') {
      for (let r = 0; r < BH; r++) dhRaw[r] = (dh[r]! + dhNext[r]!) * (1 - h[r]! * h[r]!);
    } else {
      for (let r = 0; r < BH; r++) dhRaw[r] = h[r]! > 0 ? dh[r]! + dhNext[r]! : 0;
    }
    // eq. 6.3 — the step Jacobian diag(1 − h²) W_hh, applied as (6.4) then (6.5)
    // eq. 6.5 — dhNext = dhRaw_t W_hh
    gemm(dhNext, dhRaw, weights.weight_hh, { m: B, n: H, k: H });
  }
  const parameters = linearParameterGradients(dhRaws, xs, hs.subarray(0, T * BH), weights, dims, 1);
  const dxs = lazyInputGradient(dhRaws, weights.weight_ih, dims, 1);
  return {
    ...parameters,
    get dxs() {
      return dxs();
    },
    dh0: dhNext,
  };
  // END EXERCISE rnn-bptt
}
