/**
 * A GRU over a whole sequence, forward and backward by hand, in both of its published
 * forms (gates stacked r, z, n in weight_ih/weight_hh, as in PyTorch; row vectors, so a
 * weight [out, in] acts as x W_ᵀ — chapter 5, eqs. 5.7–5.10):
 *
 *   r = σ(x W_irᵀ + b_ir + h_{t−1} W_hrᵀ + b_hr)
 *   z = σ(x W_izᵀ + b_iz + h_{t−1} W_hzᵀ + b_hz)
 *   resetAfter (PyTorch):   n = tanh(x W_inᵀ + b_in + r ⊙ (h_{t−1} W_hnᵀ + b_hn))
 *   reset before (Cho 2014): n = tanh(x W_inᵀ + b_in + (r ⊙ h_{t−1}) W_hnᵀ + b_hn)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 * Backward (chapter 6, eqs. 6.13–6.16), shared by both, walking t = T … 1: with
 * dh = ∂L_t/∂h_t + dhNext (= ∂L/∂h_t; dhNext is the part of it from step t+1),
 *   dn = dh ⊙ (1 − z)        → dñ = dn ⊙ (1 − n²)
 *   dz = dh ⊙ (h_{t−1} − n)  → dz̃ = dz ⊙ z(1 − z)
 *   dhNext starts as dh ⊙ z   (the gated skip connection h_{t−1} → h_t)
 * They differ in where r met h_{t−1}:
 *   resetAfter: hn = h_{t−1} W_hnᵀ + b_hn, so  dr = dñ ⊙ hn,  and the n rows of the
 *               recurrent matmul receive dñ ⊙ r
 *   Cho:        rh = r ⊙ h_{t−1}, so  drh = dñ W_hn,  dr = drh ⊙ h_{t−1},  dhNext += drh ⊙ r,
 *               and dW_hn = Σ dñᵀ rh
 * and in both dr̃ = dr ⊙ r(1 − r).
 */

import { gemm, gemmPacked, type PackedRight, packRight } from '@unroll/tensor';
import {
  addBiases,
  type BackwardOptions,
  type CellGradients,
  type CellWeights,
  checkCellInputs,
  checkSize,
  lazyInputGradient,
  projectRows,
  type SequenceDims,
  sigmoid,
  sumRows,
  toBatchFirst,
  toTimeMajor,
} from './sequence.ts';
import { stepReporter } from './step-hook.ts';

export interface GRUTape {
  dims: SequenceDims;
  resetAfter: boolean;
  /** [T, B, I] */
  xs: Float64Array;
  /** [T, B, 3H]: the activated r, z, n of every step. */
  gates: Float64Array;
  /** [T, B, H]: resetAfter: hn = W_hn·h_{t−1} + b_hn; Cho: rh = r ⊙ h_{t−1}. */
  resetInput: Float64Array;
  /** [T+1, B, H]: hs[0] = h_0. */
  hs: Float64Array;
  /** [B, T, H] */
  output: Float64Array;
  /** [B, H] */
  hT: Float64Array;
}

export interface GRUGradients extends CellGradients {
  /** [B, T, I], computed the first time it is read. */
  readonly dxs: Float64Array;
  dh0: Float64Array;
}

