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
 *
 * PyTorch's form runs as one op with a hand-derived backward (`gruUpdate`, below); the
 * Cho et al. form is written with tensor ops, its gradient left to autograd.
 */

import {
  add,
  chunk,
  linear,
  mul,
  narrow,
  record,
  sigmoid,
  sub,
  type Tensor,
  tanh,
} from '@unroll/tensor';
import { type CellOptions, fusedStepShapes, type HiddenState, RecurrentCell } from './cell.ts';
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

  stepProjected(
    xW: Tensor,
    { h: hPrev }: HiddenState,
    projectHidden = this.projectHidden,
  ): HiddenState {
    if (this.resetAfter) return { h: gruUpdate(xW, projectHidden(hPrev), hPrev) };
    // Cho et al.: only the r and z rows of W_hh can act before r is known, so this form
    // has no h W_hhᵀ of all three gates at once and leaves projectHidden unused.
    const H = this.hiddenSize;
    const rows = (t: Tensor | null, start: number, length: number) =>
      t === null ? null : narrow(t, 0, start, length);
    const [xr, xz, xn] = chunk(xW, 3, 1) as [Tensor, Tensor, Tensor];
    const hRZ = linear(hPrev, rows(this.weight_hh, 0, 2 * H)!, rows(this.bias_hh, 0, 2 * H));
    const [hr, hz] = chunk(hRZ, 2, 1) as [Tensor, Tensor];
    // eq. 5.7 — r, z
    const r = sigmoid(add(xr, hr));
    const z = sigmoid(add(xz, hz));
    // eq. 5.9 — n = tanh(x W_inᵀ + b_in + (r ⊙ h) W_hnᵀ + b_hn)
    const hn = linear(mul(r, hPrev), rows(this.weight_hh, 2 * H, H)!, rows(this.bias_hh, 2 * H, H));
    const n = tanh(add(xn, hn));
    // (1 − z) ⊙ n + z ⊙ hPrev, written as n + z ⊙ (hPrev − n): one op fewer.
    // eq. 5.10 — h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
    return { h: add(n, mul(z, sub(hPrev, n))) };
  }

  initialState(batchSize: number): HiddenState {
    return { h: this.zeroState(batchSize) };
  }
}

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * One step of PyTorch's GRU after the two matmuls: xW = x W_ihᵀ + b_ih and
 * hW = h W_hhᵀ + b_hh, both [B, 3H] in blocks r, z, n; hPrev [B, H]. Returns h_t.
 * Below, xn = x W_inᵀ + b_in and hn = h W_hnᵀ + b_hn are the n blocks of xW and hW.
 *
 * Backward, from dh = dL/dh_t, in the order the forward ran, reversed:
 *   h = n + z ⊙ (hPrev − n)    dz = dh ⊙ (hPrev − n)    dn = dh ⊙ (1 − z)    dhPrev = dh ⊙ z
 *   n = tanh(xn + r ⊙ hn)      dnRaw = dn ⊙ (1 − n²)    dr = dnRaw ⊙ hn      dhn = dnRaw ⊙ r
 *   r, z = σ(·)                drRaw = dr ⊙ r(1 − r)    dzRaw = dz ⊙ z(1 − z)
 * so dxW = [drRaw, dzRaw, dnRaw] and dhW = [drRaw, dzRaw, dnRaw ⊙ r].
 */
export function gruUpdate(xW: Tensor, hW: Tensor, hPrev: Tensor): Tensor {
  const [B, H] = fusedStepShapes('gruUpdate', 3, xW, hW, hPrev, 'hPrev');
  const G = 3 * H;
  const gates = new Float64Array(B * G); // r, z, n, saved for backward
  const h = new Float64Array(B * H);
  const xWdata = xW.data;
  const hWdata = hW.data;
  const hPrevData = hPrev.data;
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j++) {
      const at = b * G + j; // where gate r sits in a [B, 3H] row; z, n follow at +H, +2H
      const e = b * H + j; // index in a [B, H] array
      const hn = hWdata[at + 2 * H]!; // h W_hnᵀ + b_hn, which r scales
      // eq. 5.7 — r, z
      const rGate = sigma(xWdata[at]! + hWdata[at]!);
      const zGate = sigma(xWdata[at + H]! + hWdata[at + H]!);
      // eq. 5.8 — n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))
      const nGate = Math.tanh(xWdata[at + 2 * H]! + rGate * hn);
      gates[at] = rGate;
      gates[at + H] = zGate;
      gates[at + 2 * H] = nGate;
      // eq. 5.10 — h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
      h[e] = nGate + zGate * (hPrevData[e]! - nGate);
    }
  }
  return record('gru.h', h, [B, H], [xW, hW, hPrev], (dh) => {
    const dxW = new Float64Array(B * G);
    const dhW = new Float64Array(B * G);
    const dhPrev = new Float64Array(B * H);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const at = b * G + j;
        const e = b * H + j;
        const rGate = gates[at]!;
        const zGate = gates[at + H]!;
        const nGate = gates[at + 2 * H]!;
        const hn = hWdata[at + 2 * H]!;
        // eq. 6.13 — dñ, dz̃, and the skip path dh ⊙ z
        const dnRaw = dh[e]! * (1 - zGate) * (1 - nGate * nGate);
        const dzRaw = dh[e]! * (hPrevData[e]! - nGate) * zGate * (1 - zGate);
        dhPrev[e] = dh[e]! * zGate;
        // eq. 6.14 — dr̃ = dñ ⊙ hn ⊙ r(1 − r); W_hn's rows receive dñ ⊙ r
        const drRaw = dnRaw * hn * rGate * (1 - rGate);
        dxW[at] = dhW[at] = drRaw;
        dxW[at + H] = dhW[at + H] = dzRaw;
        dxW[at + 2 * H] = dnRaw;
        dhW[at + 2 * H] = dnRaw * rGate;
      }
    }
    return [dxW, dhW, dhPrev];
  });
}
