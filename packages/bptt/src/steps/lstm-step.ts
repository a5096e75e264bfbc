/**
 * One step of an LSTM (PyTorch's LSTMCell, gates stacked i, f, g, o), forward and
 * backward, with an explicit cache:
 *
 *   [ĩ, f̃, g̃, õ] = W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh
 *   i = σ(ĩ)   f = σ(f̃)   g = tanh(g̃)   o = σ(õ)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g        h_t = o ⊙ tanh(c_t)
 *
 * The backward step is derived, line by line, in lstmStepBackward.
 */

import { type CellWeights, checkSize, sigmoid } from '../manual/sequence.ts';
import {
  addRecurrentProjection,
  checkStepInputs,
  inputProjection,
  linearStepBackward,
  type StepDims,
  type StepGradients,
} from './step.ts';

/** What lstmStepForward saves for lstmStepBackward. */
export interface LSTMStepCache {
  dims: StepDims;
  weights: CellWeights;
  /** [B, I] */
  x: Float64Array;
  /** [B, H] */
  hPrev: Float64Array;
  /** [B, H] */
  cPrev: Float64Array;
  /** [B, 4H]: the activated gates i, f, g, o, each row laid out as [i | f | g | o]. */
  gates: Float64Array;
  /** [B, H]: tanh(c_t). */
  tanhC: Float64Array;
}

export interface LSTMStepGradients extends StepGradients {
  /** ∂L/∂c_{t−1} [B, H] */
  dcPrev: Float64Array;
}

/** (h_t, c_t) [B, H] each from x_t [B, I] and (h_{t−1}, c_{t−1}) [B, H] each. */
export function lstmStepForward(
  x: Float64Array,
  hPrev: Float64Array,
  cPrev: Float64Array,
  weights: CellWeights,
  dims: StepDims,
): { h: Float64Array; c: Float64Array; cache: LSTMStepCache } {
  checkStepInputs('lstmStepForward', weights, x, hPrev, dims, 4);
  checkSize('lstmStepForward', 'cPrev', cPrev, [dims.batchSize, dims.hiddenSize]);
  // BEGIN EXERCISE lstm-step-forward
  const { batchSize: B, hiddenSize: H } = dims;
  const gates = inputProjection(weights, x, dims, 4 * H);
  addRecurrentProjection(gates, weights, hPrev, dims, 4 * H);
  const h = new Float64Array(B * H);
  const c = new Float64Array(B * H);
  const tanhC = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const row = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const i = (gates[row + j] = sigmoid(gates[row + j]!));
      const f = (gates[row + H + j] = sigmoid(gates[row + H + j]!));
      const g = (gates[row + 2 * H + j] = Math.tanh(gates[row + 2 * H + j]!));
      const o = (gates[row + 3 * H + j] = sigmoid(gates[row + 3 * H + j]!));
      const k = b * H + j;
      c[k] = f * cPrev[k]! + i * g;
      tanhC[k] = Math.tanh(c[k]!);
      h[k] = o * tanhC[k]!;
    }
  }
  return { h, c, cache: { dims, weights, x, hPrev, cPrev, gates, tanhC } };
  // END EXERCISE lstm-step-forward
}

/** The gradients of one step from dhNext = ∂L/∂h_t and dcNext = ∂L/∂c_t [B, H] each. */
export function lstmStepBackward(
  dhNext: Float64Array,
  dcNext: Float64Array,
  cache: LSTMStepCache,
): LSTMStepGradients {
  const { dims, weights, x, hPrev, cPrev, gates, tanhC } = cache;
  // BEGIN EXERCISE lstm-step-backward
  // Backward from dhNext = ∂L/∂h_t and dcNext = ∂L/∂c_t (the part of it that did not
  // come through h_t: from step t+1, or a loss on the final cell state):
  //   dc      = dcNext + dhNext ⊙ o ⊙ (1 − tanh²(c_t))
  //   dõ = dhNext ⊙ tanh(c_t) ⊙ o(1 − o)      dĩ = dc ⊙ g ⊙ i(1 − i)
  //   dg̃ = dc ⊙ i ⊙ (1 − g²)                 df̃ = dc ⊙ c_{t−1} ⊙ f(1 − f)
  //   dc_{t−1} = dc ⊙ f                        (the additive path: only the gate f)
  // and the linear map's gradients (step.ts) from [dĩ, df̃, dg̃, dõ].
  const { batchSize: B, hiddenSize: H } = dims;
  const dGates = new Float64Array(B * 4 * H); // ∂L/∂[ĩ, f̃, g̃, õ]
  const dcPrev = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const row = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const i = gates[row + j]!;
      const f = gates[row + H + j]!;
      const g = gates[row + 2 * H + j]!;
      const o = gates[row + 3 * H + j]!;
      const k = b * H + j;
      const dh = dhNext[k]!;
      const dc = dcNext[k]! + dh * o * (1 - tanhC[k]! * tanhC[k]!);
      dGates[row + j] = dc * g * i * (1 - i);
      dGates[row + H + j] = dc * cPrev[k]! * f * (1 - f);
      dGates[row + 2 * H + j] = dc * i * (1 - g * g);
      dGates[row + 3 * H + j] = dh * tanhC[k]! * o * (1 - o);
      dcPrev[k] = dc * f;
    }
  }
  return { ...linearStepBackward(dGates, x, hPrev, weights, dims, 4), dcPrev };
  // END EXERCISE lstm-step-backward
}
