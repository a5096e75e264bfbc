/**
 * The training step on the autodiff path: a recurrence, a Linear readout, mse,
 * backward() through the recorded graph, and a plain SGD update of every parameter.
 * The recurrence is either @unroll/cells' sequence layer (ops recorded step by step)
 * or `unrollFused` (the whole recurrence as one op with the hand-derived backward).
 */

import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from '@unroll/cells';
import { fromData, linear, mse, type Tensor } from '@unroll/tensor';
import { unrollFused } from '../src/index.ts';
import { type BenchProblem, sgdStep } from './sizes.ts';

export function autodiffStep(problem: BenchProblem, { fused = false } = {}): () => number {
  const { size, cell: kind } = problem;
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H, outputSize: O } = size;
  const options = { inputSize: I, hiddenSize: H };
  let recurrence: { parameters(): Tensor[]; namedParameters(): [string, Tensor][] };
  let run: (xs: Tensor) => Tensor;
  if (fused) {
    const cell =
      kind === 'lstm'
        ? new LSTMCell(options)
        : kind === 'gru'
          ? new GRUCell(options)
          : new RNNCell(options);
    recurrence = cell;
    run = (xs) => unrollFused(cell, xs).outputs;
  } else {
    const layer =
      kind === 'lstm' ? new LSTM(options) : kind === 'gru' ? new GRU(options) : new RNN(options);
    recurrence = layer;
    run = (xs) => layer.forward(xs).output;
  }
  const initial: Record<string, Float64Array> = {
    weight_ih: problem.weight_ih,
    weight_hh: problem.weight_hh,
    bias_ih: problem.bias_ih,
    bias_hh: problem.bias_hh,
  };
  // A layer names them weight_ih_l0 …, a cell weight_ih …
  for (const [name, p] of recurrence.namedParameters())
    p.data.set(initial[name.replace('_l0', '')]!);
  const W_out = fromData(problem.readoutWeight.slice(), [O, H], { requiresGrad: true });
  const b_out = fromData(problem.readoutBias.slice(), [O], { requiresGrad: true });
  const parameters: Tensor[] = [...recurrence.parameters(), W_out, b_out];
  const xs = fromData(problem.xs, [B, T, I]);
  const targets = fromData(problem.targets, [B, T, O]);
  return () => {
    const loss = mse(linear(run(xs), W_out, b_out), targets);
    loss.backward();
    sgdStep(parameters);
    return loss.item();
  };
}
