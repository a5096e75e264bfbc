/**
 * A stacked RNN / LSTM / GRU (from @unroll/cells), run layer by layer with bptt's
 * `unroll`, so that every layer's state at every timestep is a tensor in the graph —
 * where a hook can read ∂L/∂hₜ for that layer. The stacked layer's own forward keeps
 * those states inside; this runs the same cells over the same inputs.
 *
 * Layer l > 0 reads layer l − 1's outputs. Unidirectional layers only, and without
 * dropout between layers (diagnostics look at the deterministic network).
 */

import { unroll } from '@unroll/bptt';
import type {
  RecurrentCell as CellsRecurrentCell,
  GRU,
  HiddenState,
  LSTM,
  LSTMState,
  RNN,
} from '@unroll/cells';
import { type Tensor, transpose } from '@unroll/tensor';

export interface UnrolledStack {
  /** The top layer's outputs, batch-first [B, T, H] (zero past each sequence's length). */
  output: Tensor;
  /** states[l][t − 1]: layer l's state after step t, in the graph. */
  states: (HiddenState | LSTMState)[][];
}

export function unrollStack(
  layer: RNN | LSTM | GRU,
  x: Tensor,
  options: { lengths?: ArrayLike<number> } = {},
): UnrolledStack {
  if (layer.bidirectional) {
    throw new RangeError(
      'unrollStack: bidirectional layers are not supported; measure each direction as its own cell',
    );
  }
  let input = layer.batchFirst ? x : transpose(x, 0, 1);
  const states: (HiddenState | LSTMState)[][] = [];
  for (const [cell] of layer.cells) {
    const run = unroll(cell as CellsRecurrentCell<HiddenState>, input, undefined, options);
    states.push(run.states);
    input = run.outputs;
  }
  return { output: input, states };
}
