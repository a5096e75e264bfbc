/**
 * Two independent routes to the same gradients: the hand-derived BPTT (src/manual) and
 * autodiff through `unroll` over @unroll/cells' cells. They must agree to 1e-10
 * relative for every cell, both GRU forms, with and without biases; and unroll over the
 * real cells, lengths included, must agree with central differences.
 */

import { GRUCell, LSTMCell, RNNCell } from '@unroll/cells';
import { arbitraries, assertGradcheck, gradcheck } from '@unroll/gradcheck';
import { fromData, mul, sum, type Tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gruBackward,
  gruForward,
  lstmBackward,
  lstmForward,
  type RecurrentState,
  rnnBackward,
  rnnForward,
  unroll,
} from '../src/index.ts';
import { seededRandom, uniformArray } from './random.ts';
import { type CellKind, referenceRun } from './reference.ts';

function makeCell(kind: CellKind, inputSize: number, hiddenSize: number, bias: boolean) {
  const options = { inputSize, hiddenSize, bias };
  if (kind === 'lstm') return new LSTMCell(options);
  if (kind === 'gru' || kind === 'gru-cho')
    return new GRUCell({ ...options, resetAfter: kind === 'gru' });
  return new RNNCell({ ...options, nonlinearity: kind === 'rnn-relu' ? 'relu' : 'tanh' });
}

const problemArb = fc.record({
  kind: fc.constantFrom<CellKind>('rnn-tanh', 'rnn-relu', 'lstm', 'gru', 'gru-cho'),
  B: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 1, max: 6 }),
  I: fc.integer({ min: 1, max: 5 }),
  H: fc.integer({ min: 1, max: 5 }),
  bias: fc.boolean(),
  seed: arbitraries.seed(),
});

type Problem = typeof problemArb extends fc.Arbitrary<infer P> ? P : never;

function setUp({ kind, B, T, I, H, bias, seed }: Problem) {
  const random = seededRandom(seed);
  const cell: LSTMCell | GRUCell | RNNCell = makeCell(kind, I, H, bias);
  for (const [, p] of cell.namedParameters()) p.data.set(uniformArray(random, p.size));
  const leaf = (shape: number[]) =>
    fromData(
      uniformArray(
        random,
        shape.reduce((a, b) => a * b, 1),
      ),
      shape,
      { requiresGrad: true },
    );
  const xs = leaf([B, T, I]);
  const state0 = (
    kind === 'lstm' ? { h: leaf([B, H]), c: leaf([B, H]) } : { h: leaf([B, H]) }
  ) as RecurrentState;
  const wOut = fromData(uniformArray(random, B * T * H), [B, T, H]);
  const wH = fromData(uniformArray(random, B * H), [B, H]);
  const wC = fromData(uniformArray(random, B * H), [B, H]);
  return { cell, xs, state0, wOut, wH, wC };
}

describe('hand-derived BPTT == autodiff through unroll over @unroll/cells', () => {
  it('for every cell, to 1e-10 relative', () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const { kind, B, T, I, H } = p;
        const { cell, xs, state0, wOut, wH, wC } = setUp(p);
        const { outputs, final } = unroll<RecurrentState>(cell, xs, state0);
        let loss = sum(mul(outputs, wOut)).add(sum(mul(final.h, wH)));
        if (final.c) loss = loss.add(sum(mul(final.c, wC)));
        loss.backward();

        const weights = {
          weight_ih: cell.weight_ih.data,
          weight_hh: cell.weight_hh.data,
          bias_ih: cell.bias_ih?.data ?? null,
          bias_hh: cell.bias_hh?.data ?? null,
        };
        const dims = { batchSize: B, steps: T, inputSize: I, hiddenSize: H };
        let manual: { output: Float64Array; grads: Partial<Record<string, Float64Array | null>> };
        if (kind === 'lstm') {
          const tape = lstmForward(weights, xs.data, { h: state0.h.data, c: state0.c!.data }, dims);
          const g = lstmBackward(weights, tape, wOut.data, { dhT: wH.data, dcT: wC.data });
          manual = { output: tape.output, grads: { ...g, c0: g.dc0 } };
        } else if (kind === 'gru' || kind === 'gru-cho') {
          const tape = gruForward(weights, xs.data, state0.h.data, dims, {
            resetAfter: kind === 'gru',
          });
          manual = {
            output: tape.output,
            grads: { ...gruBackward(weights, tape, wOut.data, { dhT: wH.data }) },
          };
        } else {
          const nonlinearity = kind === 'rnn-relu' ? 'relu' : 'tanh';
          const tape = rnnForward(weights, xs.data, state0.h.data, dims, nonlinearity);
          manual = {
            output: tape.output,
            grads: { ...rnnBackward(weights, tape, wOut.data, { dhT: wH.data }) },
          };
        }
        const close = { atol: 1e-300, rtol: 1e-10 };
        expect(outputs.data).toBeAllclose(manual.output, close);
        const pairs: [string, Tensor | null | undefined, Float64Array | null | undefined][] = [
          ['weight_ih', cell.weight_ih, manual.grads.weight_ih],
          ['weight_hh', cell.weight_hh, manual.grads.weight_hh],
          ['bias_ih', cell.bias_ih, manual.grads.bias_ih],
          ['bias_hh', cell.bias_hh, manual.grads.bias_hh],
          ['xs', xs, manual.grads.dxs],
          ['h0', state0.h, manual.grads.dh0],
          ['c0', state0.c, manual.grads.c0],
        ];
        for (const [name, tensor, grad] of pairs) {
          if (tensor == null) continue;
          expect(tensor.grad!.data, `dL/d${name}`).toBeAllclose(grad!, close);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('unroll over the real cells with lengths agrees with central differences', () => {
    const withLengths = problemArb.chain((p) =>
      fc.record({
        p: fc.constant(p),
        lengths: fc.array(fc.integer({ min: 1, max: p.T }), { minLength: p.B, maxLength: p.B }),
      }),
    );
    fc.assert(
      fc.property(withLengths, ({ p, lengths }) => {
        const { cell, xs, state0, wOut, wH, wC } = setUp(p);
        if (p.kind === 'rnn-relu') {
          // The central difference must not straddle relu's kink: keep every pre-activation off 0.
          const weights = {
            weight_ih: cell.weight_ih.data,
            weight_hh: cell.weight_hh.data,
            bias_ih: cell.bias_ih?.data ?? null,
            bias_hh: cell.bias_hh?.data ?? null,
          };
          const dims = { batchSize: p.B, steps: p.T, inputSize: p.I, hiddenSize: p.H };
          const run = referenceRun(
            'rnn-relu',
            weights,
            xs.data,
            state0.h.data,
            state0.h.data,
            dims,
          );
          fc.pre(run.closestToKink > 1e-3);
        }
        const lossOf = () => {
          const { outputs, final } = unroll<RecurrentState>(cell, xs, state0, { lengths });
          const loss = sum(mul(outputs, wOut)).add(sum(mul(final.h, wH)));
          return final.c ? loss.add(sum(mul(final.c, wC))) : loss;
        };
        lossOf().backward();
        const leaves: [string, Tensor][] = [
          ...cell.namedParameters(),
          ['xs', xs],
          ['h0', state0.h],
        ];
        if (state0.c) leaves.push(['c0', state0.c]);
        for (const [name, x] of leaves) {
          assertGradcheck(
            gradcheck(() => lossOf().item(), x.data, x.grad!.data, {
              shape: [...x.shape],
              what: `dL/d${name}`,
            }),
          );
        }
      }),
      { numRuns: 40 },
    );
  });
});
