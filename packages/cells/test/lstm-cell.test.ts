/**
 * LSTMCell and its fused step lstmUpdate: gradients against central differences over
 * chained steps, lstmUpdate against the published equations written with tensor ops
 * (values and gradients), fan-out into its inputs, and the forget-gate bias.
 */

import {
  add,
  chunk,
  mul,
  Rng,
  randn,
  sigmoid,
  sum,
  type Tensor,
  tanh,
  tensor,
} from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LSTM, LSTMCell, lstmUpdate, setForgetBias } from '../src/index.ts';
import { chain, dims, fanOutInputs, freshLeaf, fusedDims } from './cell-cases.ts';
import { checkLeafGradients } from './check.ts';

describe('LSTMCell: gradients agree with central differences over chained steps', () => {
  it('LSTMCell', () => {
    fc.assert(
      fc.property(dims, (d) => {
        const rng = new Rng(d.seed);
        const cell = new LSTMCell({ inputSize: d.I, hiddenSize: d.H, bias: d.bias, rng });
        const { loss, leaves } = chain(cell, d, rng);
        checkLeafGradients(leaves, loss, 'LSTMCell');
      }),
      { numRuns: 25 },
    );
  });
});

/** The published equations with tensor ops, as a second implementation of lstmUpdate. */
function composedLSTM(xW: Tensor, hW: Tensor, cPrev: Tensor) {
  const [i, f, g, o] = chunk(add(xW, hW), 4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const c = add(mul(sigmoid(f), cPrev), mul(sigmoid(i), tanh(g)));
  return { h: mul(sigmoid(o), tanh(c)), c };
}

/** Random xW, hW ([B, 4H]) and c_{t−1} ([B, H]), of spread 2 so the gates leave their linear range. */
const stepInputs = (B: number, H: number, rng: Rng) =>
  [
    [B, 4 * H],
    [B, 4 * H],
    [B, H],
  ].map((s) => randn(s, rng).mul(2));

describe('lstmUpdate, the fused step', () => {
  it('lstmUpdate: same h and c, same gradients for xW, hW, cPrev', () => {
    fc.assert(
      fc.property(fusedDims, ({ B, H, seed }) => {
        const rng = new Rng(seed);
        const inputs = stepInputs(B, H, rng);
        const run = (f: typeof lstmUpdate) => {
          const [xW, hW, c0] = inputs.map(freshLeaf) as [Tensor, Tensor, Tensor];
          const { h, c } = f(xW, hW, c0);
          add(sum(mul(h, h)), sum(mul(c, tanh(c)))).backward();
          return [h, c, xW.grad!, hW.grad!, c0.grad!];
        };
        const fused = run(lstmUpdate);
        const reference = run(composedLSTM);
        const names = ['h', 'c', 'dL/dxW', 'dL/dhW', 'dL/dcPrev'];
        fused.forEach((t, k) => {
          expect(t, `lstmUpdate ${names[k]}`).toBeAllclose(reference[k]!, {
            rtol: 1e-12,
            atol: 1e-14,
          });
        });
      }),
      { numRuns: 40 },
    );
  });

  it('one dGates for both rules: passes through h only, c only, or h then c agree with the equations', () => {
    fc.assert(
      fc.property(fusedDims, ({ B, H, seed }) => {
        const rng = new Rng(seed);
        const inputs = stepInputs(B, H, rng);
        const w = randn([B, H], rng);
        // Each list is the losses of successive passes through one graph.
        const passes = [
          ['h', 'h'],
          ['c', 'c'],
          ['h', 'c'],
        ] as const;
        for (const reaches of passes) {
          const run = (f: typeof lstmUpdate) => {
            const [xW, hW, c0] = inputs.map(freshLeaf) as [Tensor, Tensor, Tensor];
            const state = f(xW, hW, c0);
            for (const part of reaches) {
              sum(mul(state[part], w)).backward(undefined, { retainGraph: true });
            }
            return [xW.grad!, hW.grad!, c0.grad!];
          };
          const reference = run(composedLSTM);
          run(lstmUpdate).forEach((g, k) => {
            expect(g, `losses on ${reaches}: gradient ${k}`).toBeAllclose(reference[k]!, {
              rtol: 1e-12,
              atol: 1e-14,
            });
          });
        }
      }),
      { numRuns: 20 },
    );
  });

  it('accumulates when one tensor feeds several of its inputs (fan-out)', () => {
    fc.assert(
      fc.property(fusedDims, (d) => {
        const { lstmGates: gates, c0, w } = fanOutInputs(d);
        // xW and hW are the same tensor; h and c both reach the loss.
        const lstmLoss = () => {
          const { h, c } = lstmUpdate(gates, gates, c0);
          return add(sum(mul(h, w)), sum(mul(c, h)));
        };
        checkLeafGradients(
          [
            ['gates', gates],
            ['c0', c0],
          ],
          lstmLoss,
          'lstmUpdate(g, g, c)',
        );
      }),
      { numRuns: 20 },
    );
  });
});

describe('the forget-gate bias', () => {
  it('forgetBias sets b_if + b_hf to the value in every layer and direction, leaving the rest', () => {
    const H = 5;
    const layer = new LSTM({
      inputSize: 2,
      hiddenSize: H,
      numLayers: 2,
      bidirectional: true,
      forgetBias: 1,
    });
    const plain = new LSTM({ inputSize: 2, hiddenSize: H, numLayers: 2, bidirectional: true });
    const biases = Object.fromEntries(layer.namedParameters());
    const plainBiases = Object.fromEntries(plain.namedParameters());
    for (const suffix of ['_l0', '_l0_reverse', '_l1', '_l1_reverse']) {
      const ih = biases[`bias_ih${suffix}`]!.data;
      const hh = biases[`bias_hh${suffix}`]!.data;
      for (let j = H; j < 2 * H; j++) expect(ih[j]! + hh[j]!).toBe(1);
      for (const j of [0, H - 1, 2 * H, 4 * H - 1]) {
        expect(ih[j]).toBe(plainBiases[`bias_ih${suffix}`]!.data[j]);
      }
    }
  });

  it('setForgetBias writes the f block (rows H..2H) of bias_ih and zeroes that of bias_hh', () => {
    const cell = new LSTMCell({ inputSize: 1, hiddenSize: 2 });
    const ih = Array.from(cell.bias_ih!.data);
    const hh = Array.from(cell.bias_hh!.data);
    setForgetBias(cell, -2);
    expect(Array.from(cell.bias_ih!.data)).toEqual([ih[0], ih[1], -2, -2, ...ih.slice(4)]);
    expect(Array.from(cell.bias_hh!.data)).toEqual([hh[0], hh[1], 0, 0, ...hh.slice(4)]);
    // With every weight 0 and x = h = c = 0, only the biases act: f = σ(−2), and
    // c_t = f ⊙ c_{t−1} + i ⊙ g, so a cell state of 1 keeps σ(−2) of itself plus i ⊙ g.
    cell.weight_ih.data.fill(0);
    cell.weight_hh.data.fill(0);
    cell.bias_ih!.data.fill(0, 0, 2).fill(0, 4);
    cell.bias_hh!.data.fill(0);
    const { c } = cell.step(tensor([[0]]), { h: tensor([[0, 0]]), c: tensor([[1, 1]]) });
    const f = 1 / (1 + Math.exp(2));
    expect(c).toBeAllclose([[f, f]], { rtol: 1e-15, atol: 0 }); // i ⊙ g = ½ · tanh(0) = 0
  });

  it('forgetBias without biases is refused', () => {
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 3, bias: false, forgetBias: 1 })).toThrow(
      'LSTMCell: forgetBias needs the biases (bias: true)',
    );
  });

  it('forgetBias outside [−100, 100] is refused with the range', () => {
    expect(() => new LSTMCell({ inputSize: 2, hiddenSize: 3, forgetBias: 101 })).toThrow(
      'LSTMCell: forgetBias must be in [-100, 100], got 101',
    );
    expect(() => new LSTMCell({ inputSize: 2, hiddenSize: 3, forgetBias: Number.NaN })).toThrow(
      'LSTMCell: forgetBias must be in [-100, 100], got NaN',
    );
    const edge = new LSTMCell({ inputSize: 1, hiddenSize: 1, forgetBias: -100 });
    expect(edge.bias_ih!.data[1]).toBe(-100);
  });
});
