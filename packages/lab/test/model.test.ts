/**
 * model.ts: the stacked recurrent layer and the readout every run trains, under
 * PyTorch's names and shapes, with its layers' weights handed to the hand-derived passes
 * as the very arrays the optimizer updates.
 */

import { Rng } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { type ModelSpec, SequenceModel } from '../src/model.ts';

const spec = (s: Partial<ModelSpec>): ModelSpec => ({
  cell: 'lstm',
  inputSize: 3,
  hiddenSize: 4,
  layers: 2,
  outputSize: 5,
  forgetBias: null,
  ...s,
});

describe('SequenceModel', () => {
  it("has torch.nn.LSTM's parameter names and shapes, and the readout's", () => {
    const model = new SequenceModel(spec({}), new Rng(0));
    expect(model.namedParameters().map(([name, p]) => `${name} ${p.shape.join('×')}`)).toEqual([
      'weight_ih_l0 16×3',
      'weight_hh_l0 16×4',
      'bias_ih_l0 16',
      'bias_hh_l0 16',
      'weight_ih_l1 16×4',
      'weight_hh_l1 16×4',
      'bias_ih_l1 16',
      'bias_hh_l1 16',
      'readout.weight 5×4',
      'readout.bias 5',
    ]);
  });

  it.each([
    ['rnn', 1],
    ['gru', 3],
  ] as const)('stacks %s gates (%i per unit) the same way', (cell, gates) => {
    const model = new SequenceModel(spec({ cell, layers: 1 }), new Rng(0));
    expect(model.namedParameters().map(([, p]) => p.shape)).toEqual([
      [gates * 4, 3],
      [gates * 4, 4],
      [gates * 4],
      [gates * 4],
      [5, 4],
      [5],
    ]);
    expect(model.hasCellState).toBe(false);
  });

  it('hands each layer its parameters themselves, in the order weight_ih, weight_hh, bias_ih, bias_hh', () => {
    const model = new SequenceModel(spec({}), new Rng(0));
    const byName = new Map(model.namedParameters());
    for (const l of [0, 1]) {
      const names = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((n) => `${n}_l${l}`);
      expect(model.parametersOf(l)).toEqual(names.map((n) => byName.get(n)));
      const weights = model.weightsOf(l);
      // The same arrays, not copies: an optimizer step is seen by the next hand-derived pass.
      expect([weights.weight_ih, weights.weight_hh, weights.bias_ih, weights.bias_hh]).toEqual(
        names.map((n) => byName.get(n)!.data),
      );
      expect(weights.weight_hh).toBe(byName.get(`weight_hh_l${l}`)!.data);
    }
    expect(model.hasCellState).toBe(true);
  });

  it('starts the LSTM forget gate at b_if + b_hf = forgetBias in every layer', () => {
    const model = new SequenceModel(spec({ forgetBias: 1 }), new Rng(0));
    for (const l of [0, 1]) {
      const { bias_ih, bias_hh } = model.weightsOf(l);
      const forget = Array.from({ length: 4 }, (_, j) => bias_ih![4 + j]! + bias_hh![4 + j]!);
      expect(forget).toBeAllclose([1, 1, 1, 1], { atol: 1e-15, rtol: 0 });
    }
  });

  it('is drawn from the generator it is given: the same seed, the same weights', () => {
    const a = new SequenceModel(spec({ cell: 'gru' }), new Rng(5));
    const b = new SequenceModel(spec({ cell: 'gru' }), new Rng(5));
    const c = new SequenceModel(spec({ cell: 'gru' }), new Rng(6));
    expect(a.parameters().map((p) => Array.from(p.data))).toEqual(
      b.parameters().map((p) => Array.from(p.data)),
    );
    expect(a.parameters()[0]!.data).not.toEqual(c.parameters()[0]!.data);
  });
});
