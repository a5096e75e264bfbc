/**
 * The diagnostics on the real cells and layers of @unroll/cells, unrolled by
 * @unroll/bptt: gradient flow per layer, anomaly detection inside a stacked layer.
 */

import { unroll } from '@unroll/bptt';
import { GRU, LSTM, LSTMCell, RNN, RNNCell } from '@unroll/cells';
import {
  fromData,
  mul,
  narrow,
  noGrad,
  Rng,
  rand,
  randn,
  sum,
  type Tensor,
  uniform,
} from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { measureGradientFlow } from '../src/flow.ts';
import { unrollStack } from '../src/stack.ts';
import { gradientVerdict } from '../src/verdict.ts';
import { catchAnomaly } from './catch-anomaly.ts';

function fill(t: Tensor | null, value: (i: number, j: number) => number): void {
  const [rows, cols] = t!.shape.length === 2 ? (t!.shape as [number, number]) : [t!.shape[0]!, 1];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t!.data[i * cols + j] = value(i, j);
}

/** A relu RNN kept in its linear regime (positive inputs and weights): hₜ = α hₜ₋₁ + W_ih xₜ. */
function linearReluRNN(H: number, alpha: number, beta: number, numLayers: number): RNN {
  const rnn = new RNN({ inputSize: H, hiddenSize: H, numLayers, nonlinearity: 'relu' });
  for (const [name, p] of rnn.namedParameters()) {
    if (name.startsWith('weight_hh')) fill(p, (i, j) => (i === j ? alpha : 0));
    else if (name.startsWith('weight_ih')) fill(p, (i, j) => (i === j ? beta : 0));
    else fill(p, () => 0);
  }
  return rnn;
}

describe('measureGradientFlow', () => {
  it('gives ‖∂L/∂hₜ‖ = ‖c‖ α^(T−t) on top and β (T−t+1) α^(T−t) ‖c‖ one layer down', () => {
    const [H, T, alpha, beta] = [3, 9, 0.8, 0.5];
    const rnn = linearReluRNN(H, alpha, beta, 2);
    const x = rand([2, T, H], new Rng(1)); // positive: relu stays linear
    const c = uniform([2, H], 0.5, 1.5, new Rng(2));
    // L = Σ c ⊙ h_T of the top layer
    const { norms } = measureGradientFlow(rnn, x, (out) =>
      sum(mul(out, fromData(maskLast(2, T, H, c), [2, T, H]))),
    );
    const norm = Math.hypot(...c.data);
    const top = Array.from({ length: T }, (_, i) => norm * alpha ** (T - (i + 1)));
    const below = Array.from(
      { length: T },
      (_, i) => norm * beta * (T - i) * alpha ** (T - (i + 1)),
    );
    expect(norms[1]).toBeAllclose(top, { rtol: 1e-12, atol: 0 });
    expect(norms[0]).toBeAllclose(below, { rtol: 1e-12, atol: 0 });
    expect(gradientVerdict(norms[1]!).decayRate).toBeAllclose(alpha, { rtol: 1e-12 });
  });

  it('leaves every gradient the weights already had exactly as it was', () => {
    const rnn = linearReluRNN(2, 0.9, 1, 1);
    const x = rand([1, 4, 2], new Rng(3));
    const [, whh] = rnn.namedParameters().find(([n]) => n === 'weight_hh_l0')!;
    const before = fromData(Float64Array.of(1, 2, 3, 4), [2, 2]);
    whh.grad = before;
    measureGradientFlow(rnn, x, (out) => sum(out));
    expect(whh.grad).toBe(before);
    expect(Array.from(whh.grad!.data)).toEqual([1, 2, 3, 4]);
    const [, bias] = rnn.namedParameters().find(([n]) => n === 'bias_hh_l0')!;
    expect(bias.grad).toBeNull();
  });

  it('also measures ‖∂L/∂cₜ‖ for an LSTM, for a single cell as for a stack, and not for a GRU', () => {
    const rng = new Rng(5);
    const x = randn([2, 6, 3], rng);
    const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4, rng });
    const flow = measureGradientFlow(cell, x, (out) => sum(mul(out, out)));
    expect(flow.norms).toHaveLength(1);
    expect(flow.cellNorms![0]).toHaveLength(6);
    expect(flow.cellNorms![0]!.every((g) => g > 0)).toBe(true);
    const stack = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 3, rng });
    expect(measureGradientFlow(stack, x, (out) => sum(out)).cellNorms).toHaveLength(3);
    // A GRU carries only h: one row per layer, every step reached, and no cell norms.
    const gru = measureGradientFlow(
      new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, rng }),
      x,
      (out) => sum(out),
    );
    expect(gru.norms.map((row) => row.length)).toEqual([6, 6]);
    expect(gru.norms.flat().every((g) => g > 0)).toBe(true);
    expect(gru.cellNorms).toBeUndefined();
  });
});

