/**
 * RNNCell: h_t = f(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh) with f = tanh or relu,
 * against central differences over chained steps, and its nonlinearity option.
 */

import { add, linear, noGrad, Rng, relu, type Tensor, tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RNNCell, unbind } from '../src/index.ts';
import { chain, dims } from './cell-cases.ts';
import { checkLeafGradients } from './check.ts';

describe('RNNCell: gradients agree with central differences over chained steps', () => {
  it('RNNCell tanh', () => {
    fc.assert(
      fc.property(dims, (d) => {
        const rng = new Rng(d.seed);
        const cell = new RNNCell({ inputSize: d.I, hiddenSize: d.H, bias: d.bias, rng });
        const { loss, leaves } = chain(cell, d, rng);
        checkLeafGradients(leaves, loss, 'RNNCell tanh');
      }),
      { numRuns: 25 },
    );
  });

  it('RNNCell relu, pre-activations kept at least 1e-3 from the kink', () => {
    fc.assert(
      fc.property(dims, (d) => {
        const rng = new Rng(d.seed);
        const cell = new RNNCell({
          inputSize: d.I,
          hiddenSize: d.H,
          bias: d.bias,
          nonlinearity: 'relu',
          rng,
        });
        const { loss, leaves, x, h0 } = chain(cell, d, rng);
        fc.pre(distanceFromKink(cell, x, h0) > 1e-3);
        checkLeafGradients(leaves, loss, 'RNNCell relu');
      }),
      { numRuns: 25 },
    );
  });
});

/** The smallest |pre-activation| of a relu RNN cell over the chained steps. */
function distanceFromKink(cell: RNNCell, x: Tensor, h0: Tensor): number {
  return noGrad(() => {
    let h = h0;
    let smallest = Number.POSITIVE_INFINITY;
    for (const xt of unbind(x)) {
      const raw = add(cell.projectInput(xt), linear(h, cell.weight_hh, cell.bias_hh));
      for (const value of raw.data) smallest = Math.min(smallest, Math.abs(value));
      h = relu(raw);
    }
    return smallest;
  });
}

describe('RNNCell options', () => {
  it('one step is f(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh): tanh by default, relu when asked', () => {
    // I = H = 1 with hand-set weights: W_ih = 2, W_hh = 0.5, b_ih = 0.1, b_hh = −0.3.
    const set = (cell: RNNCell) => {
      cell.weight_ih.data[0] = 2;
      cell.weight_hh.data[0] = 0.5;
      cell.bias_ih!.data[0] = 0.1;
      cell.bias_hh!.data[0] = -0.3;
      return cell;
    };
    const tanhCell = set(new RNNCell({ inputSize: 1, hiddenSize: 1 }));
    const reluCell = set(new RNNCell({ inputSize: 1, hiddenSize: 1, nonlinearity: 'relu' }));
    expect(tanhCell.nonlinearity).toBe('tanh');
    const hPrev = { h: tensor([[-1]]) };
    // 2·0.4 + 0.1 + 0.5·(−1) − 0.3 = 0.1;  2·(−0.4) + 0.1 − 0.5 − 0.3 = −1.5
    expect(tanhCell.step(tensor([[0.4]]), hPrev).h.item()).toBeAllclose(Math.tanh(0.1));
    expect(reluCell.step(tensor([[0.4]]), hPrev).h.item()).toBeAllclose(0.1);
    expect(tanhCell.step(tensor([[-0.4]]), hPrev).h.item()).toBeAllclose(Math.tanh(-1.5));
    expect(reluCell.step(tensor([[-0.4]]), hPrev).h.item()).toBe(0);
  });

  it('refuses a nonlinearity other than tanh and relu, naming both', () => {
    expect(
      () => new RNNCell({ inputSize: 2, hiddenSize: 3, nonlinearity: 'sigmoid' as 'relu' }),
    ).toThrow("RNNCell: nonlinearity must be one of 'tanh', 'relu', got 'sigmoid'");
  });
});
