/**
 * Reference forward steps, kept for the graders. A backward exercise is graded against
 * central differences of the forward pass, and its input is the forward's cache; if
 * the grader used the library's forward, a student who has not done the forward
 * exercise yet could not earn the backward's points. So the graders carry their own
 * forward steps: the published equations, written entry by entry (slow and plain on
 * purpose), producing caches of the library's documented shapes.
 */

import type {
  CellWeights,
  GRUStepCache,
  LSTMStepCache,
  RNNStepCache,
  StepDims,
} from '@unroll/bptt';

const sigma = (v: number) => 1 / (1 + Math.exp(-v));

/** Row `unit` of W·v + b (W is [rows, n] row-major, v has n entries at offset `at`). */
function affineEntry(
  weight: Float64Array,
  bias: Float64Array | null,
  unit: number,
  v: Float64Array,
  at: number,
  n: number,
): number {
  let total = bias === null ? 0 : bias[unit]!;
  for (let k = 0; k < n; k++) total += weight[unit * n + k]! * v[at + k]!;
  return total;
}

/** h_t = tanh(W_ih·x + b_ih + W_hh·h_{t−1} + b_hh) (or relu). */
export function referenceRnnStep(
  x: Float64Array,
  hPrev: Float64Array,
  weights: CellWeights,
  dims: StepDims,
  nonlinearity: 'tanh' | 'relu' = 'tanh',
): { h: Float64Array; cache: RNNStepCache } {
  const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
  const h = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < H; u++) {
      const a =
        affineEntry(weights.weight_ih, weights.bias_ih, u, x, b * I, I) +
        affineEntry(weights.weight_hh, weights.bias_hh, u, hPrev, b * H, H);
      h[b * H + u] = nonlinearity === 'tanh' ? Math.tanh(a) : Math.max(a, 0);
    }
  }
  return { h, cache: { dims, nonlinearity, weights, x, hPrev, h } };
}

/** c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t), gates stacked i, f, g, o. */
export function referenceLstmStep(
  x: Float64Array,
  hPrev: Float64Array,
  cPrev: Float64Array,
  weights: CellWeights,
  dims: StepDims,
): { h: Float64Array; c: Float64Array; cache: LSTMStepCache } {
  const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
  const gates = new Float64Array(B * 4 * H);
  const h = new Float64Array(B * H);
  const c = new Float64Array(B * H);
  const tanhC = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < H; u++) {
      const pre = (block: number) =>
        affineEntry(weights.weight_ih, weights.bias_ih, block * H + u, x, b * I, I) +
        affineEntry(weights.weight_hh, weights.bias_hh, block * H + u, hPrev, b * H, H);
      const inputGate = sigma(pre(0));
      const forgetGate = sigma(pre(1));
      const candidate = Math.tanh(pre(2));
      const outputGate = sigma(pre(3));
      const cell = forgetGate * cPrev[b * H + u]! + inputGate * candidate;
      const row = b * 4 * H;
      gates[row + u] = inputGate;
      gates[row + H + u] = forgetGate;
      gates[row + 2 * H + u] = candidate;
      gates[row + 3 * H + u] = outputGate;
      c[b * H + u] = cell;
      tanhC[b * H + u] = Math.tanh(cell);
      h[b * H + u] = outputGate * Math.tanh(cell);
    }
  }
  return { h, c, cache: { dims, weights, x, hPrev, cPrev, gates, tanhC } };
}

/** PyTorch's GRU: n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}. */
export function referenceGruStep(
  x: Float64Array,
  hPrev: Float64Array,
  weights: CellWeights,
  dims: StepDims,
): { h: Float64Array; cache: GRUStepCache } {
  const { batchSize: B, inputSize: I, hiddenSize: H } = dims;
  const gates = new Float64Array(B * 3 * H);
  const hn = new Float64Array(B * H);
  const h = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < H; u++) {
      const fromX = (block: number) =>
        affineEntry(weights.weight_ih, weights.bias_ih, block * H + u, x, b * I, I);
      const fromH = (block: number) =>
        affineEntry(weights.weight_hh, weights.bias_hh, block * H + u, hPrev, b * H, H);
      const reset = sigma(fromX(0) + fromH(0));
      const update = sigma(fromX(1) + fromH(1));
      const recurrentN = fromH(2);
      const candidate = Math.tanh(fromX(2) + reset * recurrentN);
      const row = b * 3 * H;
      gates[row + u] = reset;
      gates[row + H + u] = update;
      gates[row + 2 * H + u] = candidate;
      hn[b * H + u] = recurrentN;
      h[b * H + u] = update * hPrev[b * H + u]! + (1 - update) * candidate;
    }
  }
  return { h, cache: { dims, weights, x, hPrev, gates, hn } };
}
