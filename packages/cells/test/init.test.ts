/**
 * Initialisation: bounds, moments and structure of every rule, drawn from seeded
 * generators (same seed, same weights).
 */

import { arbitraries } from '@unroll/gradcheck';
import { matmul, Rng, type Tensor, transpose, zeros } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GRU,
  identityInit,
  kaimingNormal,
  kaimingUniform,
  LSTM,
  LSTMCell,
  orthogonalInit,
  RNN,
  RNNCell,
  xavierNormal,
  xavierUniform,
} from '../src/index.ts';
import { moments } from './moments.ts';

/** Rows [start, start + rows) of a 2-D tensor, as its own tensor. */
const block = (t: Tensor, start: number, rows: number) => {
  const cols = t.shape[1]!;
  const out = zeros([rows, cols]);
  out.data.set(t.data.subarray(start * cols, (start + rows) * cols));
  return out;
};

describe("PyTorch's default: every parameter of a recurrent layer from U(−1/√H, 1/√H)", () => {
  it('stays within the bound, with the uniform distribution’s mean and variance', () => {
    const H = 64;
    const layer = new LSTM({ inputSize: 32, hiddenSize: H, numLayers: 2, rng: new Rng(1) });
    const k = 1 / Math.sqrt(H);
    for (const [name, t] of layer.namedParameters()) {
      const { mean, variance, maxAbs } = moments(t);
      expect(maxAbs, name).toBeLessThanOrEqual(k);
      if (t.size < 1000) continue;
      expect(Math.abs(mean), name).toBeLessThan(0.05 * k);
      expect(variance / ((k * k) / 3), name).toBeGreaterThan(0.9); // Var U(−k, k) = k²/3
      expect(variance / ((k * k) / 3), name).toBeLessThan(1.1);
    }
  });

  it('same seed, same weights; another seed, other weights', () => {
    const make = (seed: number) =>
      new GRU({ inputSize: 3, hiddenSize: 4, rng: new Rng(seed) })
        .parameters()
        .map((t) => Array.from(t.data));
    expect(make(3)).toEqual(make(3));
    expect(make(3)).not.toEqual(make(4));
  });
});

describe('orthogonal', () => {
  it('every gate block of weight_hh is orthogonal: WᵀW = WWᵀ = I', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), arbitraries.seed(), (H, seed) => {
        const cell = new LSTMCell({
          inputSize: 3,
          hiddenSize: H,
          recurrentInit: 'orthogonal',
          rng: new Rng(seed),
        });
        for (let g = 0; g < 4; g++) {
          const W = block(cell.weight_hh, g * H, H);
          const identity = Array.from({ length: H }, (_, i) =>
            Array.from({ length: H }, (_, j) => (i === j ? 1 : 0)),
          );
          expect(matmul(transpose(W), W)).toBeAllclose(identity, { rtol: 0, atol: 1e-12 });
          expect(matmul(W, transpose(W))).toBeAllclose(identity, { rtol: 0, atol: 1e-12 });
        }
      }),
      { numRuns: 30 },
    );
  });

  it('a rectangular matrix gets orthonormal columns (tall) or rows (wide), scaled by the gain', () => {
    const tall = orthogonalInit(zeros([7, 3]), new Rng(1), { gain: 2 });
    expect(matmul(transpose(tall), tall)).toBeAllclose(
      [
        [4, 0, 0],
        [0, 4, 0],
        [0, 0, 4],
      ],
      { rtol: 0, atol: 1e-12 },
    );
    const wide = orthogonalInit(zeros([2, 6]), new Rng(1));
    expect(matmul(wide, transpose(wide))).toBeAllclose(
      [
        [1, 0],
        [0, 1],
      ],
      { rtol: 0, atol: 1e-12 },
    );
    expect(() => orthogonalInit(zeros([5, 3]), new Rng(1), { blocks: 2 })).toThrow(
      'orthogonalInit: blocks 2 must be a positive divisor of 5 rows',
    );
  });

  it('its entries have variance 1/H, as a random orthogonal matrix should', () => {
    const H = 100;
    const W = orthogonalInit(zeros([H, H]), new Rng(2));
    const { mean, variance } = moments(W);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance * H).toBeGreaterThan(0.97);
    expect(variance * H).toBeLessThan(1.03);
  });
});

describe('IRNN', () => {
  it("'identity' with relu is the IRNN: W_hh = I, zero biases, so h_t = relu(x W_ihᵀ + h_{t−1})", () => {
    const rnn = new RNN({
      inputSize: 2,
      hiddenSize: 3,
      nonlinearity: 'relu',
      recurrentInit: 'identity',
    });
    expect(rnn.cells[0]![0]!.weight_hh.toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(rnn.cells[0]![0]!.bias_ih!.toArray()).toEqual([0, 0, 0]);
    expect(rnn.cells[0]![0]!.bias_hh!.toArray()).toEqual([0, 0, 0]);
    const cell = new RNNCell({
      inputSize: 1,
      hiddenSize: 1,
      nonlinearity: 'relu',
      recurrentInit: 'identity',
    });
    cell.weight_ih.data[0] = 1;
    let state = cell.initialState(1);
    const sums: number[] = [];
    for (const x of [0.5, 1, 2]) {
      state = cell.step(zeros([1, 1]).add(x), state);
      sums.push(state.h.item());
    }
    expect(sums).toEqual([0.5, 1.5, 3.5]); // a running sum of positive inputs
    expect(identityInit(zeros([6, 2]), { blocks: 3, gain: 0.5 }).toArray()).toEqual([
      [0.5, 0],
      [0, 0.5],
      [0.5, 0],
      [0, 0.5],
      [0.5, 0],
      [0, 0.5],
    ]);
  });
});

describe('Xavier and Kaiming', () => {
  const fanIn = 200;
  const fanOut = 100;
  const weight = () => zeros([fanOut, fanIn]);
  it('Xavier uniform: within √(6/(fanIn+fanOut)), variance 2/(fanIn+fanOut); Xavier normal: same variance', () => {
    const uniform = moments(xavierUniform(weight(), new Rng(1)));
    expect(uniform.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / (fanIn + fanOut)));
    expect((uniform.variance * (fanIn + fanOut)) / 2).toBeAllclose(1, { rtol: 0.05, atol: 0 });
    const normal = moments(xavierNormal(weight(), new Rng(1)));
    expect((normal.variance * (fanIn + fanOut)) / 2).toBeAllclose(1, { rtol: 0.05, atol: 0 });
  });

  it('Kaiming (relu): variance 2/fanIn, or 2/fanOut in fanOut mode; tanh gain 5/3', () => {
    expect((moments(kaimingUniform(weight(), new Rng(2))).variance * fanIn) / 2).toBeAllclose(1, {
      rtol: 0.05,
      atol: 0,
    });
    expect((moments(kaimingNormal(weight(), new Rng(2))).variance * fanIn) / 2).toBeAllclose(1, {
      rtol: 0.05,
      atol: 0,
    });
    expect(
      (moments(kaimingNormal(weight(), new Rng(2), { mode: 'fanOut' })).variance * fanOut) / 2,
    ).toBeAllclose(1, { rtol: 0.05, atol: 0 });
    const tanh = moments(kaimingUniform(weight(), new Rng(2), { nonlinearity: 'tanh' }));
    expect(tanh.maxAbs).toBeLessThanOrEqual((5 / 3) * Math.sqrt(3 / fanIn));
  });
});
