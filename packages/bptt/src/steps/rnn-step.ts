/**
 * One step of a vanilla RNN, forward and backward, with an explicit cache.
 *
 *   a_t = W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh      h_t = φ(a_t),  φ = tanh or relu
 *
 * The backward step is derived in rnnStepBackward.
 */

import type { Nonlinearity } from '../manual/rnn.ts';
import type { CellWeights } from '../manual/sequence.ts';
import {
  addRecurrentProjection,
  checkStepInputs,
  inputProjection,
  linearStepBackward,
  type StepDims,
  type StepGradients,
} from './step.ts';

/** What rnnStepForward saves for rnnStepBackward. */
export interface RNNStepCache {
  dims: StepDims;
  nonlinearity: Nonlinearity;
  weights: CellWeights;
  /** [B, I] */
  x: Float64Array;
  /** [B, H] */
  hPrev: Float64Array;
  /** [B, H]: h_t = φ(a_t), from which φ'(a_t) is read. */
  h: Float64Array;
}

/** h_t [B, H] from x_t [B, I] and h_{t−1} [B, H]. */
export function rnnStepForward(
  x: Float64Array,
  hPrev: Float64Array,
  weights: CellWeights,
  dims: StepDims,
  nonlinearity: Nonlinearity = 'tanh',
): { h: Float64Array; cache: RNNStepCache } {
  checkStepInputs('rnnStepForward', weights, x, hPrev, dims, 1);
  // BEGIN EXERCISE rnn-step-forward
  const { hiddenSize: H } = dims;
  const h = inputProjection(weights, x, dims, H);
  addRecurrentProjection(h, weights, hPrev, dims, H);
  for (let j = 0; j < h.length; j++) {
    h[j] = nonlinearity === 'tanh' ? Math.tanh(h[j]!) : Math.max(0, h[j]!);
  }
  return { h, cache: { dims, nonlinearity, weights, x, hPrev, h } };
  // END EXERCISE rnn-step-forward
}

/** The gradients of one step from dhNext = ∂L/∂h_t [B, H]. */
export function rnnStepBackward(dhNext: Float64Array, cache: RNNStepCache): StepGradients {
  const { dims, nonlinearity, weights, x, hPrev, h } = cache;
  // BEGIN EXERCISE rnn-step-backward
  // Backward from dhNext = ∂L/∂h_t:
  //   da = dhNext ⊙ φ'(a_t)       tanh' = 1 − h_t²,  relu' = [h_t > 0]
  // and then the linear map's gradients (step.ts): dx, dh_{t−1}, dW_ih, dW_hh, db.
  const dPre = new Float64Array(h.length);
  for (let j = 0; j < h.length; j++) {
    const slope = nonlinearity === 'tanh' ? 1 - h[j]! * h[j]! : h[j]! > 0 ? 1 : 0;
    dPre[j] = dhNext[j]! * slope;
  }
  return linearStepBackward(dPre, x, hPrev, weights, dims, 1);
  // END EXERCISE rnn-step-backward
}
