/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al.
 * 2000), exactly as PyTorch's LSTMCell:
 *
 *   i = σ(x W_iiᵀ + b_ii + h W_hiᵀ + b_hi)      input gate: how much of g to write
 *   f = σ(x W_ifᵀ + b_if + h W_hfᵀ + b_hf)      forget gate: how much of c to keep
 *   g = tanh(x W_igᵀ + b_ig + h W_hgᵀ + b_hg)   candidate values
 *   o = σ(x W_ioᵀ + b_io + h W_hoᵀ + b_ho)      output gate: how much of c to show
 *   c_t = f ⊙ c_{t−1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 *
 *   c_{t−1} ──►(×)──────────►(+)──────────────┬──► c_t
 *               ▲             ▲               │
 *               f           (×)◄── g         tanh
 *               │             ▲               ▼
 *               │             i              (×)◄── o
 *   [x_t, h_{t−1}] ─► one matmul ─► i f g o    └──► h_t
 *
 * The four gates are the row blocks of weight_ih / weight_hh in the order i, f, g, o.
 *
 * Why gradients survive: c_t = f ⊙ c_{t−1} + i ⊙ g is additive, so along the cell
 * path ∂c_t/∂c_{t−1} = diag(f) — no weight matrix and no squashing derivative, just
 * the forget gate. Where the cell holds on to a value (f ≈ 1), the gradient flows
 * back through many steps unchanged: the "constant error carousel".
 */

import { add, chunk, mul, sigmoid, type Tensor, tanh } from '@unroll/tensor';
import { type CellOptions, type LSTMState, RecurrentCell } from './cell.ts';
import { rangeOption } from './options.ts';

export interface LSTMCellOptions extends CellOptions {
  /**
   * Start the forget gate's bias at this value (Jozefowicz et al. 2015 use 1): bias_ih's
   * f block is set to it and bias_hh's f block to 0, so their sum is exactly the value.
   */
  forgetBias?: number;
}

export class LSTMCell extends RecurrentCell<LSTMState> {
  constructor(options: LSTMCellOptions) {
    super('LSTMCell', options, 4, ['forgetBias']);
    if (options.forgetBias !== undefined) {
      const value = rangeOption('LSTMCell', 'forgetBias', options.forgetBias, [-100, 100], 0, true);
      setForgetBias(this, value);
    }
  }

  stepProjected(xW: Tensor, { h: hPrev, c: cPrev }: LSTMState): LSTMState {
    const gates = add(xW, this.projectHidden(hPrev));
    const [iRaw, fRaw, gRaw, oRaw] = chunk(gates, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const i = sigmoid(iRaw);
    const f = sigmoid(fRaw);
    const g = tanh(gRaw);
    const o = sigmoid(oRaw);
    const c = add(mul(f, cPrev), mul(i, g));
    const h = mul(o, tanh(c));
    return { h, c };
  }

  initialState(batchSize: number): LSTMState {
    return { h: this.zeroState(batchSize), c: this.zeroState(batchSize) };
  }

  protected override checkState(state: LSTMState, batch: number): void {
    if (!(state.c instanceof Object)) {
      throw new TypeError('LSTMCell.step: the state must be { h, c } (c is missing)');
    }
    super.checkState(state, batch);
  }
}

/** Sets the forget gate's total bias b_if + b_hf to `value` (no-op without biases). */
export function setForgetBias(
  cell: { hiddenSize: number; bias_ih: Tensor | null; bias_hh: Tensor | null },
  value: number,
): void {
  const H = cell.hiddenSize;
  cell.bias_ih?.data.fill(value, H, 2 * H);
  cell.bias_hh?.data.fill(0, H, 2 * H);
}
