/**
 * The training step on the hand-derived passes: cell forward over T steps, a Linear
 * readout y_t = W_out·h_t + b_out at every step, MSE against the targets, the backward
 * pass by hand, and an SGD update — all on Float64Arrays with a handful of gemms.
 */

import {
  type CellWeights,
  gruBackward,
  gruForward,
  lstmBackward,
  lstmForward,
  rnnBackward,
  rnnForward,
} from '@unroll/bptt';
import { gemm } from '@unroll/tensor';
import { type BenchProblem, learningRate } from './sizes.ts';

export function manualStep(problem: BenchProblem): () => number {
  const { size, cell } = problem;
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H, outputSize: O } = size;
  const dims = { batchSize: B, steps: T, inputSize: I, hiddenSize: H };
  const weights: CellWeights = {
    weight_ih: problem.weight_ih.slice(),
    weight_hh: problem.weight_hh.slice(),
    bias_ih: problem.bias_ih.slice(),
    bias_hh: problem.bias_hh.slice(),
  };
  const W_out = problem.readoutWeight.slice();
  const b_out = problem.readoutBias.slice();
  const rows = B * T;
  return () => {
    let output: Float64Array;
    let backward: (dOutput: Float64Array) => CellWeights;
    if (cell === 'lstm') {
      const tape = lstmForward(weights, problem.xs, null, dims);
      output = tape.output;
      backward = (d) => lstmBackward(weights, tape, d);
    } else if (cell === 'gru') {
      const tape = gruForward(weights, problem.xs, null, dims);
      output = tape.output;
      backward = (d) => gruBackward(weights, tape, d);
    } else {
      const tape = rnnForward(weights, problem.xs, null, dims);
      output = tape.output;
      backward = (d) => rnnBackward(weights, tape, d);
    }
    // y = h·W_outᵀ + b_out for all B·T rows; L = mean((y − target)²); dy = 2(y − target)/N.
    const y = new Float64Array(rows * O);
    for (let r = 0; r < rows; r++) y.set(b_out, r * O);
    gemm(y, output, W_out, { m: rows, n: O, k: H, transB: true, accumulate: true });
    let loss = 0;
    const dy = new Float64Array(rows * O);
    for (let e = 0; e < dy.length; e++) {
      const diff = y[e]! - problem.targets[e]!;
      loss += diff * diff;
      dy[e] = (2 * diff) / dy.length;
    }
    const dW_out = new Float64Array(O * H);
    gemm(dW_out, dy, output, { m: O, n: H, k: rows, transA: true });
    const dOutput = new Float64Array(rows * H);
    gemm(dOutput, dy, W_out, { m: rows, n: H, k: O });
    const grads = backward(dOutput);
    sgd(weights.weight_ih, grads.weight_ih);
    sgd(weights.weight_hh, grads.weight_hh);
    sgd(weights.bias_ih!, grads.bias_ih!);
    sgd(weights.bias_hh!, grads.bias_hh!);
    sgd(W_out, dW_out);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < O; o++) b_out[o]! -= learningRate * dy[r * O + o]!;
    }
    return loss / dy.length;
  };
}

function sgd(param: Float64Array, grad: Float64Array): void {
  for (let i = 0; i < param.length; i++) param[i]! -= learningRate * grad[i]!;
}
