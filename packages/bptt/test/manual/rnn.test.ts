/**
 * manual/rnn.ts: the vanilla RNN's hand-derived forward and backward (tanh and relu)
 * against the published equations, central differences, autodiff and PyTorch, and its
 * nonlinearity check.
 */

import { describe, expect, it } from 'vitest';
import { rnnForward } from '../../src/index.ts';
import { describeHandDerived, makeProblem } from './hand-derived.ts';
import { describeAgainstTorch } from './torch-references.ts';

describeHandDerived('rnn-tanh');
describeAgainstTorch('rnn-tanh');
describeHandDerived('rnn-relu');
describeAgainstTorch('rnn-relu');

describe('rnnForward options', () => {
  it('refuses an unknown nonlinearity, naming both allowed', () => {
    const dims = { batchSize: 2, steps: 3, inputSize: 4, hiddenSize: 5 };
    const rnn = makeProblem('rnn-tanh', dims, 1, false);
    expect(() => rnnForward(rnn.weights, rnn.xs, null, dims, 'sigmoid' as 'tanh')).toThrow(
      "rnnForward: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'",
    );
  });
});
