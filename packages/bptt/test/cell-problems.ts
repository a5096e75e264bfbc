/**
 * Real cells of @unroll/cells with seeded random weights, inputs, initial state and loss
 * weights — for the tests that run unroll, unrollFused and the hand-derived passes on the
 * same problem. The loss they take is L = Σ wOut ⊙ outputs + Σ wH ⊙ h_T (+ Σ wC ⊙ c_T).
 */

import { GRUCell, LSTMCell, RNNCell } from '@unroll/cells';
import { arbitraries } from '@unroll/gradcheck';
import { fromData } from '@unroll/tensor';
import fc from 'fast-check';
import type { CellWeights, RecurrentState } from '../src/index.ts';
import { randomLeaf, seededRandom, uniformArray } from './random.ts';
import type { CellKind } from './reference.ts';

export const cellKinds: CellKind[] = ['rnn-tanh', 'rnn-relu', 'lstm', 'gru', 'gru-cho'];

export function makeCell(kind: CellKind, inputSize: number, hiddenSize: number, bias: boolean) {
  const options = { inputSize, hiddenSize, bias };
  if (kind === 'lstm') return new LSTMCell(options);
  if (kind === 'gru' || kind === 'gru-cho') {
    return new GRUCell({ ...options, resetAfter: kind === 'gru' });
  }
  return new RNNCell({ ...options, nonlinearity: kind === 'rnn-relu' ? 'relu' : 'tanh' });
}

/** Sizes B 1–3, T 1–6, I and H 1–5, with or without biases, and a seed; of the kinds given. */
export const cellCaseArb = (kinds: readonly CellKind[] = cellKinds) =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    B: fc.integer({ min: 1, max: 3 }),
    T: fc.integer({ min: 1, max: 6 }),
    I: fc.integer({ min: 1, max: 5 }),
    H: fc.integer({ min: 1, max: 5 }),
    bias: fc.boolean(),
    seed: arbitraries.seed(),
  });

export type CellCase = typeof cellCaseArb extends (...a: never[]) => fc.Arbitrary<infer C>
  ? C
  : never;

/** The cell with random weights, xs [B, T, I] and state0 as leaves, and the loss weights. */
export function cellProblem({ kind, B, T, I, H, bias, seed }: CellCase) {
  const random = seededRandom(seed);
  const cell = makeCell(kind, I, H, bias);
  for (const [, p] of cell.namedParameters()) p.data.set(uniformArray(random, p.size));
  const xs = randomLeaf(random, [B, T, I]);
  const h = randomLeaf(random, [B, H]);
  const state0: RecurrentState = kind === 'lstm' ? { h, c: randomLeaf(random, [B, H]) } : { h };
  return {
    cell,
    xs,
    state0,
    wOut: fromData(uniformArray(random, B * T * H), [B, T, H]),
    wH: fromData(uniformArray(random, B * H), [B, H]),
    wC: fromData(uniformArray(random, B * H), [B, H]),
  };
}

/** The cell's parameters as the flat arrays the hand-derived passes take. */
export function weightsOf(cell: RNNCell | LSTMCell | GRUCell): CellWeights {
  return {
    weight_ih: cell.weight_ih.data,
    weight_hh: cell.weight_hh.data,
    bias_ih: cell.bias_ih?.data ?? null,
    bias_hh: cell.bias_hh?.data ?? null,
  };
}
