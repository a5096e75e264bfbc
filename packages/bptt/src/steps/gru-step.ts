/**
 * One step of a GRU in PyTorch's form (gates stacked r, z, n; r applied to
 * W_hn·h_{t−1} + b_hn), forward and backward, with an explicit cache:
 *
 *   [gx_r, gx_z, gx_n] = W_ih·x_t + b_ih        [gh_r, gh_z, gh_n] = W_hh·h_{t−1} + b_hh
 *   r = σ(gx_r + gh_r)    z = σ(gx_z + gh_z)    n = tanh(gx_n + r ⊙ gh_n)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 * The backward step is derived, line by line, in gruStepBackward.
 */

import { gemm } from '@unroll/tensor';
import { type CellWeights, projectRows, sigmoid, sumRows } from '../manual/sequence.ts';
import { checkStepInputs, type StepDims, type StepGradients } from './step.ts';

/** What gruStepForward saves for gruStepBackward. */
export interface GRUStepCache {
  dims: StepDims;
  weights: CellWeights;
  /** [B, I] */
  x: Float64Array;
  /** [B, H] */
  hPrev: Float64Array;
  /** [B, 3H]: the activated gates r, z, n, each row laid out as [r | z | n]. */
  gates: Float64Array;
  /** [B, H]: gh_n = W_hn·h_{t−1} + b_hn, what r multiplied. */
  hn: Float64Array;
}

/** h_t [B, H] from x_t [B, I] and h_{t−1} [B, H]. */
export function gruStepForward(
  x: Float64Array,
  hPrev: Float64Array,
  weights: CellWeights,
  dims: StepDims,
): { h: Float64Array; cache: GRUStepCache } {
  checkStepInputs('gruStepForward', weights, x, hPrev, dims, 3);
  // BEGIN EXERCISE gru-step-forward
  const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
  const gates = projectRows(x, weights.weight_ih, weights.bias_ih, B, I, 3 * H);
  const gh = projectRows(hPrev, weights.weight_hh, weights.bias_hh, B, H, 3 * H);
  const hn = new Float64Array(B * H);
  const h = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const row = b * 3 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const r = (gates[row + j] = sigmoid(gates[row + j]! + gh[row + j]!));
      const z = (gates[row + H + j] = sigmoid(gates[row + H + j]! + gh[row + H + j]!));
      hn[k] = gh[row + 2 * H + j]!;
      const n = (gates[row + 2 * H + j] = Math.tanh(gates[row + 2 * H + j]! + r * hn[k]!));
      h[k] = (1 - z) * n + z * hPrev[k]!;
    }
  }
  return { h, cache: { dims, weights, x, hPrev, gates, hn } };
  // END EXERCISE gru-step-forward
}

/** The gradients of one step from dhNext = ∂L/∂h_t [B, H]. */
export function gruStepBackward(dhNext: Float64Array, cache: GRUStepCache): StepGradients {
  const { dims, weights, x, hPrev, gates, hn } = cache;
  // BEGIN EXERCISE gru-step-backward
  // Backward from dhNext = ∂L/∂h_t:
  //   dñ = dhNext ⊙ (1 − z) ⊙ (1 − n²)          dz̃ = dhNext ⊙ (h_{t−1} − n) ⊙ z(1 − z)
  //   dr̃ = dñ ⊙ gh_n ⊙ r(1 − r)
  //   ∂L/∂gx = [dr̃, dz̃, dñ]                     ∂L/∂gh = [dr̃, dz̃, dñ ⊙ r]
  //   dx = ∂L/∂gx·W_ih    dW_ih = ∂L/∂gxᵀ·x_t    db_ih = Σ_b ∂L/∂gx
  //   dh_{t−1} = dhNext ⊙ z + ∂L/∂gh·W_hh    dW_hh = ∂L/∂ghᵀ·h_{t−1}    db_hh = Σ_b ∂L/∂gh
  const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
  const dGx = new Float64Array(B * 3 * H); // ∂L/∂gx
  const dGh = new Float64Array(B * 3 * H); // ∂L/∂gh
  const dhPrev = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const row = b * 3 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const r = gates[row + j]!;
      const z = gates[row + H + j]!;
      const n = gates[row + 2 * H + j]!;
      const dh = dhNext[k]!;
      const dnPre = dh * (1 - z) * (1 - n * n);
      const dzPre = dh * (hPrev[k]! - n) * z * (1 - z);
      const drPre = dnPre * hn[k]! * r * (1 - r);
      dGx[row + j] = dGh[row + j] = drPre;
      dGx[row + H + j] = dGh[row + H + j] = dzPre;
      dGx[row + 2 * H + j] = dnPre;
      dGh[row + 2 * H + j] = dnPre * r;
      dhPrev[k] = dh * z;
    }
  }
  gemm(dhPrev, dGh, weights.weight_hh, { m: B, n: H, k: 3 * H, accumulate: true });
  const dx = new Float64Array(B * I);
  gemm(dx, dGx, weights.weight_ih, { m: B, n: I, k: 3 * H });
  const weight_ih = new Float64Array(3 * H * I);
  gemm(weight_ih, dGx, x, { m: 3 * H, n: I, k: B, transA: true });
  const weight_hh = new Float64Array(3 * H * H);
  gemm(weight_hh, dGh, hPrev, { m: 3 * H, n: H, k: B, transA: true });
  return {
    dx,
    dhPrev,
    weight_ih,
    weight_hh,
    bias_ih: weights.bias_ih === null ? null : sumRows(dGx, B, 3 * H),
    bias_hh: weights.bias_hh === null ? null : sumRows(dGh, B, 3 * H),
  };
  // END EXERCISE gru-step-backward
}