/** Runs the GRU over xs [B, T, I] from h0 [B, H] (zeros when null). */
export function gruForward(
  weights: CellWeights,
  xs: Float64Array,
  h0: Float64Array | null,
  dims: SequenceDims,
  { resetAfter = true }: { resetAfter?: boolean } = {},
): GRUTape {
  checkCellInputs('gruForward', weights, xs, dims, 3);
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H } = dims;
  checkSize('gruForward', 'h0', h0, [B, H]);
  const G = 3 * H;
  const BH = B * H;
  const xsT = toTimeMajor(xs, B, T, I);
  // resetAfter keeps b_hn apart (r multiplies it); Cho's form may fold both biases in.
  const bias = resetAfter ? weights.bias_ih : addBiases(weights.bias_ih, weights.bias_hh);
  const gates = projectRows(xsT, weights.weight_ih, bias, T * B, I, G);
  const resetInput = new Float64Array(T * BH);
  const hs = new Float64Array((T + 1) * BH);
  if (h0 !== null) hs.set(h0);
  const step = resetAfter ? resetAfterStep : resetBeforeStep;
  const scratch = new Float64Array(B * G);
  const recurrent = packRecurrent(weights.weight_hh, H);
  for (let t = 0; t < T; t++) {
    step(
      weights,
      recurrent,
      B,
      H,
      gates.subarray(t * B * G, (t + 1) * B * G),
      hs.subarray(t * BH, (t + 1) * BH),
      hs.subarray((t + 1) * BH, (t + 2) * BH),
      resetInput.subarray(t * BH, (t + 1) * BH),
      scratch,
    );
  }
  return {
    dims,
    resetAfter,
    xs: xsT,
    gates,
    resetInput,
    hs,
    output: toBatchFirst(hs.subarray(BH), T, B, H),
    hT: hs.slice(T * BH),
  };
}

/** The right operands of every forward step, prepared once per pass (see packRight). */
interface RecurrentWeights {
  /** W_hhᵀ [H, 3H] */
  W_hhT: PackedRight;
  /** W_hrzᵀ [H, 2H]: the r and z blocks (Cho's form). */
  W_hrzT: PackedRight;
  /** W_hnᵀ [H, H]: the n block (Cho's form). */
  W_hnT: PackedRight;
}

function packRecurrent(weight_hh: Float64Array, H: number): RecurrentWeights {
  return {
    W_hhT: packRight(weight_hh, { k: H, n: 3 * H, transB: true }),
    W_hrzT: packRight(weight_hh.subarray(0, 2 * H * H), { k: H, n: 2 * H, transB: true }),
    W_hnT: packRight(weight_hh.subarray(2 * H * H), { k: H, n: H, transB: true }),
  };
}

/** One PyTorch step: `pre` [B, 3H] holds x W_ihᵀ + b_ih and receives the activated r, z, n. */
function resetAfterStep(
  weights: CellWeights,
  { W_hhT }: RecurrentWeights,
  B: number,
  H: number,
  pre: Float64Array,
  hPrev: Float64Array,
  h: Float64Array,
  hn: Float64Array,
  gh: Float64Array,
): void {
  const G = 3 * H;
  const b_hh = weights.bias_hh;
  for (let b = 0; b < B; b++) {
    if (b_hh === null) gh.fill(0, b * G, (b + 1) * G);
    else gh.set(b_hh, b * G);
  }
  gemmPacked(gh, hPrev, W_hhT, { m: B, accumulate: true });
  for (let b = 0; b < B; b++) {
    const row = b * G;
    for (let j = 0; j < H; j++) {
      const s = b * H + j;
      // eq. 5.7 — r, z = σ(x W_ᵀ + b + h_{t−1} W_ᵀ + b)
      const r = (pre[row + j] = sigmoid(pre[row + j]! + gh[row + j]!));
      const z = (pre[row + H + j] = sigmoid(pre[row + H + j]! + gh[row + H + j]!));
      hn[s] = gh[row + 2 * H + j]!;
      // eq. 5.8 — n = tanh(x W_inᵀ + b_in + r ⊙ (h_{t−1} W_hnᵀ + b_hn))
      const n = (pre[row + 2 * H + j] = Math.tanh(pre[row + 2 * H + j]! + r * hn[s]!));
      // eq. 5.10 — h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
      h[s] = (1 - z) * n + z * hPrev[s]!;
    }
  }
}

