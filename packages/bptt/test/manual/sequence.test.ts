/**
 * manual/sequence.ts, what the hand-derived passes share: the checks on sizes and
 * parameters (through every pass), the layout moves, the one-gemm input projection,
 * bias and column sums, the overflow-free sigmoid, the input gradient computed
 * only when read, and the parameter gradients as sums over time.
 */

import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gruForward, lstmBackward, lstmForward, rnnForward } from '../../src/index.ts';
import {
  addBiases,
  checkCellInputs,
  checkSize,
  lazyInputGradient,
  linearParameterGradients,
  projectRows,
  sigmoid,
  sumRows,
  toBatchFirst,
  toTimeMajor,
} from '../../src/manual/sequence.ts';
import { kinds, makeProblem, manual } from './hand-derived.ts';

describe('hand-derived BPTT input checks', () => {
  const dims = { batchSize: 2, steps: 3, inputSize: 4, hiddenSize: 5 };
  const p = makeProblem('lstm', dims, 1, true);
  it('names the array whose size is wrong, with the shape it must have', () => {
    expect(() =>
      lstmForward({ ...p.weights, weight_hh: new Float64Array(7) }, p.xs, null, dims),
    ).toThrow('lstmForward: weight_hh has 7 entries, expected [20, 5] = 100');
    expect(() => gruForward(p.weights, p.xs, null, dims)).toThrow(
      'gruForward: weight_ih has 80 entries, expected [15, 4] = 60',
    );
    expect(() =>
      rnnForward(makeProblem('rnn-tanh', dims, 1, true).weights, p.xs.subarray(1), null, dims),
    ).toThrow('rnnForward: xs has 23 entries, expected [2, 3, 4] = 24');
    const tape = lstmForward(p.weights, p.xs, null, dims);
    expect(() => lstmBackward(p.weights, tape, new Float64Array(5))).toThrow(
      'lstmBackward: dOutput has 5 entries, expected [2, 3, 5] = 30',
    );
    expect(() => lstmBackward(p.weights, tape, null, { dcT: new Float64Array(3) })).toThrow(
      'lstmBackward: dcT has 3 entries, expected [2, 5] = 10',
    );
  });
  it('refuses sizes that are not positive integers', () => {
    const rnn = makeProblem('rnn-tanh', dims, 1, false);
    expect(() => rnnForward(rnn.weights, rnn.xs, null, { ...dims, steps: 0 })).toThrow(
      'rnnForward: dims.steps must be an integer ≥ 1, got 0',
    );
  });
});

describe('hand-derived BPTT, the input gradient', () => {
  it('is computed once, when first read, and is then the same array', () => {
    const dims = { batchSize: 2, steps: 4, inputSize: 3, hiddenSize: 5 };
    for (const kind of kinds) {
      const grads = manual(makeProblem(kind, dims, 7, true)).grads;
      const first = grads.dxs;
      expect(first.length).toBe(2 * 4 * 3);
      expect(grads.dxs).toBe(first);
    }
  });
});

describe('checkSize and checkCellInputs', () => {
  it('checkSize passes a missing array and one of the right size, and names the wrong one', () => {
    expect(() => checkSize('op', 'bias_ih', null, [4])).not.toThrow();
    expect(() => checkSize('op', 'bias_ih', undefined, [4])).not.toThrow();
    expect(() => checkSize('op', 'h0', new Float64Array(6), [2, 3])).not.toThrow();
    expect(() => checkSize('op', 'h0', new Float64Array(5), [2, 3])).toThrow(
      'op: h0 has 5 entries, expected [2, 3] = 6',
    );
  });

  it('checkCellInputs checks every dim before any array, and the arrays in PyTorch order', () => {
    const dims = { batchSize: 1, steps: 2, inputSize: 3, hiddenSize: 2 };
    const weights = {
      weight_ih: new Float64Array(4 * 2 * 3),
      weight_hh: new Float64Array(4 * 2 * 2),
      bias_ih: null,
      bias_hh: new Float64Array(4 * 2),
    };
    const xs = new Float64Array(1 * 2 * 3);
    expect(() => checkCellInputs('lstmForward', weights, xs, dims, 4)).not.toThrow();
    expect(() =>
      checkCellInputs('lstmForward', weights, new Float64Array(0), { ...dims, hiddenSize: 2.5 }, 4),
    ).toThrow('lstmForward: dims.hiddenSize must be an integer ≥ 1, got 2.5');
    expect(() =>
      checkCellInputs(
        'lstmForward',
        { ...weights, bias_hh: new Float64Array(3) },
        new Float64Array(5),
        dims,
        4,
      ),
    ).toThrow('lstmForward: bias_hh has 3 entries, expected [8] = 8');
  });
});

