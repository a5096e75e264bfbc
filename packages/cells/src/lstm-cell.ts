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
 * back through many steps unchanged. (The 1997 LSTM had no forget gate: its cell kept
 * c_{t−1} with a fixed weight 1, the "constant error carousel"; Gers et al. made that
 * weight the learned gate f, and f ≈ 1 recovers the carousel.)
 *
 * The elementwise part of a step is one op, `lstmUpdate`, with its backward derived
 * by hand below (tests check it against the same equations written with tensor ops,
 * and against finite differences): the step costs two graph nodes instead of a dozen.
 */

import { record, type Tensor } from '@unroll/tensor';
import { type CellOptions, fusedStepShapes, type LSTMState, RecurrentCell } from './cell.ts';
import { rangeOption } from './options.ts';

export interface LSTMCellOptions extends CellOptions {
  /**
   * Start the forget gate's bias at this value (Jozefowicz et al. 2015 use 1): bias_ih's
   * f block is set to it and bias_hh's f block to 0, so their sum is exactly the value.
   */
  forgetBias?: number;
}

export class LSTMCell extends RecurrentCell<LSTMState> {
  protected override readonly stateNames = ['h', 'c'];

  constructor(options: LSTMCellOptions) {
    super('LSTMCell', options, 4, ['forgetBias']);
    if (options.forgetBias !== undefined) {
      if (this.bias_ih === null) {
        throw new RangeError('LSTMCell: forgetBias needs the biases (bias: true)');
      }
      const value = rangeOption('LSTMCell', 'forgetBias', options.forgetBias, [-100, 100], 0, true);
      setForgetBias(this, value);
    }
  }

  stepProjected(
    xW: Tensor,
    { h: hPrev, c: cPrev }: LSTMState,
    projectHidden = this.projectHidden,
  ): LSTMState {
    return lstmUpdate(xW, projectHidden(hPrev), cPrev);
  }

  initialState(batchSize: number): LSTMState {
    return { h: this.zeroState(batchSize), c: this.zeroState(batchSize) };
  }
}

/** Sets the forget gate's total bias b_if + b_hf to `value`. */
export function setForgetBias(
  cell: { hiddenSize: number; bias_ih: Tensor | null; bias_hh: Tensor | null },
  value: number,
): void {
  const H = cell.hiddenSize;
  cell.bias_ih?.data.fill(value, H, 2 * H);
  cell.bias_hh?.data.fill(0, H, 2 * H);
}

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * One LSTM step's elementwise part. xW = x W_ihᵀ + b_ih and hW = h W_hhᵀ + b_hh are
 * [B, 4H] with the gates in blocks i, f, g, o along each row; cPrev is [B, H].
 * Returns c_t = f ⊙ c_{t−1} + i ⊙ g and h_t = o ⊙ tanh(c_t) as two graph nodes:
 * c_t's inputs are (xW, hW, cPrev), h_t's are (xW, hW, c_t), so the gradient that
 * reaches c_t from h_t joins the one from the next step before c_t's rule runs.
 *
 * The pre-activations' gradient dGates [B, 4H] is one array per step, filled by both
 * rules: h_t's rule (which runs first, c_t being its input) writes the o block and
 * leaves it for c_t's rule, which writes the i, f, g blocks and sends the whole array
 * to xW and hW. Sending each rule's own array instead would cost two more arrays
 * per step, and a sum of two in each of xW and hW.
 */