/** One Cho et al. step: `pre` [B, 3H] holds x W_ihᵀ + b_ih + b_hh and receives r, z, n. */
function resetBeforeStep(
  _weights: CellWeights,
  { W_hrzT, W_hnT }: RecurrentWeights,
  B: number,
  H: number,
  pre: Float64Array,
  hPrev: Float64Array,
  h: Float64Array,
  rh: Float64Array,
  scratch: Float64Array,
): void {
  const G = 3 * H;
  const ghRZ = scratch.subarray(0, B * 2 * H);
  const ghN = scratch.subarray(B * 2 * H);
  gemmPacked(ghRZ, hPrev, W_hrzT, { m: B });
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j++) {
      const s = b * H + j;
      const r = (pre[b * G + j] = sigmoid(pre[b * G + j]! + ghRZ[b * 2 * H + j]!));
      pre[b * G + H + j] = sigmoid(pre[b * G + H + j]! + ghRZ[b * 2 * H + H + j]!);
      rh[s] = r * hPrev[s]!;
    }
  }
  // eq. 5.9 — n = tanh(x W_inᵀ + b_in + (r ⊙ h_{t−1}) W_hnᵀ + b_hn)
  gemmPacked(ghN, rh, W_hnT, { m: B });
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j++) {
      const s = b * H + j;
      const z = pre[b * G + H + j]!;
      const n = (pre[b * G + 2 * H + j] = Math.tanh(pre[b * G + 2 * H + j]! + ghN[s]!));
      // eq. 5.10 — h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
      h[s] = (1 - z) * n + z * hPrev[s]!;
    }
  }
}

/**
 * Backpropagates through the whole sequence from `dOutput` [B, T, H] (∂L/∂h_t for every
 * t, or null) and a further gradient `dhT` [B, H] on the final state (or null).
 */
