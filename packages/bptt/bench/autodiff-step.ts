/**
 * The training step on the autodiff path: @unroll/cells' sequence layer (built from
 * @unroll/tensor ops) and a Linear readout, mse, backward() through the recorded graph,
 * and a plain SGD update of every parameter.
 */

import { GRU, LSTM, RNN } from '@unroll/cells';
import { fromData, linear, mse, type Tensor } from '@unroll/tensor';
import { type BenchProblem, learningRate } from './sizes.ts';

export function autodiffStep(problem: BenchProblem): () => number {
  const { size, cell } = problem;
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H, outputSize: O } = size;
  const options = { inputSize: I, hiddenSize: H };
  const layer =
    cell === 'lstm' ? new LSTM(options) : cell === 'gru' ? new GRU(options) : new RNN(options);
  const initial: Record<string, Float64Array> = {
    weight_ih_l0: problem.weight_ih,
    weight_hh_l0: problem.weight_hh,
    bias_ih_l0: problem.bias_ih,
    bias_hh_l0: problem.bias_hh,
  };
  for (const [name, p] of layer.namedParameters()) p.data.set(initial[name]!);
  const W_out = fromData(problem.readoutWeight.slice(), [O, H], { requiresGrad: true });
  const b_out = fromData(problem.readoutBias.slice(), [O], { requiresGrad: true });
  const parameters: Tensor[] = [...layer.parameters(), W_out, b_out];
  const xs = fromData(problem.xs, [B, T, I]);
  const targets = fromData(problem.targets, [B, T, O]);
  return () => {
    const { output } = layer.forward(xs);
    const loss = mse(linear(output, W_out, b_out), targets);
    loss.backward();
    for (const p of parameters) {
      const grad = p.grad!.data;
      for (let i = 0; i < p.size; i++) p.data[i]! -= learningRate * grad[i]!;
      p.zeroGrad();
    }
    return loss.item();
  };
}
