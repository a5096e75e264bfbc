/**
 * What the hand-derived passes share: PyTorch's parameter layout, the sizes of a
 * batch of sequences, and the few loops that move data between layouts.
 *
 * Layouts. The caller's sequences are batch-first, xs[b, t, i] (as in `batchFirst`
 * layers). Inside a pass everything is time-major, [t, b, ·], so that step t is one
 * contiguous [B, ·] block — a matrix that a single gemm can multiply — and all T
 * steps together are one [T·B, ·] matrix. That second view is the trick that makes
 * the passes fast: the input projection x_t W_ihᵀ of every step is ONE gemm before
 * the time loop, and the weight gradients Σ_t dGates_tᵀ x_t and Σ_t dGates_tᵀ h_{t−1}
 * are ONE gemm each after it. Only the recurrence h_{t−1} → h_t has to be walked
 * step by step.
 */

import { gemm, sumRows } from '@unroll/tensor';
import type { StepHook } from './step-hook.ts';

/** One cell's parameters as flat row-major arrays, named and shaped as in PyTorch. */
export interface CellWeights {
  /** [G·H, I]: the G gate blocks stacked row-wise (LSTM i,f,g,o; GRU r,z,n). */
  weight_ih: Float64Array;
  /** [G·H, H] */
  weight_hh: Float64Array;
  /** [G·H], or null for `bias: false`. */
  bias_ih: Float64Array | null;
  /** [G·H], or null for `bias: false`. */
  bias_hh: Float64Array | null;
}

/** The gradients of a loss with respect to each of a cell's parameters. */
export type CellGradients = CellWeights;

/** What a backward pass is given besides ∂L/∂output, and what it may skip. */
export interface BackwardOptions {
  /** ∂L/∂h_T [B, H] from beyond the outputs (a loss on the final state); added to the last step's. */
  dhT?: Float64Array | null;
  /** ∂L/∂c_T [B, H] (LSTM only). */
  dcT?: Float64Array | null;
  /** Called with ∂L/∂h of every step as the pass walks back (step-hook.ts); for diagnostics. */
  onStep?: StepHook;
}

/** Sizes of a batch of sequences. */
export interface SequenceDims {
  batchSize: number;
  steps: number;
  inputSize: number;
  hiddenSize: number;
}

/**
 * Checks the sizes and the parameters against PyTorch's shapes and names the first
 * array that does not fit. `gates` is G: 1 for a vanilla RNN, 4 for an LSTM, 3 for a GRU.
 */
export function checkCellInputs(
  op: string,
  weights: CellWeights,
  xs: Float64Array,
  dims: SequenceDims,
  gates: number,
): void {
  for (const [name, size] of Object.entries(dims)) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`${op}: dims.${name} must be an integer ≥ 1, got ${size}`);
    }
  }
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H } = dims;
  checkSize(op, 'weight_ih', weights.weight_ih, [gates * H, I]);
  checkSize(op, 'weight_hh', weights.weight_hh, [gates * H, H]);
  checkSize(op, 'bias_ih', weights.bias_ih, [gates * H]);
  checkSize(op, 'bias_hh', weights.bias_hh, [gates * H]);
  checkSize(op, 'xs', xs, [B, T, I]);
}

/** Throws a RangeError naming `what` unless `array` (when given) has `shape`'s size. */
export function checkSize(
  op: string,
  what: string,
  array: Float64Array | null | undefined,
  shape: readonly number[],
): void {
  if (array == null) return;
  const size = shape.reduce((a, b) => a * b, 1);
  if (array.length !== size) {
    throw new RangeError(
      `${op}: ${what} has ${array.length} entries, expected [${shape.join(', ')}] = ${size}`,
    );
  }
}

/** [B, T, F] → [T, B, F]: each time step becomes one contiguous block. */
export function toTimeMajor(src: Float64Array, B: number, T: number, F: number): Float64Array {
  const out = new Float64Array(B * T * F);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const from = (b * T + t) * F;
      out.set(src.subarray(from, from + F), (t * B + b) * F);
    }
  }
  return out;
}