/** A [B, T, H] array that is c at t = T and 0 elsewhere. */
function maskLast(B: number, T: number, H: number, c: Tensor): Float64Array {
  const m = new Float64Array(B * T * H);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) m[(b * T + T - 1) * H + h] = c.data[b * H + h]!;
  return m;
}

describe('unrollStack', () => {
  it("computes the stacked layer's own output, with the states of every layer kept", () => {
    const rng = new Rng(7);
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, rng });
    const x = randn([2, 5, 3], rng);
    const mine = unrollStack(lstm, x, { lengths: [5, 3] });
    const theirs = noGrad(() => lstm.forward(x, undefined, { lengths: [5, 3] }));
    expect(mine.output.data).toBeAllclose(theirs.output.data, { rtol: 1e-13, atol: 1e-15 });
    expect(mine.states.map((l) => l.length)).toEqual([5, 5]);
    expect(() =>
      unrollStack(new LSTM({ inputSize: 3, hiddenSize: 2, bidirectional: true }), x),
    ).toThrow(
      'unrollStack: bidirectional layers are not supported; measure each direction as its own cell',
    );
  });
});

describe('detectAnomalies on real layers', () => {
  it('names the step where a relu RNN overflows: α = 1e100 makes hₜ ≈ 10^(100(t−1)), ∞ at t = 5', () => {
    const rnn = linearReluRNN(2, 1e100, 1, 2);
    const x = uniform([1, 8, 2], 0.5, 1, new Rng(1));
    const error = catchAnomaly(() => rnn.forward(x));
    expect(error.phase).toBe('forward');
    expect(error.context).toEqual({ layer: 0, timestep: 5 });
    expect(error.value).toBe(Number.POSITIVE_INFINITY);
    expect(error.message).toMatch(
      /^anomaly in the forward pass: '\w+' produced Infinity at \[0, \d\] of its output of shape \[1, 2\] at timestep 5, layer 0; its inputs were all finite$/,
    );
  });

  it('names the step where the backward pass overflows while the forward pass stays finite', () => {
    // hₜ = 10³⁰ hₜ₋₁ from h₁ ≈ 10⁻²⁵⁰; L = 10¹⁰⁰ Σ h₁₀ ≈ 10¹²⁰. Backward ∂L/∂hₜ = 10¹⁰⁰ 10^(30(10−t)),
    // which passes 1.8e308 first for h₃: in the backward of step 4.
    const rnn = linearReluRNN(2, 1e30, 1, 1);
    const x = fromData(new Float64Array(20), [1, 10, 2]);
    x.data.set([1e-250, 1e-250]);
    const error = catchAnomaly(() => {
      const { output } = rnn.forward(x);
      const loss = mul(sum(narrow(output, 1, 9, 1)), 1e100);
      loss.backward();
    });
    expect(error.phase).toBe('backward');
    expect(error.context).toEqual({ layer: 0, timestep: 4 });
    expect(error.message).toContain('at timestep 4, layer 0');
  });

  it('names the step of an overflow inside unroll, for a cell run on its own', () => {
    const cell = new RNNCell({ inputSize: 2, hiddenSize: 2, nonlinearity: 'relu' });
    fill(cell.weight_hh, (i, j) => (i === j ? 1e100 : 0));
    fill(cell.weight_ih, (i, j) => (i === j ? 1 : 0));
    fill(cell.bias_ih, () => 0);
    fill(cell.bias_hh, () => 0);
    const error = catchAnomaly(() => unroll(cell, uniform([1, 8, 2], 0.5, 1, new Rng(1))));
    expect(error.context).toEqual({ timestep: 5 });
    expect(error.message).toContain('at timestep 5;');
  });

  it('points at the entry of a NaN that came with the data: for x [B, T, I], its timestep', () => {
    const rng = new Rng(2);
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3, rng });
    const x = randn([2, 7, 2], rng);
    x.data[(1 * 7 + 5) * 2 + 0] = Number.NaN; // batch 1, timestep 6 (index 5), feature 0
    const error = catchAnomaly(() => unroll(cell, x));
    expect(error.message).toContain(
      'its input 0 (shape [2, 7, 2], a leaf) already held NaN at [1, 5, 0]',
    );
  });
});
