/**
 * The character-level language model step of bench/torch_step.py, on unroll's autodiff
 * path: Embedding 65→64, a one-layer LSTM with 128 units, a Linear readout to 65
 * logits at every step, cross-entropy against the next character, backward(), and a
 * plain SGD update of every parameter. B = 32 sequences of T = 50 characters, float64.
 *
 * The recurrence is either @unroll/cells' LSTM layer (its steps recorded op by op) or,
 * with `fused`, an LSTMCell unrolled by `unrollFused` (the whole recurrence one op,
 * with the hand-derived backward pass): the same model and the same numbers to
 * rounding, as PyTorch's nn.LSTM is one op around its own kernel.
 */

import { Embedding, Linear, LSTM, LSTMCell, type Module } from '@unroll/cells';
import { crossEntropy, fromData, Rng, reshape, type Tensor } from '@unroll/tensor';
import { unrollFused } from '../src/index.ts';
import { seededUniform, sgdStep } from './sizes.ts';

export const charlmSize = { vocabulary: 65, embedding: 64, hidden: 128, batch: 32, steps: 50 };

export function charlmStep(seed = 1, { fused = false } = {}): () => number {
  const { vocabulary: V, embedding: E, hidden: H, batch: B, steps: T } = charlmSize;
  const rng = new Rng(seed);
  const embedding = new Embedding({ numEmbeddings: V, embeddingDim: E, rng });
  let lstm: Module;
  let recur: (xs: Tensor) => Tensor;
  if (fused) {
    const cell = new LSTMCell({ inputSize: E, hiddenSize: H, rng });
    lstm = cell;
    recur = (xs) => unrollFused(cell, xs).outputs;
  } else {
    const layer = new LSTM({ inputSize: E, hiddenSize: H, rng });
    lstm = layer;
    recur = (xs) => layer.forward(xs).output;
  }
  const readout = new Linear({ inFeatures: H, outFeatures: V, rng });
  const modules: Module[] = [embedding, lstm, readout];
  const parameters = modules.flatMap((m) => m.parameters());

  // B random sequences of T + 1 characters: read the first T, predict the last T.
  const uniform = seededUniform(seed);
  const tokens = Array.from({ length: B * (T + 1) }, () => Math.floor(uniform(0, V)));
  const inputs = new Float64Array(B * T);
  const targets = new Float64Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = tokens[b * (T + 1) + t]!;
      targets[b * T + t] = tokens[b * (T + 1) + t + 1]!;
    }
  }
  const ids = fromData(inputs, [B, T]);

  return () => {
    const output = recur(embedding.forward(ids)); // [B, T, H]
    const logits = reshape(readout.forward(output), [B * T, V]);
    const loss = crossEntropy(logits, targets);
    loss.backward();
    sgdStep(parameters);
    return loss.item();
  };
}