/** [T, B, F] → [B, T, F], the inverse of `toTimeMajor`. */
export function toBatchFirst(src: Float64Array, T: number, B: number, F: number): Float64Array {
  const out = new Float64Array(B * T * F);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const from = (t * B + b) * F;
      out.set(src.subarray(from, from + F), (b * T + t) * F);
    }
  }
  return out;
}

/**
 * gates[r, :] = x[r, :] Wᵀ + bias for every row r of x [rows, in]: the input projection
 * of every time step at once (W is [out, in], so no transpose is ever copied).
 */
export function projectRows(
  x: Float64Array,
  weight: Float64Array,
  bias: Float64Array | null,
  rows: number,
  inFeatures: number,
  outFeatures: number,
): Float64Array {
  const out = new Float64Array(rows * outFeatures);
  if (bias !== null) for (let r = 0; r < rows; r++) out.set(bias, r * outFeatures);
  gemm(out, x, weight, {
    m: rows,
    n: outFeatures,
    k: inFeatures,
    transB: true,
    accumulate: bias !== null,
  });
  return out;
}

/** b_ih + b_hh, or whichever exists (null when the cell has no bias). */
export function addBiases(a: Float64Array | null, b: Float64Array | null): Float64Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const sum = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) sum[j] = a[j]! + b[j]!;
  return sum;
}

/**
 * ∂L/∂xs [B, T, I] = dPre W_ih from the pre-activation gradients of every step,
 * dPre [T·B, G·H] time-major (x_t entered only through x_t W_ihᵀ). It costs one more
 * gemm that training on fixed data does not need, so the backward passes hand out
 * this function and compute it the first time `dxs` is read.
 */
export function lazyInputGradient(
  dPre: Float64Array,
  weight_ih: Float64Array,
  { batchSize: B, steps: T, inputSize: I, hiddenSize: H }: SequenceDims,
  gates: number,
): () => Float64Array {
  let dxs: Float64Array | null = null;
  return () => {
    if (dxs === null) {
      // eq. 6.7 — ∂L/∂x_t = dPre_t W_ih
      const timeMajor = new Float64Array(T * B * I);
      gemm(timeMajor, dPre, weight_ih, { m: T * B, n: I, k: gates * H });
      dxs = toBatchFirst(timeMajor, T, B, I);
    }
    return dxs;
  };
}

/**
 * The parameter gradients the RNN and the LSTM end with. The pre-activations are linear
 * in the parameters, pre_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh, so once the walk
 * back through time has left dPre_t = ∂L/∂pre_t for every step:
 *   dW_ih = Σ_t dPre_tᵀ x_t     dW_hh = Σ_t dPre_tᵀ h_{t−1}     db_ih = db_hh = Σ_t Σ_b dPre_t
 * Stored time-major, each sum over t is a sum over the rows of one product: one gemm each.
 * (The GRU's W_hh meets a different gradient than W_ih, so it writes its own.)
 */
export function linearParameterGradients(
  dPre: Float64Array,
  xs: Float64Array,
  hPrevs: Float64Array,
  weights: CellWeights,
  { batchSize: B, steps: T, inputSize: I, hiddenSize: H }: SequenceDims,
  gates: number,
): CellGradients {
  const G = gates * H;
  // eq. 6.6 — dW_ih = Σ_t dPre_tᵀ x_t, dW_hh = Σ_t dPre_tᵀ h_{t−1}, db = Σ_t Σ_b dPre_t
  const weight_ih = new Float64Array(G * I);
  gemm(weight_ih, dPre, xs, { m: G, n: I, k: T * B, transA: true });
  const weight_hh = new Float64Array(G * H);
  gemm(weight_hh, dPre, hPrevs, { m: G, n: H, k: T * B, transA: true });
  const dBias = sumRows(dPre, T * B, G);
  return {
    weight_ih,
    weight_hh,
    bias_ih: weights.bias_ih === null ? null : dBias,
    bias_hh: weights.bias_hh === null ? null : dBias.slice(),
  };
}

/**
 * Column sums of a [rows, cols] matrix: a bias gradient is the sum over batch and time.
 * The engine's own (tensor's matmul.ts), re-exported so the cells here import it with
 * the other helpers of this file.
 */
export { sumRows };

export function sigmoid(x: number): number {
  // NOTE: split by sign so exp never overflows: for x ≪ 0, e^x/(1+e^x) instead of 1/(1+e^−x).
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