export function gruBackward(
  weights: CellWeights,
  tape: GRUTape,
  dOutput: Float64Array | null,
  { dhT = null, onStep }: BackwardOptions = {},
): GRUGradients {
  const { dims, xs, gates, resetInput, hs, resetAfter } = tape;
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H } = dims;
  checkSize('gruBackward', 'dOutput', dOutput, [B, T, H]);
  checkSize('gruBackward', 'dhT', dhT, [B, H]);
  const G = 3 * H;
  const BH = B * H;
  const dhs = dOutput === null ? new Float64Array(T * BH) : toTimeMajor(dOutput, B, T, H);
  // ∂L/∂(pre-activations) of every step: dGx reaches W_ih, b_ih and x; dGh reaches W_hh, b_hh.
  // They differ only in the n block, and only for resetAfter (where r scales W_hn·h + b_hn).
  const dGx = new Float64Array(T * B * G);
  const dGh = resetAfter ? new Float64Array(T * B * G) : dGx;
  const dhNext = new Float64Array(BH);
  if (dhT !== null) dhNext.set(dhT);
  // Every step's right operands, prepared once for the pass (see packRight).
  const W_hh = packRight(weights.weight_hh, { k: G, n: H });
  const W_hrz = packRight(weights.weight_hh.subarray(0, 2 * H * H), { k: 2 * H, n: H });
  const W_hn = packRight(weights.weight_hh.subarray(2 * H * H), { k: H, n: H });
  const drh = new Float64Array(BH);
  const report = stepReporter(onStep, dhs, dhNext); // null unless a diagnostic watches
  for (let t = T - 1; t >= 0; t--) {
    report?.(t);
    const rows = t * B * G;
    for (let b = 0; b < B; b++) {
      const row = rows + b * G;
      for (let j = 0; j < H; j++) {
        const s = b * H + j;
        const r = gates[row + j]!;
        const z = gates[row + H + j]!;
        const n = gates[row + 2 * H + j]!;
        const hPrev = hs[t * BH + s]!;
        // eq. 6.2 — δ_t = ∂L_t/∂h_t + dhNext
        const dh = dhs[t * BH + s]! + dhNext[s]!;
        // eq. 6.13 — dñ, dz̃, and the skip path dh ⊙ z
        const dnRaw = dh * (1 - z) * (1 - n * n); // dñ
        const dzRaw = dh * (hPrev - n) * z * (1 - z); // dz̃
        dGx[row + H + j] = dzRaw;
        dGx[row + 2 * H + j] = dnRaw;
        dhNext[s] = dh * z; // the gated skip path; the matmul paths are added below
        if (resetAfter) {
          // eq. 6.14 — dr̃ = dñ ⊙ hn ⊙ r(1 − r); W_hn's rows receive dñ ⊙ r
          const hn = resetInput[t * BH + s]!;
          const drRaw = dnRaw * hn * r * (1 - r); // dr̃
          dGx[row + j] = dGh[row + j] = drRaw;
          dGh[row + H + j] = dzRaw;
          dGh[row + 2 * H + j] = dnRaw * r;
        }
      }
    }
    if (resetAfter) {
      gemmPacked(dhNext, dGh.subarray(rows, rows + B * G), W_hh, { m: B, accumulate: true });
      continue;
    }
    // Cho: n saw r ⊙ h_{t−1} through W_hn, so first push dñ back through W_hn, then split it.
    // eq. 6.15 — drh = dñ W_hn, dr̃ = drh ⊙ h_{t−1} ⊙ r(1 − r), dhNext += drh ⊙ r + [dr̃ dz̃] W_hrz
    const dN = gatherBlock(dGx, rows, B, G, 2 * H, H);
    gemmPacked(drh, dN, W_hn, { m: B });
    for (let b = 0; b < B; b++) {
      const row = rows + b * G;
      for (let j = 0; j < H; j++) {
        const s = b * H + j;
        const r = gates[row + j]!;
        dGx[row + j] = drh[s]! * hs[t * BH + s]! * r * (1 - r); // dr̃ = (drh ⊙ h_{t−1}) ⊙ r(1 − r)
        dhNext[s]! += drh[s]! * r;
      }
    }
    const dRZ = gatherBlock(dGx, rows, B, G, 0, 2 * H);
    gemmPacked(dhNext, dRZ, W_hrz, { m: B, accumulate: true });
  }
  // eq. 6.16 — the GRU's weight gradients: W_ih meets dGx, W_hh meets dGh (or dñ and r ⊙ h)
  const weight_ih = new Float64Array(G * I);
  gemm(weight_ih, dGx, xs, { m: G, n: I, k: T * B, transA: true });
  const weight_hh = new Float64Array(G * H);
  if (resetAfter) {
    gemm(weight_hh, dGh, hs.subarray(0, T * BH), { m: G, n: H, k: T * B, transA: true });
  } else {
    // Rows r, z met h_{t−1}; rows n met r ⊙ h_{t−1}: two products, each into its own row block.
    const dRZ = gatherBlock(dGx, 0, T * B, G, 0, 2 * H);
    const dN = gatherBlock(dGx, 0, T * B, G, 2 * H, H);
    gemm(weight_hh.subarray(0, 2 * H * H), dRZ, hs.subarray(0, T * BH), {
      m: 2 * H,
      n: H,
      k: T * B,
      transA: true,
    });
    gemm(weight_hh.subarray(2 * H * H), dN, resetInput, { m: H, n: H, k: T * B, transA: true });
  }
  const dxs = lazyInputGradient(dGx, weights.weight_ih, dims, 3);
  return {
    weight_ih,
    weight_hh,
    bias_ih: weights.bias_ih === null ? null : sumRows(dGx, T * B, G),
    bias_hh: weights.bias_hh === null ? null : sumRows(dGh, T * B, G),
    get dxs() {
      return dxs();
    },
    dh0: dhNext,
  };
}

/** Copies columns [from, from + width) of `rows` rows of a [·, stride] matrix into a dense block. */
function gatherBlock(
  src: Float64Array,
  offset: number,
  rows: number,
  stride: number,
  from: number,
  width: number,
): Float64Array {
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const start = offset + r * stride + from;
    out.set(src.subarray(start, start + width), r * width);
  }
  return out;
}