export function lstmUpdate(xW: Tensor, hW: Tensor, cPrev: Tensor): LSTMState {
  const [B, H] = fusedStepShapes('lstmUpdate', 4, xW, hW, cPrev, 'cPrev');
  const G = 4 * H;
  const gates = new Float64Array(B * G); // the activations i, f, g, o, saved for backward
  const c = new Float64Array(B * H);
  const tanhC = new Float64Array(B * H);
  const h = new Float64Array(B * H);
  const xWdata = xW.data;
  const hWdata = hW.data;
  const cPrevData = cPrev.data;
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j++) {
      const at = b * G + j; // where gate i sits in a [B, 4H] row; f, g, o follow at +H, +2H, +3H
      const e = b * H + j; // index in a [B, H] array
      // eq. 5.2 — the pre-activation xW + hW of each gate
      // eq. 5.3 — i, f, o through σ, g through tanh
      const iGate = sigma(xWdata[at]! + hWdata[at]!);
      const fGate = sigma(xWdata[at + H]! + hWdata[at + H]!);
      const gGate = Math.tanh(xWdata[at + 2 * H]! + hWdata[at + 2 * H]!);
      const oGate = sigma(xWdata[at + 3 * H]! + hWdata[at + 3 * H]!);
      gates[at] = iGate;
      gates[at + H] = fGate;
      gates[at + 2 * H] = gGate;
      gates[at + 3 * H] = oGate;
      // eq. 5.4 — c_t = f ⊙ c_{t−1} + i ⊙ g
      const cT = fGate * cPrevData[e]! + iGate * gGate;
      c[e] = cT;
      tanhC[e] = Math.tanh(cT);
      // eq. 5.5 — h_t = o ⊙ tanh(c_t)
      h[e] = oGate * tanhC[e]!;
    }
  }

  // dGates with h_t's share (the o block) in it, between h_t's rule and c_t's.
  let dGatesFromH: Float64Array | null = null;

  // c = f ⊙ cPrev + i ⊙ g, through the gates' nonlinearities (σ′ = σ(1 − σ), tanh′ = 1 − tanh²):
  //   dI = dc ⊙ g ⊙ i(1 − i)   dF = dc ⊙ cPrev ⊙ f(1 − f)   dG = dc ⊙ i ⊙ (1 − g²)   dcPrev = dc ⊙ f
  // (dI, dF, dG: the gradients of the pre-activations, the i, f, g blocks of dGates)
  const cNode = record('lstm.c', c, [B, H], [xW, hW, cPrev], (dc) => {
    // The o block is h_t's share, or 0 when no gradient reached h_t in this pass.
    const dGates = dGatesFromH ?? new Float64Array(B * G);
    dGatesFromH = null; // a second pass (retainGraph) starts afresh
    const dcPrev = new Float64Array(B * H);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const at = b * G + j;
        const e = b * H + j;
        const iGate = gates[at]!;
        const fGate = gates[at + H]!;
        const gGate = gates[at + 2 * H]!;
        // eq. 6.10 — dĩ, df̃, dg̃ through σ′ and tanh′
        dGates[at] = dc[e]! * gGate * iGate * (1 - iGate);
        dGates[at + H] = dc[e]! * cPrevData[e]! * fGate * (1 - fGate);
        dGates[at + 2 * H] = dc[e]! * iGate * (1 - gGate * gGate);
        // eq. 5.6 — along the cell path, ∂c_t/∂c_{t−1} = diag(f_t)
        // eq. 6.11 — dc_{t−1} = dc_t ⊙ f_t
        dcPrev[e] = dc[e]! * fGate; // the additive path: no matrix, no squashing
      }
    }
    return [dGates, dGates, dcPrev]; // the pre-activation is xW + hW: both get dGates
  });

  // h = o ⊙ tanh(c):   dO = dh ⊙ tanh(c) ⊙ o(1 − o)   dc = dh ⊙ o ⊙ (1 − tanh²c)
  const hNode = record('lstm.h', h, [B, H], [xW, hW, cNode], (dh) => {
    const dGates = new Float64Array(B * G); // this rule writes only the o block
    const dc = new Float64Array(B * H);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const oAt = b * G + j + 3 * H; // where gate o sits in a [B, 4H] row
        const e = b * H + j;
        const oGate = gates[oAt]!;
        // eq. 6.9 — dõ = dh ⊙ tanh(c_t) ⊙ o(1 − o)
        dGates[oAt] = dh[e]! * tanhC[e]! * oGate * (1 - oGate);
        // eq. 6.8 — h_t's road into c_t; the graph adds the road from c_{t+1} (dcNext)
        dc[e] = dh[e]! * oGate * (1 - tanhC[e]! * tanhC[e]!);
      }
    }
    // c_t's rule runs later in this pass (c_t is an input here, and receives dc): it
    // completes dGates and sends it to xW and hW, for both rules.
    dGatesFromH = dGates;
    return [null, null, dc];
  });
  return { h: hNode, c: cNode };
}
