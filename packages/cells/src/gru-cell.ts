/**
 * The GRU cell (Cho et al. 2014), in both of its published forms. Gates r, z, n are
 * the row blocks of weight_ih / weight_hh, in that order:
 *
 *   r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)     reset gate
 *   z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)     update gate
 *   n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))      resetAfter: true  (PyTorch, cuDNN)
 *   n = tanh(x W_inᵀ + b_in + (r ⊙ h) W_hnᵀ + b_hn)      resetAfter: false (Cho et al.,
 *                                                         Keras reset_after=False)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 *   h_{t−1} ─┬──────────────────────────(×z)──►(+)──► h_t
 *            │                                  ▲
 *            └─► r, z ─► n = tanh(x… + r ⊙ …) ─(×(1−z))
 *
 * The two forms differ only in where r acts: after W_hn (so h W_hhᵀ is one matmul for
 * all three gates, computed before r is known) or before it (r ⊙ h must exist first,
 * so W_hn needs a second matmul). Same parameters, different functions: weights
 * trained in one form do not carry over to the other.
 *
 * Like the LSTM's cell path, h_t = z ⊙ h_{t−1} + (1 − z) ⊙ n has an additive term:
 * ∂h_t/∂h_{t−1} contains diag(z), so with z ≈ 1 the state (and its gradient) is copied.
 */

import { add, chunk, linear, mul, narrow, sigmoid, sub, type Tensor, tanh } from '@unroll/tensor';
import { type CellOptions, type HiddenState, RecurrentCell } from './cell.ts';
import { booleanOption } from './options.ts';

export interface GRUCellOptions extends CellOptions {
  /** true: PyTorch's form, r applied to h W_hnᵀ + b_hn; false: Cho et al.'s, r applied to h. */
  resetAfter?: boolean;
}

export class GRUCell extends RecurrentCell<HiddenState> {
  readonly resetAfter: boolean;

  constructor(options: GRUCellOptions) {
    super('GRUCell', options, 3, ['resetAfter']);
    this.resetAfter = booleanOption('GRUCell', 'resetAfter', options.resetAfter, true);
  }

  stepProjected(xW: Tensor, { h: hPrev }: HiddenState): HiddenState {
    const [xr, xz, xn] = chunk(xW, 3, 1) as [Tensor, Tensor, Tensor];
    let r: Tensor;
    let z: Tensor;
    let n: Tensor;
    if (this.resetAfter) {
      const [hr, hz, hn] = chunk(this.projectHidden(hPrev), 3, 1) as [Tensor, Tensor, Tensor];
      r = sigmoid(add(xr, hr));
      z = sigmoid(add(xz, hz));
      n = tanh(add(xn, mul(r, hn)));
    } else {
      // Only the r and z rows of W_hh can act before r is known.
      const H = this.hiddenSize;
      const rows = (t: Tensor | null, start: number, length: number) =>
        t === null ? null : narrow(t, 0, start, length);
      const hRZ = linear(hPrev, rows(this.weight_hh, 0, 2 * H)!, rows(this.bias_hh, 0, 2 * H));
      const [hr, hz] = chunk(hRZ, 2, 1) as [Tensor, Tensor];
      r = sigmoid(add(xr, hr));
      z = sigmoid(add(xz, hz));
      const hn = linear(
        mul(r, hPrev),
        rows(this.weight_hh, 2 * H, H)!,
        rows(this.bias_hh, 2 * H, H),
      );
      n = tanh(add(xn, hn));
    }
    // (1 − z) ⊙ n + z ⊙ hPrev, written as n + z ⊙ (hPrev − n): one op fewer.
    return { h: add(n, mul(z, sub(hPrev, n))) };
  }

  initialState(batchSize: number): HiddenState {
    return { h: this.zeroState(batchSize) };
  }
}
