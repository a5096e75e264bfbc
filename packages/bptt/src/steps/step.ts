/**
 * What the one-step functions share. A step function is one time step of a cell on
 * plain arrays, with everything its backward needs saved in an explicit `cache`, in
 * the style of CS231n's `rnn_step_forward` / `rnn_step_backward`:
 *
 *   const { h, cache } = rnnStepForward(x, hPrev, weights, dims);
 *   const grads = rnnStepBackward(dhNext, cache);   // dhNext = ∂L/∂h_t
 *
 * Chaining the steps over t = 1 … T (and the backward steps over t = T … 1, adding
 * each step's ∂L_t/∂h_t to the dhPrev that comes back) gives exactly the sequence
 * passes of manual/*.ts; those do the same arithmetic with one gemm for all steps.
 * The step functions are the version to read, to step through in a debugger, and to
 * write yourself.
 */

import { gemm } from '@unroll/tensor';
import {
  addBiases,
  type CellGradients,
  type CellWeights,
  checkSize,
  linearParameterGradients,
  projectRows,
} from '../manual/sequence.ts';

/** Sizes of one step: a batch of B inputs of size I, hidden size H. */
export interface StepDims {
  batchSize: number;
  inputSize: number;
  hiddenSize: number;
}

/** The gradients one backward step returns: inputs, previous state and parameters. */
export interface StepGradients extends CellGradients {
  /** ∂L/∂x_t [B, I] */
  dx: Float64Array;
  /** ∂L/∂h_{t−1} [B, H] */
  dhPrev: Float64Array;
}

/** Checks a step's sizes and names the first array that does not fit. */
export function checkStepInputs(
  op: string,
  weights: CellWeights,
  x: Float64Array,
  hPrev: Float64Array,
  dims: StepDims,
  gates: number,
): void {
  for (const [name, size] of Object.entries(dims)) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`${op}: dims.${name} must be an integer ≥ 1, got ${size}`);
    }
  }
  const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
  checkSize(op, 'weight_ih', weights.weight_ih, [gates * H, I]);
  checkSize(op, 'weight_hh', weights.weight_hh, [gates * H, H]);
  checkSize(op, 'bias_ih', weights.bias_ih, [gates * H]);
  checkSize(op, 'bias_hh', weights.bias_hh, [gates * H]);
  checkSize(op, 'x', x, [B, I]);
  checkSize(op, 'hPrev', hPrev, [B, H]);
}

/** x·W_ihᵀ + b_ih + b_hh [B, G·H]: the input's share of the pre-activations. */
export function inputProjection(
  weights: CellWeights,
  x: Float64Array,
  { batchSize: B, inputSize: I }: StepDims,
  width: number,
): Float64Array {
  return projectRows(
    x,
    weights.weight_ih,
    addBiases(weights.bias_ih, weights.bias_hh),
    B,
    I,
    width,
  );
}

/** pre += h_{t−1}·W_hhᵀ (all G gate blocks at once). */
export function addRecurrentProjection(
  pre: Float64Array,
  weights: CellWeights,
  hPrev: Float64Array,
  { batchSize: B, hiddenSize: H }: StepDims,
  width: number,
): void {
  gemm(pre, hPrev, weights.weight_hh, { m: B, n: width, k: H, transB: true, accumulate: true });
}

/**
 * Given dPre = ∂L/∂pre [B, G·H] for pre = W_ih·x + b_ih + W_hh·h_{t−1} + b_hh:
 *   dx = dPre·W_ih    dh_{t−1} = dPre·W_hh    dW_ih = dPreᵀ·x    dW_hh = dPreᵀ·h_{t−1}
 *   db_ih = db_hh = Σ_b dPre
 */
export function linearStepBackward(
  dPre: Float64Array,
  x: Float64Array,
  hPrev: Float64Array,
  weights: CellWeights,
  dims: StepDims,
  gates: number,
): StepGradients {
  const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
  const parameters = linearParameterGradients(
    dPre,
    x,
    hPrev,
    weights,
    { ...dims, steps: 1 },
    gates,
  );
  const dx = new Float64Array(B * I);
  gemm(dx, dPre, weights.weight_ih, { m: B, n: I, k: gates * H });
  const dhPrev = new Float64Array(B * H);
  gemm(dhPrev, dPre, weights.weight_hh, { m: B, n: H, k: gates * H });
  return { ...parameters, dx, dhPrev };
}
