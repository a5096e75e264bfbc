/**
 * recurrentLinear: the recurrent projection h_{t−1} W_hhᵀ + b_hh of a sequence layer,
 * recorded step by step like `linear`, but with the weight's gradient computed once
 * for the whole sequence instead of once per step.
 *
 * Why: a layer applies the same W_hh at every step, so its gradient is a sum over
 * steps. Step t's pre-activation gradient dPre_t [B, G·H] and input h_{t−1} [B, H] give
 *   dW_hh = Σ_t dPre_tᵀ h_{t−1}   and   db_hh = Σ_t Σ_b dPre_t[b]
 * With `linear` at every step that is T products [G·H, B]·[B, H] whose sums have only
 * B terms each, T fresh G·H×H arrays, and T additions of them into W_hh's gradient.
 * Stack the steps' rows, dPre [T·B, G·H] and Hprev [T·B, H], and the sum over t is the
 * sum over the rows of one product:
 *   dW_hh = dPreᵀ Hprev      one gemm whose sums have T·B terms
 * which the kernel runs at full speed (its operands packed once, not T times), with
 * one output array. (The input projection x W_ihᵀ is already one product over all
 * T·B rows: see recurrent.ts.)
 *
 * How, in the graph (the gathering trick of unbind.ts, the other way round): every
 * step's node takes h_{t−1} and one shared node `weights`, whose inputs are W_hh and
 * b_hh (and W_hh and b_hh themselves, which it sends nothing). A step's backward rule returns dh_{t−1} = dPre_t W_hh, keeps dPre_t aside, and
 * sends `weights` a placeholder 0. Being the common input of every step, `weights` is
 * walked after all of them; its rule makes the one product above from what the steps
 * kept. Steps that got no gradient keep nothing: their rows of dPre are 0.
 */

import {
  formatShape,
  gemm,
  gemmPacked,
  isGradEnabled,
  type PackedRight,
  packRight,
  record,
  ShapeError,
  sumRows,
  type Tensor,
} from '@unroll/tensor';

/** One step's projection: h_{t−1} [B, in] ↦ h_{t−1} Wᵀ + b [B, out]. */
export type HiddenProjection = (hPrev: Tensor) => Tensor;

const placeholder = () => new Float64Array(1);

/**
 * The projection h ↦ h Wᵀ + b for the steps of one pass through a sequence: weight
 * [out, in], bias [out] or null. Call the result once per step; each call records a
 * step ('recurrentLinear'), all sharing one gradient node ('recurrentLinear.weights').
 */
export function recurrentLinear(weight: Tensor, bias: Tensor | null): HiddenProjection {
  const [outFeatures, inFeatures] = weight.shape as [number, number];
  const W = weight.data;
  // W is the right operand of two products at every step, h_{t−1} Wᵀ forward and
  // dPre_t W backward: each is packed once for the pass (gemm-packed.ts in tensor),
  // the backward one when the first step's rule runs.
  const forwardW = packRight(W, { k: inFeatures, n: outFeatures, transB: true });
  let backwardW: PackedRight | null = null;
  const inputs = bias === null ? [weight] : [weight, bias];
  // What the steps keep for the weight gradient: h_{t−1}'s rows in the forward pass,
  // dPre_t in the backward pass (null: the step got no gradient in this pass).
  const hRows: Float64Array[] = [];
  let dPreRows: (Float64Array | null)[] = [];

  const weights = record('recurrentLinear.weights', new Float64Array(1), [], inputs, () => {
    const kept = dPreRows;
    dPreRows = []; // a second pass (retainGraph) collects afresh
    backwardW = null; // and packs W again, in case it changed in between
    const rows = hRows.reduce((n, h) => n + h.length / inFeatures, 0);
    const Hprev = new Float64Array(rows * inFeatures);
    const dPre = new Float64Array(rows * outFeatures); // zero where a step got no gradient
    let row = 0;
    hRows.forEach((h, t) => {
      Hprev.set(h, row * inFeatures);
      const d = kept[t];
      if (d) dPre.set(d, row * outFeatures);
      row += h.length / inFeatures;
    });
    // eq. 6.6 — dW_hh = Σ_t dPre_tᵀ h_{t−1} = dPreᵀ Hprev, and db_hh = Σ_t dPre_t
    let dW: Float64Array | null = null;
    if (weight.requiresGrad) {
      dW = new Float64Array(W.length);
      gemm(dW, dPre, Hprev, { m: outFeatures, n: inFeatures, k: rows, transA: true });
    }
    const db = bias?.requiresGrad ? sumRows(dPre, rows, outFeatures) : null;
    return [dW, db];
  });

  return (hPrev) => {
    const rows = hPrev.shape[0]!;
    if (hPrev.rank !== 2 || hPrev.shape[1] !== inFeatures) {
      throw new ShapeError(
        `recurrentLinear: hPrev must be [batch, ${inFeatures}] to match weight ${formatShape(weight.shape)}, got ${formatShape(hPrev.shape)}`,
      );
    }
    const H = hPrev.data;
    const y = new Float64Array(rows * outFeatures);
    if (bias !== null) for (let r = 0; r < rows; r++) y.set(bias.data, r * outFeatures);
    gemmPacked(y, H, forwardW, { m: rows, accumulate: !!bias });
    const t = hRows.length;
    const recording = isGradEnabled() && weights.requiresGrad;
    if (recording) hRows.push(H);
    // W and b are inputs too, sent no gradient here, so that whoever inspects the
    // step (anomaly detection) sees what it read.
    const stepInputs = [hPrev, weights, ...inputs];
    return record('recurrentLinear', y, [rows, outFeatures], stepInputs, (dy) => {
      // dh_{t−1} = dPre_t W_hh (eq. 6.5, 6.12); dPre_t waits for the weights' node
      if (recording) dPreRows[t] = dy;
      const dh = hPrev.requiresGrad ? new Float64Array(H.length) : null;
      if (dh !== null) {
        backwardW ??= packRight(W, { k: outFeatures, n: inFeatures });
        gemmPacked(dh, dy, backwardW, { m: rows });
      }
      return [dh, recording ? placeholder() : null, null, null];
    });
  };
}
