/**
 * The test's own reading of the published cell equations: one scalar loop per gate
 * entry, batch-first, nothing shared with src/. The hand-derived passes are checked
 * against it (forward values) and against its central differences (gradients).
 */

import type { CellWeights, SequenceDims } from '../src/index.ts';

export type CellKind = 'rnn-tanh' | 'rnn-relu' | 'lstm' | 'gru' | 'gru-cho';

export const gateCount: Record<CellKind, number> = {
  'rnn-tanh': 1,
  'rnn-relu': 1,
  lstm: 4,
  gru: 3,
  'gru-cho': 3,
};

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface ReferenceResult {
  /** [B, T, H] */
  output: Float64Array;
  /** [B, H] */
  hT: Float64Array;
  /** [B, H] (LSTM only; zeros otherwise) */
  cT: Float64Array;
  /** Smallest |pre-activation| of a relu RNN, to keep finite differences off the kink. */
  closestToKink: number;
}

export function referenceRun(
  kind: CellKind,
  w: CellWeights,
  xs: Float64Array,
  h0: Float64Array,
  c0: Float64Array,
  { batchSize: B, steps: T, inputSize: I, hiddenSize: H }: SequenceDims,
): ReferenceResult {
  const output = new Float64Array(B * T * H);
  const hT = new Float64Array(B * H);
  const cT = new Float64Array(B * H);
  let closestToKink = Number.POSITIVE_INFINITY;
  // W_ih row k · x_t + b_ih[k]  and  W_hh row k · v + b_hh[k]
  const inputPart = (k: number, b: number, t: number) => {
    let s = w.bias_ih?.[k] ?? 0;
    for (let i = 0; i < I; i++) s += w.weight_ih[k * I + i]! * xs[(b * T + t) * I + i]!;
    return s;
  };
  const hiddenPart = (k: number, v: number[]) => {
    let s = w.bias_hh?.[k] ?? 0;
    for (let j = 0; j < H; j++) s += w.weight_hh[k * H + j]! * v[j]!;
    return s;
  };
  for (let b = 0; b < B; b++) {
    let h = Array.from(h0.subarray(b * H, (b + 1) * H));
    let c = Array.from(c0.subarray(b * H, (b + 1) * H));
    for (let t = 0; t < T; t++) {
      const hNew: number[] = [];
      const cNew: number[] = [];
      for (let u = 0; u < H; u++) {
        if (kind === 'rnn-tanh' || kind === 'rnn-relu') {
          const a = inputPart(u, b, t) + hiddenPart(u, h);
          closestToKink = Math.min(closestToKink, Math.abs(a));
          hNew.push(kind === 'rnn-tanh' ? Math.tanh(a) : Math.max(0, a));
        } else if (kind === 'lstm') {
          const i = sigmoid(inputPart(u, b, t) + hiddenPart(u, h));
          const f = sigmoid(inputPart(H + u, b, t) + hiddenPart(H + u, h));
          const g = Math.tanh(inputPart(2 * H + u, b, t) + hiddenPart(2 * H + u, h));
          const o = sigmoid(inputPart(3 * H + u, b, t) + hiddenPart(3 * H + u, h));
          cNew.push(f * c[u]! + i * g);
          hNew.push(o * Math.tanh(cNew[u]!));
        } else {
          const r = sigmoid(inputPart(u, b, t) + hiddenPart(u, h));
          const z = sigmoid(inputPart(H + u, b, t) + hiddenPart(H + u, h));
          let n: number;
          if (kind === 'gru') {
            n = Math.tanh(inputPart(2 * H + u, b, t) + r * hiddenPart(2 * H + u, h));
          } else {
            // W_hn (r ⊙ h): needs r of every unit, so compute the reset vector first.
            const rAll = h.map((_, j) => sigmoid(inputPart(j, b, t) + hiddenPart(j, h)));
            const rh = h.map((hj, j) => rAll[j]! * hj);
            n = Math.tanh(inputPart(2 * H + u, b, t) + hiddenPart(2 * H + u, rh));
          }
          hNew.push((1 - z) * n + z * h[u]!);
        }
      }
      h = hNew;
      if (kind === 'lstm') c = cNew;
      for (let u = 0; u < H; u++) output[(b * T + t) * H + u] = h[u]!;
    }
    for (let u = 0; u < H; u++) {
      hT[b * H + u] = h[u]!;
      if (kind === 'lstm') cT[b * H + u] = c[u]!;
    }
  }
  return { output, hT, cT, closestToKink };
}
