/**
 * The one-screen examples (docs/examples) compute, with nothing but loops, the same
 * loss and gradients as @unroll/bptt's hand-derived passes with autodiff for the
 * softmax readout — and training on the shipped text lowers their loss.
 */

import { lstmBackward, lstmForward, rnnBackward, rnnForward } from '@unroll/bptt';
import { arbitraries } from '@unroll/gradcheck';
import { mobyDick } from '@unroll/tasks';
import { crossEntropy, fromData, linear, Rng } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as lstm from '../examples/min-char-lstm.ts';
import * as rnn from '../examples/min-char-rnn.ts';

/** A random problem: V symbols, H units, T steps, weights of ordinary size. */
function problem(seed: number, gates: number) {
  const rng = new Rng(seed);
  const [V, H, T] = [2 + rng.int(5), 1 + rng.int(4), 1 + rng.int(6)];
  const uniform = (n: number) => Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const params: rnn.RNNParams = {
    Wxh: uniform(gates * H * V),
    Whh: uniform(gates * H * H),
    Why: uniform(V * H),
    bh: uniform(gates * H),
    by: uniform(V),
  };
  const ids = (n: number) => Array.from({ length: n }, () => rng.int(V));
  const [inputs, targets] = [ids(T), ids(T)];
  const oneHot = new Float64Array(T * V);
  for (const [t, id] of inputs.entries()) oneHot[t * V + id] = 1;
  const weights = {
    weight_ih: params.Wxh,
    weight_hh: params.Whh,
    bias_ih: params.bh,
    bias_hh: null,
  };
  const dims = { batchSize: 1, steps: T, inputSize: V, hiddenSize: H };
  return {
    V,
    H,
    T,
    params,
    inputs,
    targets,
    oneHot,
    weights,
    dims,
    h0: uniform(H),
    c0: uniform(H),
  };
}

/** The softmax readout and summed log loss on the graph: ∂L/∂h_t, ∂L/∂Why, ∂L/∂by and L. */
function readout(hs: Float64Array, p: ReturnType<typeof problem>) {
  const outputs = fromData(hs, [p.T, p.H], { requiresGrad: true });
  const Why = fromData(p.params.Why, [p.V, p.H], { requiresGrad: true });
  const by = fromData(p.params.by, [p.V], { requiresGrad: true });
  const loss = crossEntropy(linear(outputs, Why, by), p.targets, { reduction: 'sum' });
  loss.backward();
  return {
    loss: loss.item(),
    dOutput: outputs.grad!.data,
    dWhy: Why.grad!.data,
    dby: by.grad!.data,
  };
}

const close = { rtol: 1e-10, atol: 1e-12 };

describe('docs/examples', () => {
  it('min-char-rnn: the same loss and gradients as rnnBackward', () => {
    fc.assert(
      fc.property(arbitraries.seed(), (seed) => {
        const p = problem(seed, 1);
        const mine = rnn.lossFun(p.params, p.inputs, p.targets, p.h0);
        const tape = rnnForward(p.weights, p.oneHot, p.h0, p.dims);
        const r = readout(tape.output, p);
        const g = rnnBackward(p.weights, tape, r.dOutput);
        expect(mine.loss).toBeAllclose(r.loss, close);
        expect(mine.h).toBeAllclose(tape.hT, close);
        expect(mine.grads.Wxh).toBeAllclose(g.weight_ih, close);
        expect(mine.grads.Whh).toBeAllclose(g.weight_hh, close);
        expect(mine.grads.bh).toBeAllclose(g.bias_ih!, close);
        expect(mine.grads.Why).toBeAllclose(r.dWhy, close);
        expect(mine.grads.by).toBeAllclose(r.dby, close);
      }),
      { numRuns: 25 },
    );
  });

  it('min-char-lstm: the same loss and gradients as lstmBackward', () => {
    fc.assert(
      fc.property(arbitraries.seed(), (seed) => {
        const p = problem(seed, 4);
        const mine = lstm.lossFun(p.params, p.inputs, p.targets, p.h0, p.c0);
        const tape = lstmForward(p.weights, p.oneHot, { h: p.h0, c: p.c0 }, p.dims);
        const r = readout(tape.output, p);
        const g = lstmBackward(p.weights, tape, r.dOutput);
        expect(mine.loss).toBeAllclose(r.loss, close);
        expect(mine.c).toBeAllclose(tape.cT, close);
        expect(mine.grads.Wxh).toBeAllclose(g.weight_ih, close);
        expect(mine.grads.Whh).toBeAllclose(g.weight_hh, close);
        expect(mine.grads.bh).toBeAllclose(g.bias_ih!, close);
        expect(mine.grads.Why).toBeAllclose(r.dWhy, close);
      }),
      { numRuns: 25 },
    );
  });

  it('both learn from the shipped text: 300 chunks of 25 characters lower the loss', () => {
    const text = mobyDick().text.slice(0, 20_000);
    const untrained = 25 * Math.log(new Set(text).size); // what a uniform guess scores
    expect(rnn.train(text, 300, 16)).toBeLessThan(untrained - 2);
    expect(lstm.train(text, 300, 16)).toBeLessThan(untrained - 2);
  });
});
