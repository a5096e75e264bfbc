/**
 * Layers with hand-set weights for the tests on real cells and layers: a relu RNN
 * kept in its linear regime, whose gradients and overflows can be worked out by hand.
 */

import { RNN } from '@unroll/cells';
import type { Tensor } from '@unroll/tensor';

/** Sets every entry (i, j) of a 1-D or 2-D parameter. */
export function fill(t: Tensor | null, value: (i: number, j: number) => number): void {
  const [rows, cols] = t!.shape.length === 2 ? (t!.shape as [number, number]) : [t!.shape[0]!, 1];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t!.data[i * cols + j] = value(i, j);
}

/** A relu RNN kept in its linear regime (positive inputs and weights): hₜ = α hₜ₋₁ + W_ih xₜ. */
export function linearReluRNN(H: number, alpha: number, beta: number, numLayers: number): RNN {
  const rnn = new RNN({ inputSize: H, hiddenSize: H, numLayers, nonlinearity: 'relu' });
  for (const [name, p] of rnn.namedParameters()) {
    if (name.startsWith('weight_hh')) fill(p, (i, j) => (i === j ? alpha : 0));
    else if (name.startsWith('weight_ih')) fill(p, (i, j) => (i === j ? beta : 0));
    else fill(p, () => 0);
  }
  return rnn;
}
