/**
 * The fast path: a stack of recurrent layers run forward and backward by the
 * hand-derived BPTT of @unroll/bptt, on flat Float64Arrays, with no graph.
 *
 * Layer l reads layer l − 1's outputs h_1 … h_T, so stacking is a loop:
 *
 *   forward   out_0 = xs;  out_l = layer_l(out_{l−1}) for l = 1 … L
 *   backward  d_L = ∂loss/∂out_L;  (grads_l, d_{l−1}) = layer_l.backward(d_l) for l = L … 1
 *
 * where d_{l−1} is the layer's `dxs`: the gradient it sends down to its input. The
 * readout and the loss stay on the autodiff graph (see engines.ts): they are cheap,
 * and their gradients are those of the checked tensor ops. A training step of the
 * experiment's models (adding problem, B = 32, H = 16, T = 50–100) takes 1.4–1.7× less
 * time this way than with the layers on the graph (bptt's benchmark compares the two,
 * and TensorFlow.js, at other sizes; bench/experiment.bench.ts times whole runs).
 */

import {
  type BackwardOptions,
  type GRUGradients,
  type GRUTape,
  gruBackward,
  gruForward,
  type LSTMGradients,
  type LSTMTape,
  lstmBackward,
  lstmForward,
  type RNNGradients,
  type RNNTape,
  rnnBackward,
  rnnForward,
} from '@unroll/bptt';
import { fromData, type Tensor } from '@unroll/tensor';
import type { SequenceModel } from './model.ts';

/** One layer's state between windows: h [B, H], and c [B, H] for an LSTM. */
export interface LayerState {
  h: Float64Array;
  c?: Float64Array;
}

type Tape = RNNTape | LSTMTape | GRUTape;

export interface StackTape {
  batchSize: number;
  steps: number;
  layers: Tape[];
  /** The top layer's h_1 … h_T, [B, T, H]. */
  output: Float64Array;
}

/** Runs every layer over xs [B, T, I] from `state0` (zeros when null). */
export function forwardStack(
  model: SequenceModel,
  xs: Float64Array,
  batchSize: number,
  steps: number,
  state0: readonly LayerState[] | null,
): StackTape {
  const { cell, inputSize, hiddenSize, layers } = model.spec;
  const tapes: Tape[] = [];
  let input = xs;
  for (let l = 0; l < layers; l++) {
    const dims = {
      batchSize,
      steps,
      inputSize: l === 0 ? inputSize : hiddenSize,
      hiddenSize,
    };
    const weights = model.weightsOf(l);
    const start = state0?.[l] ?? null;
    const tape =
      cell === 'lstm'
        ? lstmForward(
            weights,
            input,
            start === null ? null : { h: start.h, c: start.c ?? new Float64Array(start.h.length) },
            dims,
          )
        : cell === 'gru'
          ? gruForward(weights, input, start?.h ?? null, dims)
          : rnnForward(weights, input, start?.h ?? null, dims);
    tapes.push(tape);
    input = tape.output;
  }
  return { batchSize, steps, layers: tapes, output: input };
}

/**
 * Each layer's state after `t` steps of the tape (t = 0 is the state it started from),
 * copied: the tapes keep every h_t (and c_t) time-major, [T + 1, B, H].
 */
export function stateAt(tape: StackTape, t: number): LayerState[] {
  return tape.layers.map((layer) => {
    const BH = layer.dims.batchSize * layer.dims.hiddenSize;
    const h = layer.hs.slice(t * BH, (t + 1) * BH);
    return 'cs' in layer ? { h, c: layer.cs.slice(t * BH, (t + 1) * BH) } : { h };
  });
}

/**
 * Backpropagates `dOutput` = ∂loss/∂h_t of the top layer, [B, T, H], down the stack,
 * adding each parameter's gradient into its `.grad` (so the optimizer finds it there).
 * A loss that reads only the top layer's last state gives `dOutput` null and its
 * gradient as `dhT` [B, H] instead: the same numbers, without a [B, T, H] of zeros.
 */
export function backwardStack(
  model: SequenceModel,
  tape: StackTape,
  dOutput: Float64Array | null,
  dhT: Float64Array | null = null,
): void {
  let d = dOutput;
  const top = tape.layers.length - 1;
  for (let l = top; l >= 0; l--) {
    const grads = backwardLayer(model, tape, l, d, l === top ? { dhT } : {});
    const [W_ih, W_hh, b_ih, b_hh] = model.parametersOf(l);
    accumulateGrad(W_ih, grads.weight_ih);
    accumulateGrad(W_hh, grads.weight_hh);
    if (b_ih !== null && grads.bias_ih !== null) accumulateGrad(b_ih, grads.bias_ih);
    if (b_hh !== null && grads.bias_hh !== null) accumulateGrad(b_hh, grads.bias_hh);
    d = grads.dxs;
  }
}

/**
 * Layer l's backward pass from d = ∂loss/∂(its outputs) [B, T, H]: its parameters'
 * gradients, as `dxs` what it sends down, and as dh0 (dc0) what reaches its starting
 * state. `options` may add ∂loss/∂h_T (∂loss/∂c_T) from beyond the tape, and an
 * `onStep` that watches ∂loss/∂h_t as the pass walks back (the gradient-flow probe).
 */
export function backwardLayer(
  model: SequenceModel,
  tape: StackTape,
  l: number,
  d: Float64Array | null,
  options: BackwardOptions = {},
): LSTMGradients | GRUGradients | RNNGradients {
  const weights = model.weightsOf(l);
  const layer = tape.layers[l]!;
  if ('cs' in layer) return lstmBackward(weights, layer, d, options);
  if ('resetInput' in layer) return gruBackward(weights, layer, d, options);
  return rnnBackward(weights, layer, d, options);
}

/** param.grad += grad, as the autodiff engine does for leaves. */
export function accumulateGrad(param: Tensor, grad: Float64Array): void {
  if (param.grad === null) {
    param.grad = fromData(grad, param.shape);
    return;
  }
  const g = param.grad.data;
  for (let i = 0; i < g.length; i++) g[i]! += grad[i]!;
}
