/** The benchmark's model sizes and cells, shared by every implementation of the step. */

import type { Tensor } from '@unroll/tensor';

export interface BenchSize {
  name: 'big' | 'small';
  batchSize: number;
  steps: number;
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
}

export type BenchCell = 'lstm' | 'gru' | 'rnn';

export const sizes: BenchSize[] = [
  { name: 'big', batchSize: 32, steps: 50, inputSize: 32, hiddenSize: 128, outputSize: 32 },
  { name: 'small', batchSize: 1, steps: 50, inputSize: 16, hiddenSize: 32, outputSize: 16 },
];

export const cells: BenchCell[] = ['lstm', 'gru', 'rnn'];

export const gateCount: Record<BenchCell, number> = { lstm: 4, gru: 3, rnn: 1 };

export const learningRate = 0.01;

/** Plain SGD, p ← p − η·∇p, then the gradient cleared: the update torch_step.py times too. */
export function sgdStep(parameters: readonly Tensor[]): void {
  for (const p of parameters) {
    const grad = p.grad!.data;
    for (let i = 0; i < p.size; i++) p.data[i]! -= learningRate * grad[i]!;
    p.zeroGrad();
  }
}

/** A seeded uniform generator (mulberry32), so every implementation starts from the same numbers. */
export function seededUniform(seed: number): (low: number, high: number) => number {
  let s = seed >>> 0;
  return (low, high) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return low + (high - low) * (((x ^ (x >>> 14)) >>> 0) / 4294967296);
  };
}

/** The data and initial parameters of one benchmark problem, as flat arrays. */
export interface BenchProblem {
  size: BenchSize;
  cell: BenchCell;
  xs: Float64Array; // [B, T, I]
  targets: Float64Array; // [B, T, O]
  weight_ih: Float64Array; // [G·H, I]
  weight_hh: Float64Array; // [G·H, H]
  bias_ih: Float64Array; // [G·H]
  bias_hh: Float64Array; // [G·H]
  readoutWeight: Float64Array; // [O, H]
  readoutBias: Float64Array; // [O]
}

export function makeProblem(size: BenchSize, cell: BenchCell, seed = 1): BenchProblem {
  const uniform = seededUniform(seed);
  const fill = (n: number, bound: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = uniform(-bound, bound);
    return out;
  };
  const { batchSize: B, steps: T, inputSize: I, hiddenSize: H, outputSize: O } = size;
  const G = gateCount[cell] * H;
  const k = 1 / Math.sqrt(H); // PyTorch's default U(−1/√H, 1/√H)
  return {
    size,
    cell,
    xs: fill(B * T * I, 1),
    targets: fill(B * T * O, 1),
    weight_ih: fill(G * I, k),
    weight_hh: fill(G * H, k),
    bias_ih: fill(G, k),
    bias_hh: fill(G, k),
    readoutWeight: fill(O * H, k),
    readoutBias: fill(O, k),
  };
}
