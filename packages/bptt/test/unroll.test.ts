/**
 * unroll: gradients through the unrolled graph (with and without lengths, over toy cells
 * and the cells of @unroll/cells) against central differences, against the hand-derived BPTT, the packed-sequence semantics of lengths,
 * and the timestep labels of the op context.
 */

import { arbitraries, assertGradcheck, gradcheck } from '@unroll/gradcheck';
import {
  fromData,
  mul,
  type OpContext,
  opContext,
  setOpObserver,
  sum,
  type Tensor,
  tensor,
} from '@unroll/tensor';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecurrentState, rnnBackward, rnnForward, unroll } from '../src/index.ts';
import { cellCaseArb, cellProblem, weightsOf } from './cell-problems.ts';
import { randomLeaf, seededRandom, uniformArray } from './random.ts';
import { referenceRun } from './reference.ts';
import { ToyRNNCell, ToyTwoStateCell } from './toy-cells.ts';

const dimsArb = fc.record({
  B: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 1, max: 6 }),
  I: fc.integer({ min: 1, max: 5 }),
  H: fc.integer({ min: 1, max: 5 }),
});

/** Dims, a seed, and optionally lengths in 1..T. */
const caseArb = dimsArb.chain((dims) =>
  fc.record({
    dims: fc.constant(dims),
    seed: arbitraries.seed(),
    lengths: fc.option(
      fc.array(fc.integer({ min: 1, max: dims.T }), { minLength: dims.B, maxLength: dims.B }),
      { nil: undefined },
    ),
  }),
);

function twoStateProblem(
  { B, T, I, H }: { B: number; T: number; I: number; H: number },
  seed: number,
) {
  const random = seededRandom(seed);
  const cell = new ToyTwoStateCell(
    randomLeaf(random, [H, I]),
    randomLeaf(random, [H, H]),
    randomLeaf(random, [H, I]),
  );
  return {
    cell,
    xs: randomLeaf(random, [B, T, I]),
    state0: { h: randomLeaf(random, [B, H]), c: randomLeaf(random, [B, H]) },
    wOut: fromData(uniformArray(random, B * T * H), [B, T, H]),
    wH: fromData(uniformArray(random, B * H), [B, H]),
    wC: fromData(uniformArray(random, B * H), [B, H]),
  };
}

