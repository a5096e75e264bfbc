/**
 * Shared by the cell tests (rnn-cell, lstm-cell, gru-cell): random sizes, a cell run
 * for several chained steps with a loss that reaches every h_t (and c_t), and the
 * inputs of the fused steps.
 */

import { arbitraries } from '@unroll/gradcheck';
import { add, fromData, mul, Rng, randn, stack, sum, type Tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { type GRUCell, LSTMCell, type RNNCell, unbind } from '../src/index.ts';

export const dims = fc.record({
  B: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 1, max: 3 }),
  I: fc.integer({ min: 1, max: 5 }),
  H: fc.integer({ min: 1, max: 5 }),
  bias: fc.boolean(),
  seed: arbitraries.seed(),
});
export type Dims = typeof dims extends fc.Arbitrary<infer D> ? D : never;

/** A cell run for T steps from a random state; loss = Σ_t Σ w_t ⊙ h_t (+ Σ v_t ⊙ c_t). */
export function chain(cell: RNNCell | LSTMCell | GRUCell, { B, T, I, H }: Dims, rng: Rng) {
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

/** Sizes of the fused steps' inputs: xW, hW [B, G·H], the previous state [B, H]. */
export const fusedDims = fc.record({
  B: fc.integer({ min: 1, max: 4 }),
  H: fc.integer({ min: 1, max: 5 }),
  seed: arbitraries.seed(),
});

/** A new leaf with a copy of t's values, requiring grad. */
export const freshLeaf = (t: Tensor) => fromData(t.data.slice(), t.shape, { requiresGrad: true });

/**
 * The tensors of the fan-out checks, always drawn in this order from one generator:
 * LSTM gates [B, 4H] and c0, a weight w [B, H] that both losses use, then GRU gates
 * [B, 3H] and h0. Drawing all of them keeps each test's values independent of the other.
 */
export function fanOutInputs({ B, H, seed }: { B: number; H: number; seed: number }) {
  const rng = new Rng(seed);
  const lstmGates = randn([B, 4 * H], rng, { requiresGrad: true });
  const c0 = randn([B, H], rng, { requiresGrad: true });
  const w = randn([B, H], rng);
  const gruGates = randn([B, 3 * H], rng, { requiresGrad: true });
  const h0 = randn([B, H], rng, { requiresGrad: true });
  return { lstmGates, c0, w, gruGates, h0 };
}
