/**
 * What the cells share (cell.ts): PyTorch's parameter layout, the zero initial state,
 * the input projection, the checks on options, x and the state, and the shape check
 * of the fused steps' inputs.
 */

import { linear, Rng, randn, type Tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { GRUCell, gruUpdate, LSTMCell, lstmUpdate, RNNCell } from '../src/index.ts';

describe('cells: states, shapes and errors', () => {
  it('initialState is zeros of [B, H] without gradient; step without a state starts there', () => {
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
    const zero = cell.initialState(4);
    expect(zero.h.shape).toEqual([4, 3]);
    expect(Array.from(zero.c.data)).toEqual(new Array(12).fill(0));
    expect(zero.h.requiresGrad).toBe(false);
    const x = randn([4, 2], new Rng(3));
    expect(cell.step(x).h).toBeAllclose(cell.step(x, cell.initialState(4)).h, { rtol: 0, atol: 0 });
  });

  it('parameters have PyTorch names, shapes and gate counts', () => {
    const shapes = (cell: { namedParameters(): [string, Tensor][] }) =>
      cell.namedParameters().map(([n, t]) => [n, t.shape]);
    expect(shapes(new LSTMCell({ inputSize: 2, hiddenSize: 3 }))).toEqual([
      ['weight_ih', [12, 2]],
      ['weight_hh', [12, 3]],
      ['bias_ih', [12]],
      ['bias_hh', [12]],
    ]);
    expect(shapes(new GRUCell({ inputSize: 2, hiddenSize: 3, bias: false }))).toEqual([
      ['weight_ih', [9, 2]],
      ['weight_hh', [9, 3]],
    ]);
    expect(shapes(new RNNCell({ inputSize: 4, hiddenSize: 1 }))).toEqual([
      ['weight_ih', [1, 4]],
      ['weight_hh', [1, 1]],
      ['bias_ih', [1]],
      ['bias_hh', [1]],
    ]);
  });

  it('projectInput is x W_ihᵀ + b_ih for x of any leading dims, every gate at once', () => {
    const cell = new GRUCell({ inputSize: 2, hiddenSize: 3, rng: new Rng(4) });
    const x = randn([5, 4, 2], new Rng(5));
    const xW = cell.projectInput(x);
    expect(xW.shape).toEqual([5, 4, 9]);
    expect(xW).toBeAllclose(linear(x, cell.weight_ih, cell.bias_ih), { rtol: 0, atol: 0 });
    // entry [1, 2, 7]: Σ_i x[1, 2, i] W_ih[7, i] + b_ih[7]
    const at = (1 * 4 + 2) * 2;
    const expected =
      x.data[at]! * cell.weight_ih.data[14]! +
      x.data[at + 1]! * cell.weight_ih.data[15]! +
      cell.bias_ih!.data[7]!;
    expect(xW.data[(1 * 4 + 2) * 9 + 7]).toBeAllclose(expected, { rtol: 1e-14, atol: 0 });
  });

  it('refuses bad options, inputs and states, naming them', () => {
    expect(() => new LSTMCell({ inputSize: 2, hiddenSize: 0 })).toThrow(
      'LSTMCell: hiddenSize must be an integer ≥ 1, got 0',
    );
    expect(() => new RNNCell({ inputSize: 2, hidden_size: 3 } as never)).toThrow(
      "RNNCell: unknown option 'hidden_size'",
    );
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
    const rng = new Rng(1);
    expect(() => cell.step(randn([4, 5], rng))).toThrow(
      'LSTMCell.step: x must be [batch, inputSize = 2], got [4, 5]',
    );
    expect(() => cell.step(randn([4, 2], rng), { h: randn([4, 3], rng) } as never)).toThrow(
      'LSTMCell.step: the state must be { h, c } (c is missing)',
    );
    expect(() =>
      cell.step(randn([4, 2], rng), { h: randn([4, 3], rng), c: randn([2, 3], rng) }),
    ).toThrow('LSTMCell.step: state.c must be [batch = 4, hiddenSize = 3], got [2, 3]');
    expect(() => cell.initialState(0)).toThrow('batchSize must be an integer ≥ 1, got 0');
    const gru = new GRUCell({ inputSize: 2, hiddenSize: 3 });
    expect(() => gru.step(randn([4, 2], rng), randn([4, 3], rng) as never)).toThrow(
      'GRUCell.step: the state must be { h } (h is missing)',
    );
  });

  it('refuses an unknown recurrentInit, listing the three', () => {
    expect(
      () => new GRUCell({ inputSize: 2, hiddenSize: 3, recurrentInit: 'zeros' as 'identity' }),
    ).toThrow(
      "GRUCell: recurrentInit must be one of 'uniform', 'orthogonal', 'identity', got 'zeros'",
    );
  });

  it('the fused steps refuse inputs of the wrong shapes, naming them', () => {
    const rng = new Rng(2);
    expect(() => lstmUpdate(randn([2, 8], rng), randn([2, 8], rng), randn([2, 3], rng))).toThrow(
      'lstmUpdate: need xW and hW [B, 4H] and cPrev [B, H], got [2,8], [2,8], [2,3]',
    );
    expect(() => lstmUpdate(randn([2, 6], rng), randn([2, 6], rng), randn([2, 1], rng))).toThrow(
      'lstmUpdate: need xW and hW [B, 4H]',
    );
    expect(() => gruUpdate(randn([2, 6], rng), randn([3, 6], rng), randn([2, 2], rng))).toThrow(
      'gruUpdate: need xW and hW [B, 3H] and hPrev [B, H], got [2,6], [3,6], [2,2]',
    );
    expect(() => gruUpdate(randn([6], rng), randn([6], rng), randn([2], rng))).toThrow(
      'gruUpdate: need xW and hW [B, 3H] and hPrev [B, H], got [6], [6], [2]',
    );
  });
});
