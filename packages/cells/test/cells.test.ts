/**
 * The cells against finite differences (every parameter, every input, the initial
 * state, through several chained steps), the fused LSTM and GRU ops against the same
 * equations written with tensor ops, and the cells' checks on their inputs.
 */

import { arbitraries } from '@unroll/gradcheck';
import {
  add,
  chunk,
  fromData,
  linear,
  mul,
  noGrad,
  Rng,
  randn,
  relu,
  sigmoid,
  stack,
  sub,
  sum,
  type Tensor,
  tanh,
} from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRUCell, gruUpdate, LSTMCell, lstmUpdate, RNNCell, unbind } from '../src/index.ts';
import { checkLeafGradients } from './check.ts';

const dims = fc.record({
  B: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 1, max: 3 }),
  I: fc.integer({ min: 1, max: 5 }),
  H: fc.integer({ min: 1, max: 5 }),
  bias: fc.boolean(),
  seed: arbitraries.seed(),
});
type Dims = typeof dims extends fc.Arbitrary<infer D> ? D : never;

/** A cell run for T steps from a random state; loss = Σ_t Σ w_t ⊙ h_t (+ Σ v_t ⊙ c_t). */
function chain(cell: RNNCell | LSTMCell | GRUCell, { B, T, I, H }: Dims, rng: Rng) {
  const x = randn([T, B, I], rng, { requiresGrad: true });
  const h0 = randn([B, H], rng, { requiresGrad: true });
  const c0 = randn([B, H], rng, { requiresGrad: true });
  const w = randn([T, B, H], rng);
  const v = randn([T, B, H], rng);
  const isLSTM = cell instanceof LSTMCell;
  const loss = () => {
    let state = isLSTM ? { h: h0, c: c0 } : { h: h0 };
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    for (const xt of unbind(x)) {
      state = (cell as LSTMCell).step(xt, state as { h: Tensor; c: Tensor });
      hs.push(state.h);
      if (isLSTM) cs.push((state as { c: Tensor }).c);
    }
    const total = sum(mul(stack(hs), w));
    return isLSTM ? add(total, sum(mul(stack(cs), v))) : total;
  };
  const leaves: [string, Tensor][] = [['x', x], ['h0', h0], ...cell.namedParameters()];
  if (isLSTM) leaves.push(['c0', c0]);
  return { loss, leaves, x, h0 };
}

