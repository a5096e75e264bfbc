/**
 * unrollStack: a stacked layer of @unroll/cells run layer by layer with @unroll/bptt's
 * unroll, giving the layer's own output with every layer's states kept in the graph.
 */

import { LSTM } from '@unroll/cells';
import { noGrad, Rng, randn } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { unrollStack } from '../src/stack.ts';

describe('unrollStack', () => {
  it("computes the stacked layer's own output, with the states of every layer kept", () => {
    const rng = new Rng(7);
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, rng });
    const x = randn([2, 5, 3], rng);
    const mine = unrollStack(lstm, x, { lengths: [5, 3] });
    const theirs = noGrad(() => lstm.forward(x, undefined, { lengths: [5, 3] }));
    expect(mine.output.data).toBeAllclose(theirs.output.data, { rtol: 1e-13, atol: 1e-15 });
    expect(mine.states.map((l) => l.length)).toEqual([5, 5]);
    expect(() =>
      unrollStack(new LSTM({ inputSize: 3, hiddenSize: 2, bidirectional: true }), x),
    ).toThrow(
      'unrollStack: bidirectional layers are not supported; measure each direction as its own cell',
    );
  });
});