describe('unroll', () => {
  it('backpropagates through time, lengths included, as central differences say', () => {
    fc.assert(
      fc.property(caseArb, ({ dims, seed, lengths }) => {
        const p = twoStateProblem(dims, seed);
        const loss = () => {
          const { outputs, final } = unroll(p.cell, p.xs, p.state0, { lengths });
          return sum(mul(outputs, p.wOut))
            .add(sum(mul(final.h, p.wH)))
            .add(sum(mul(final.c, p.wC)));
        };
        loss().backward();
        const leaves = {
          weight_ih: p.cell.weight_ih,
          weight_hh: p.cell.weight_hh,
          weight_f: p.cell.weight_f,
          xs: p.xs,
          h0: p.state0.h,
          c0: p.state0.c,
        };
        for (const [name, x] of Object.entries(leaves)) {
          assertGradcheck(
            gradcheck(() => loss().item(), x.data, x.grad!.data, {
              shape: [...x.shape],
              what: `dL/d${name}`,
            }),
          );
        }
      }),
      { numRuns: 25 },
    );
  });

  it('over the cells of @unroll/cells, with lengths, backpropagates as central differences say', () => {
    const withLengths = cellCaseArb().chain((c) =>
      fc.record({
        c: fc.constant(c),
        lengths: fc.array(fc.integer({ min: 1, max: c.T }), { minLength: c.B, maxLength: c.B }),
      }),
    );
    fc.assert(
      fc.property(withLengths, ({ c, lengths }) => {
        const { cell, xs, state0, wOut, wH, wC } = cellProblem(c);
        if (c.kind === 'rnn-relu') {
          // The central difference must not straddle relu's kink: keep every pre-activation off 0.
          const dims = { batchSize: c.B, steps: c.T, inputSize: c.I, hiddenSize: c.H };
          const run = referenceRun(
            'rnn-relu',
            weightsOf(cell),
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

  it('zeroes outputs past each length and ends each sequence at its own last step', () => {
    fc.assert(
      fc.property(caseArb, ({ dims, seed, lengths }) => {
        const { B, T, I, H } = dims;
        const lens = lengths ?? Array.from({ length: B }, () => T);
        const p = twoStateProblem(dims, seed);
        const { outputs, final } = unroll(p.cell, p.xs, p.state0, { lengths: lens });
        for (let b = 0; b < B; b++) {
          // Sequence b alone, cut to its length, without any mask.
          const L = lens[b]!;
          const x = fromData(p.xs.data.slice(b * T * I, (b * T + L) * I), [1, L, I]);
          const h0 = fromData(p.state0.h.data.slice(b * H, (b + 1) * H), [1, H]);
          const c0 = fromData(p.state0.c.data.slice(b * H, (b + 1) * H), [1, H]);
          const alone = unroll(p.cell, x, { h: h0, c: c0 });
          const row = (t: Tensor) => Array.from(t.data.subarray(b * H, (b + 1) * H));
          expect(row(final.h)).toBeAllclose(alone.final.h.data, { atol: 0, rtol: 1e-14 });
          expect(row(final.c)).toBeAllclose(alone.final.c.data, { atol: 0, rtol: 1e-14 });
          const mine = outputs.data.subarray(b * T * H, (b + 1) * T * H);
          expect(mine.subarray(0, L * H)).toBeAllclose(alone.outputs.data, {
            atol: 0,
            rtol: 1e-14,
          });
          expect(Array.from(mine.subarray(L * H))).toEqual(new Array((T - L) * H).fill(0));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('with lengths, a hook on states[t].h sees the ∂L/∂h_t of the sequence run alone', () => {
    fc.assert(
      fc.property(caseArb, ({ dims, seed, lengths }) => {
        const { B, T, I, H } = dims;
        const lens = lengths ?? Array.from({ length: B }, () => T);
        const p = twoStateProblem(dims, seed);
        /** Runs, backpropagates Σ wOut ⊙ outputs + Σ wH ⊙ h_final + Σ wC ⊙ c_final, returns δ_t per step. */
        const deltas = (
          xs: Tensor,
          state0: typeof p.state0,
          wOut: Tensor,
          wH: Tensor,
          wC: Tensor,
          lens?: number[],
        ) => {
          const { states, outputs, final } = unroll(p.cell, xs, state0, { lengths: lens });
          const captured: Float64Array[] = [];
          states.forEach((s, t) => {
            s.h.registerHook((g) => {
              captured[t] = g.data.slice();
            });
          });
          sum(mul(outputs, wOut))
            .add(sum(mul(final.h, wH)))
            .add(sum(mul(final.c, wC)))
            .backward();
          return captured;
        };
        const batched = deltas(p.xs, p.state0, p.wOut, p.wH, p.wC, lens);
        for (let b = 0; b < B; b++) {
          const L = lens[b]!;
          const row = (t: Tensor) => fromData(t.data.slice(b * H, (b + 1) * H), [1, H]);
          const alone = deltas(
            fromData(p.xs.data.slice(b * T * I, (b * T + L) * I), [1, L, I]),
            { h: row(p.state0.h), c: row(p.state0.c) },
            fromData(p.wOut.data.slice(b * T * H, (b * T + L) * H), [1, L, H]),
            row(p.wH),
            row(p.wC),
          );
          for (let t = 0; t < L; t++) {
            expect(batched[t]!.subarray(b * H, (b + 1) * H)).toBeAllclose(alone[t]!, {
              atol: 1e-15,
              rtol: 1e-12,
            });
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('agrees with the hand-derived BPTT to 1e-10, and hooks on h_t see ∂L/∂h_t', () => {
    fc.assert(
      fc.property(dimsArb, arbitraries.seed(), ({ B, T, I, H }, seed) => {
        const random = seededRandom(seed);
        const cell = new ToyRNNCell(
          randomLeaf(random, [H, I]),
          randomLeaf(random, [H, H]),
          randomLeaf(random, [H]),
        );
        const xs = randomLeaf(random, [B, T, I]);
        const h0 = randomLeaf(random, [B, H]);
        const wOut = fromData(uniformArray(random, B * T * H), [B, T, H]);
        const { states, outputs } = unroll(cell, xs, { h: h0 });
        const captured: Float64Array[] = [];
        states.forEach((s, t) => {
          s.h.registerHook((g) => {
            captured[t] = g.data.slice();
          });
        });
        sum(mul(outputs, wOut)).backward();

        const weights = {
          weight_ih: cell.weight_ih.data,
          weight_hh: cell.weight_hh.data,
          bias_ih: cell.bias.data,
          bias_hh: null,
        };
        const dims = { batchSize: B, steps: T, inputSize: I, hiddenSize: H };
        const tape = rnnForward(weights, xs.data, h0.data, dims);
        const manual = rnnBackward(weights, tape, wOut.data);
        const close = { atol: 1e-300, rtol: 1e-10 };
        expect(cell.weight_ih.grad!.data).toBeAllclose(manual.weight_ih, close);
        expect(cell.weight_hh.grad!.data).toBeAllclose(manual.weight_hh, close);
        expect(cell.bias.grad!.data).toBeAllclose(manual.bias_ih!, close);
        expect(xs.grad!.data).toBeAllclose(manual.dxs!, close);
        expect(h0.grad!.data).toBeAllclose(manual.dh0, close);
        // The BPTT recursion itself: ∂L/∂h_t = w_t + W_hhᵀ·((1 − h_{t+1}²) ⊙ ∂L/∂h_{t+1}).
        for (let t = 0; t < T; t++) {
          const expected = new Float64Array(B * H);
          for (let b = 0; b < B; b++) {
            for (let j = 0; j < H; j++) {
              let g = wOut.data[(b * T + t) * H + j]!;
              if (t + 1 < T) {
                for (let k = 0; k < H; k++) {
                  const hNext = states[t + 1]!.h.data[b * H + k]!;
                  g +=
                    cell.weight_hh.data[k * H + j]! *
                    (1 - hNext * hNext) *
                    captured[t + 1]![b * H + k]!;
                }
              }
              expected[b * H + j] = g;
            }
          }
          expect(captured[t]).toBeAllclose(expected, { atol: 1e-14, rtol: 1e-12 });
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses malformed inputs with a message naming them', () => {
    const random = seededRandom(1);
    const cell = new ToyRNNCell(
      randomLeaf(random, [2, 3]),
      randomLeaf(random, [2, 2]),
      randomLeaf(random, [2]),
    );
    const xs = fromData(uniformArray(random, 2 * 4 * 3), [2, 4, 3]);
    expect(() => unroll(cell, tensor([[1, 2, 3]]))).toThrow(
      'unroll: xs must be [batch, steps, inputSize], got [1,3]',
    );
    expect(() => unroll(cell, xs, undefined, { lengths: [4] })).toThrow(
      'unroll: lengths has 1 entries but the batch has 2 sequences',
    );
    expect(() => unroll(cell, xs, undefined, { lengths: [4, 0] })).toThrow(
      'unroll: lengths[1] is 0; each length must be an integer in 1..4',
    );
    expect(() => unroll(cell, xs, undefined, { lengths: [5, 1] })).toThrow(
      'unroll: lengths[0] is 5; each length must be an integer in 1..4',
    );
  });
});

describe('unroll op context', () => {
  // unroll labels the ops of each step with its timestep (1-based) through the tensor
  // engine's op context, so an observer — anomaly detection — can say where an op ran.
  afterEach(() => {
    setOpObserver(null);
  });

  it('labels every op of step t with timestep t, and no op outside the steps', () => {
    const cell = new ToyRNNCell(
      fromData(Float64Array.of(0.5, -0.2), [1, 2]),
      fromData(Float64Array.of(0.3), [1, 1]),
      fromData(Float64Array.of(0.1), [1]),
    );
    const xs = fromData(Float64Array.of(1, 2, 3, 4, 5, 6), [1, 3, 2]);
    const seen: { op: string; context: OpContext }[] = [];
    setOpObserver({ forward: (op, _output, _inputs, context) => seen.push({ op, context }) });
    unroll(cell, xs);
    const steps = seen.filter((s) => s.op === 'tanh').map((s) => s.context);
    expect(steps).toEqual([{ timestep: 1 }, { timestep: 2 }, { timestep: 3 }]);
    // stacking the outputs happens after the loop
    expect(seen.find((s) => s.op === 'stack')?.context).toEqual({});
    expect(opContext()).toEqual({});
  });
});
