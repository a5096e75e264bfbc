/**
 * The Elman RNN cell (PyTorch's RNNCell):
 *
 *   h_t = f(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh),   f = tanh or relu
 *
 *        x_t ──► [W_ih] ──┐
 *                         (+) ──► f ──► h_t ──┬──► (next step, and output)
 *   h_{t−1} ──► [W_hh] ──┘                    │
 *      ▲──────────────────────────────────────┘
 *
 * One gate block (G = 1). Backpropagating through T steps multiplies T Jacobians
 * ∂h_t/∂h_{t−1} = diag(f′(·)) W_hh — the product that vanishes or explodes.
 */

import { add, relu, type Tensor, tanh } from '@unroll/tensor';
import { type CellOptions, type HiddenState, RecurrentCell } from './cell.ts';
import { choiceOption } from './options.ts';

export interface RNNCellOptions extends CellOptions {
  /** f: 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

export class RNNCell extends RecurrentCell<HiddenState> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(options: RNNCellOptions) {
    super('RNNCell', options, 1, ['nonlinearity']);
    this.nonlinearity = choiceOption(
      'RNNCell',
      'nonlinearity',
      options.nonlinearity,
      ['tanh', 'relu'],
      'tanh',
    );
  }

  stepProjected(
    xW: Tensor,
    { h: hPrev }: HiddenState,
    projectHidden = this.projectHidden,
  ): HiddenState {
    // eq. 5.1 — h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh) (or relu)
    const hRaw = add(xW, projectHidden(hPrev));
    return { h: this.nonlinearity === 'tanh' ? tanh(hRaw) : relu(hRaw) };
  }

  initialState(batchSize: number): HiddenState {
    return { h: this.zeroState(batchSize) };
  }
}
