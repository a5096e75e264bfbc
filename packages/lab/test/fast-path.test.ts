/**
 * fast-path.ts: a stack of layers by the hand-derived passes. Its gradients are those of
 * central differences; it adds them into .grad as autodiff does; and a sequence run in
 * two pieces, the second from `stateAt` the end of the first, is the sequence run whole
 * (what truncated BPTT and the char-LM's carried state rely on).
 */

import { assertGradcheck, gradcheck } from '@unroll/gradcheck';
import { Rng, randn } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { CELLS } from '../src/config.ts';
import { backwardStack, forwardStack, stateAt } from '../src/fast-path.ts';
import { SequenceModel } from '../src/model.ts';

const [B, T, I, H] = [2, 5, 3, 4];

function setUp(cell: (typeof CELLS)[number]) {
  const rng = new Rng(11);
  const model = new SequenceModel(
    { cell, inputSize: I, hiddenSize: H, layers: 2, outputSize: 1, forgetBias: null },
    rng,
  );
  return { model, xs: randn([B, T, I], rng).data, w: randn([B, T, H], rng).data };
}

/** Σ w ⊙ (top layer's outputs), the loss whose gradient the tests take. */
const weighted = (output: Float64Array, w: Float64Array) =>
  output.reduce((s, v, i) => s + v * w[i]!, 0);

describe.each(CELLS)('the %s stack', (cell) => {
  it('gives every parameter the gradient central differences give', () => {
    const { model, xs, w } = setUp(cell);
    backwardStack(model, forwardStack(model, xs, B, T, null), w);
    for (const [name, p] of model.recurrent.namedParameters()) {
      assertGradcheck(
        gradcheck(
          () => weighted(forwardStack(model, xs, B, T, null).output, w),
          p.data,
          p.grad!.data,
          {
            shape: [...p.shape],
            what: `d/d${name} of the ${cell} stack`,
          },
        ),
      );
    }
  });

  it('adds its gradients into .grad: two backward passes give twice one', () => {
    const { model, xs, w } = setUp(cell);
    const tape = forwardStack(model, xs, B, T, null);
    backwardStack(model, tape, w);
    const once = model.recurrent.parameters().map((p) => p.grad!.data.slice());
    backwardStack(model, tape, w);
    model.recurrent.parameters().forEach((p, k) => {
      expect(p.grad!.data).toBeAllclose(
        once[k]!.map((g) => 2 * g),
        { atol: 0, rtol: 1e-15 },
      );
    });
  });

  it('run in two pieces, the second from stateAt the first, is the sequence run whole', () => {
    const { model, xs } = setUp(cell);
    const whole = forwardStack(model, xs, B, T, null);
    const cut = 2;
    const part = (from: number, to: number) => {
      const out = new Float64Array(B * (to - from) * I);
      for (let b = 0; b < B; b++)
        out.set(xs.subarray((b * T + from) * I, (b * T + to) * I), b * (to - from) * I);
      return out;
    };
    const first = forwardStack(model, part(0, cut), B, cut, null);
    const second = forwardStack(model, part(cut, T), B, T - cut, stateAt(first, cut));
    for (let b = 0; b < B; b++) {
      expect(first.output.subarray(b * cut * H, (b + 1) * cut * H)).toBeAllclose(
        whole.output.subarray(b * T * H, (b * T + cut) * H),
        { atol: 1e-15, rtol: 1e-14 },
      );
      expect(second.output.subarray(b * (T - cut) * H, (b + 1) * (T - cut) * H)).toBeAllclose(
        whole.output.subarray((b * T + cut) * H, (b + 1) * T * H),
        { atol: 1e-15, rtol: 1e-14 },
      );
    }
    expect(stateAt(second, T - cut)).toEqual(stateAt(whole, T));
  });

  it('stateAt gives copies: the state at step 0 is where it started, and changing it changes no tape', () => {
    const { model, xs } = setUp(cell);
    const start = stateAt(forwardStack(model, xs, B, T, null), T);
    const tape = forwardStack(model, xs, B, T, start);
    const again = stateAt(tape, 0);
    expect(again).toEqual(start);
    again[0]!.h.fill(7);
    expect(stateAt(tape, 0)).toEqual(start);
  });
});