describe('cells: gradients agree with central differences over chained steps', () => {
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

  for (const resetAfter of [true, false]) {
    it(`GRUCell resetAfter: ${resetAfter}`, () => {
      fc.assert(
        fc.property(dims, (d) => {
          const rng = new Rng(d.seed);
          const cell = new GRUCell({
            inputSize: d.I,
            hiddenSize: d.H,
            bias: d.bias,
            resetAfter,
            rng,
          });
          const { loss, leaves } = chain(cell, d, rng);
          checkLeafGradients(leaves, loss, `GRUCell resetAfter ${resetAfter}`);
        }),
        { numRuns: 25 },
      );
    });
  }
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

/** The published equations with tensor ops, as a second implementation of the fused ops. */
const composed = {
  lstm(xW: Tensor, hW: Tensor, cPrev: Tensor) {
    const [i, f, g, o] = chunk(add(xW, hW), 4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const c = add(mul(sigmoid(f), cPrev), mul(sigmoid(i), tanh(g)));
    return { h: mul(sigmoid(o), tanh(c)), c };
  },
  gru(xW: Tensor, hW: Tensor, hPrev: Tensor) {
    const [xr, xz, xn] = chunk(xW, 3, 1) as [Tensor, Tensor, Tensor];
    const [hr, hz, hn] = chunk(hW, 3, 1) as [Tensor, Tensor, Tensor];
    const r = sigmoid(add(xr, hr));
    const z = sigmoid(add(xz, hz));
    const n = tanh(add(xn, mul(r, hn)));
    return add(mul(sub(1, z), n), mul(z, hPrev));
  },
};

/** A new leaf with a copy of t's values, requiring grad. */
const freshLeaf = (t: Tensor) => fromData(t.data.slice(), t.shape, { requiresGrad: true });

const fusedDims = fc.record({
  B: fc.integer({ min: 1, max: 4 }),
  H: fc.integer({ min: 1, max: 5 }),
  seed: arbitraries.seed(),
});

describe('the fused steps equal their equations written with tensor ops', () => {
  it('lstmUpdate: same h and c, same gradients for xW, hW, cPrev', () => {
    fc.assert(
      fc.property(fusedDims, ({ B, H, seed }) => {
        const rng = new Rng(seed);
        const inputs = [
          [B, 4 * H],
          [B, 4 * H],
          [B, H],
        ].map((s) => randn(s, rng).mul(2));
        const run = (f: typeof lstmUpdate) => {
          const [xW, hW, c0] = inputs.map(freshLeaf) as [Tensor, Tensor, Tensor];
          const { h, c } = f(xW, hW, c0);
          add(sum(mul(h, h)), sum(mul(c, tanh(c)))).backward();
          return [h, c, xW.grad!, hW.grad!, c0.grad!];
        };
        const fused = run(lstmUpdate);
        const reference = run(composed.lstm);
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

  it('gruUpdate: same h, same gradients for xW, hW, hPrev', () => {
    fc.assert(
      fc.property(fusedDims, ({ B, H, seed }) => {
        const rng = new Rng(seed);
        const inputs = [
          [B, 3 * H],
          [B, 3 * H],
          [B, H],
        ].map((s) => randn(s, rng).mul(2));
        const run = (f: typeof gruUpdate) => {
          const [xW, hW, h0] = inputs.map(freshLeaf) as [Tensor, Tensor, Tensor];
          const h = f(xW, hW, h0);
          sum(mul(h, tanh(h))).backward();
          return [h, xW.grad!, hW.grad!, h0.grad!];
        };
        const fused = run(gruUpdate);
        const reference = run(composed.gru);
        const names = ['h', 'dL/dxW', 'dL/dhW', 'dL/dhPrev'];
        fused.forEach((t, k) => {
          expect(t, `gruUpdate ${names[k]}`).toBeAllclose(reference[k]!, {
            rtol: 1e-12,
            atol: 1e-14,
          });
        });
      }),
      { numRuns: 40 },
    );
  });

  it('accumulate when one tensor feeds several of their inputs (fan-out)', () => {
    fc.assert(
      fc.property(fusedDims, ({ B, H, seed }) => {
        const rng = new Rng(seed);
        const gates = randn([B, 4 * H], rng, { requiresGrad: true });
        const c0 = randn([B, H], rng, { requiresGrad: true });
        const w = randn([B, H], rng);
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
        const g3 = randn([B, 3 * H], rng, { requiresGrad: true });
        const h0 = randn([B, H], rng, { requiresGrad: true });
        const gruLoss = () => {
          const h = gruUpdate(g3, g3, h0);
          return sum(mul(gruUpdate(g3, g3, h), w));
        };
        checkLeafGradients(
          [
            ['gates', g3],
            ['h0', h0],
          ],
          gruLoss,
          'gruUpdate twice',
        );
      }),
      { numRuns: 20 },
    );
  });
});

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

  it('refuses bad options, inputs and states, naming them', () => {
    expect(() => new LSTMCell({ inputSize: 2, hiddenSize: 0 })).toThrow(
      'LSTMCell: hiddenSize must be an integer ≥ 1, got 0',
    );
    expect(() => new RNNCell({ inputSize: 2, hidden_size: 3 } as never)).toThrow(
      "RNNCell: unknown option 'hidden_size'",
    );
    expect(
      () => new RNNCell({ inputSize: 2, hiddenSize: 3, nonlinearity: 'sigmoid' as 'relu' }),
    ).toThrow("RNNCell: nonlinearity must be one of 'tanh', 'relu', got 'sigmoid'");
    expect(() => new GRUCell({ inputSize: 2, hiddenSize: 3, resetAfter: 1 as never })).toThrow(
      'GRUCell: resetAfter must be true or false, got 1',
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