describe('layouts and products', () => {
  it('toTimeMajor moves xs[b, t, f] to [t, b, f], and toBatchFirst moves it back', () => {
    // B = 2, T = 3, F = 1: entry b·10 + t at [b, t]
    const batchFirst = Float64Array.of(0, 1, 2, 10, 11, 12);
    const timeMajor = toTimeMajor(batchFirst, 2, 3, 1);
    expect(Array.from(timeMajor)).toEqual([0, 10, 1, 11, 2, 12]);
    expect(Array.from(toBatchFirst(timeMajor, 3, 2, 1))).toEqual(Array.from(batchFirst));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (B, T, F) => {
          const xs = Float64Array.from({ length: B * T * F }, (_, i) => i);
          const moved = toTimeMajor(xs, B, T, F);
          // the first feature of the last sequence's last step starts the last block
          expect(moved[((T - 1) * B + (B - 1)) * F]).toBe(((B - 1) * T + (T - 1)) * F);
          expect(toBatchFirst(moved, T, B, F)).toEqual(xs);
        },
      ),
    );
  });

  it('projectRows is x Wᵀ + b for every row, and x Wᵀ without a bias', () => {
    const x = Float64Array.of(1, 2, 3, 4); // [2, 2]
    const W = Float64Array.of(1, 0, 0, 1, 1, 1); // [3, 2]
    const b = Float64Array.of(10, 20, 30);
    expect(Array.from(projectRows(x, W, b, 2, 2, 3))).toEqual([11, 22, 33, 13, 24, 37]);
    expect(Array.from(projectRows(x, W, null, 2, 2, 3))).toEqual([1, 2, 3, 3, 4, 7]);
  });

  it('addBiases sums two biases into a new array, or returns the one that exists', () => {
    const a = Float64Array.of(1, 2);
    const b = Float64Array.of(10, 20);
    const sum = addBiases(a, b)!;
    expect(Array.from(sum)).toEqual([11, 22]);
    expect(sum).not.toBe(a);
    expect(addBiases(a, null)).toBe(a);
    expect(addBiases(null, b)).toBe(b);
    expect(addBiases(null, null)).toBeNull();
  });

  it('sumRows adds up the columns of a [rows, cols] matrix', () => {
    expect(Array.from(sumRows(Float64Array.of(1, 2, 3, 4, 5, 6), 3, 2))).toEqual([9, 12]);
    expect(Array.from(sumRows(new Float64Array(0), 0, 3))).toEqual([0, 0, 0]);
  });

  it('sigmoid is 1/(1 + e⁻ˣ), symmetric, and keeps tiny values where e⁻ˣ overflows', () => {
    expect(sigmoid(0)).toBe(0.5);
    fc.assert(
      fc.property(arbitraries.value({ min: -30, max: 30 }), (x) => {
        expect(sigmoid(x)).toBeAllclose(1 / (1 + Math.exp(-x)), { rtol: 1e-14, atol: 0 });
        expect(sigmoid(x) + sigmoid(-x)).toBeAllclose(1, { rtol: 1e-15, atol: 0 });
      }),
    );
    // At x = −720, e⁻ˣ overflows to ∞ and 1/(1 + e⁻ˣ) would give 0; eˣ/(1 + eˣ) keeps eˣ.
    expect(1 / (1 + Math.exp(720))).toBe(0);
    expect(sigmoid(-720)).toBeGreaterThan(0);
    expect(sigmoid(-720)).toBe(Math.exp(-720));
    expect(sigmoid(800)).toBe(1);
  });

  it('lazyInputGradient computes dPre·W_ih once, batch-first, when first called', () => {
    // B = 1, T = 2, I = 1, H = 1, G = 1: dxs[0, t] = dPre[t] · W_ih
    const dPre = Float64Array.of(2, -3);
    const read = lazyInputGradient(
      dPre,
      Float64Array.of(5),
      { batchSize: 1, steps: 2, inputSize: 1, hiddenSize: 1 },
      1,
    );
    const first = read();
    expect(Array.from(first)).toEqual([10, -15]);
    dPre[0] = 100; // read once: later changes to dPre do not reach it
    expect(read()).toBe(first);
    expect(Array.from(read())).toEqual([10, -15]);
  });
  it('linearParameterGradients sums dPre_tᵀ·x_t and dPre_tᵀ·h_{t−1} over steps and batch', () => {
    // T = 2, B = 1, I = 1, H = 1, G = 2 (two gate rows), worked by hand:
    // dW_ih[g] = Σ_t dPre_t[g]·x_t, dW_hh[g] = Σ_t dPre_t[g]·h_{t−1}, db[g] = Σ_t dPre_t[g].
    const dPre = Float64Array.of(1, 2, 3, -1); // step 0: [1, 2], step 1: [3, −1]
    const xs = Float64Array.of(10, 20);
    const hPrevs = Float64Array.of(0.5, -2);
    const dims = { batchSize: 1, steps: 2, inputSize: 1, hiddenSize: 1 };
    const weights = {
      weight_ih: new Float64Array(2),
      weight_hh: new Float64Array(2),
      bias_ih: new Float64Array(2),
      bias_hh: null,
    };
    const g = linearParameterGradients(dPre, xs, hPrevs, weights, dims, 2);
    expect(Array.from(g.weight_ih)).toEqual([1 * 10 + 3 * 20, 2 * 10 - 1 * 20]);
    expect(Array.from(g.weight_hh)).toEqual([1 * 0.5 + 3 * -2, 2 * 0.5 - 1 * -2]);
    expect(Array.from(g.bias_ih!)).toEqual([4, 1]);
    expect(g.bias_hh).toBeNull(); // no bias, no gradient
  });
});
