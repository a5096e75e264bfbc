/**
 * unrollFused (one graph op, hand-derived backward) against unroll (one op per gate per
 * step, autodiff backward): same values and same gradients to 1e-10, whichever of the
 * outputs the loss reads; and against central differences.
 */

import { RNNCell } from '@unroll/cells';
import { assertGradcheck, gradcheck } from '@unroll/gradcheck';
import { fromData, mul, sum, type Tensor } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RecurrentState, unroll, unrollFused } from '../src/index.ts';
import { cellCaseArb, cellProblem } from './cell-problems.ts';

const caseArb = cellCaseArb().chain((c) =>
  fc.record({
    c: fc.constant(c),
    withState: fc.boolean(),
    /** Which outputs the loss reads: the per-step outputs, the final state, or both. */
    reads: fc.constantFrom('outputs', 'final', 'both'),
  }),
);
type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

function setUp({ c, withState, reads }: Case) {
  const problem = cellProblem(c);
  const { cell, xs, wOut, wH, wC } = problem;
  const state0 = withState ? problem.state0 : undefined;
  const lossOf = ({ outputs, final }: { outputs: Tensor; final: RecurrentState }) => {
    const terms: Tensor[] = [];
    if (reads !== 'final') terms.push(sum(mul(outputs, wOut)));
    if (reads !== 'outputs') {
      terms.push(sum(mul(final.h, wH)));
      if (final.c) terms.push(sum(mul(final.c, wC)));
    }
    return terms.reduce((a, b) => a.add(b));
  };
  const leaves: [string, Tensor][] = [...cell.namedParameters(), ['xs', xs]];
  if (state0) {
    leaves.push(['h0', state0.h], ...(state0.c ? [['c0', state0.c] as [string, Tensor]] : []));
  }
  return { cell, xs, state0, lossOf, leaves };
}

describe('unrollFused', () => {
  it('equals unroll in values and in every gradient, to 1e-10', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { cell, xs, state0, lossOf, leaves } = setUp(c);
        const viaGraph = unroll<RecurrentState>(cell, xs, state0);
        lossOf(viaGraph).backward();
        const expected = leaves.map(([, t]) => t.grad?.data.slice() ?? null);
        for (const [, t] of leaves) t.zeroGrad();

        const fused = unrollFused<RecurrentState>(cell, xs, state0);
        lossOf(fused).backward();
        const close = { atol: 1e-300, rtol: 1e-10 };
        expect(fused.outputs.data).toBeAllclose(viaGraph.outputs.data, close);
        expect(fused.final.h.data).toBeAllclose(viaGraph.final.h.data, close);
        if (fused.final.c) expect(fused.final.c.data).toBeAllclose(viaGraph.final.c!.data, close);
        leaves.forEach(([name, t], i) => {
          expect(t.grad?.data ?? null, `dL/d${name}`).toBeAllclose(
            expected[i] ?? new Float64Array(t.size),
            close,
          );
        });
      }),
      { numRuns: 60 },
    );
  });

  it('gives the gradients central differences give', () => {
    fc.assert(
      fc.property(
        caseArb.filter(({ c }) => c.kind !== 'rnn-relu'), // relu's kink is covered by the test above
        (c) => {
          const { cell, xs, state0, lossOf, leaves } = setUp(c);
          const loss = () => lossOf(unrollFused<RecurrentState>(cell, xs, state0));
          loss().backward();
          for (const [name, t] of leaves) {
            assertGradcheck(
              gradcheck(() => loss().item(), t.data, t.grad?.data ?? new Float64Array(t.size), {
                shape: [...t.shape],
                what: `dL/d${name}`,
              }),
            );
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('refuses what it cannot run', () => {
    const cell = new RNNCell({ inputSize: 2, hiddenSize: 3 });
    const xs = fromData(new Float64Array(12), [2, 3, 2]);
    expect(() => unrollFused({ step: () => ({}) } as unknown as RNNCell, xs)).toThrow(
      'unrollFused: cell must be an RNNCell, LSTMCell or GRUCell of @unroll/cells',
    );
    expect(() => unrollFused(cell, fromData(new Float64Array(6), [2, 3]))).toThrow(
      'unrollFused: xs must be [batch, steps, inputSize = 2], got [2,3]',
    );
    expect(() => unrollFused(cell, xs, { h: fromData(new Float64Array(3), [1, 3]) })).toThrow(
      'unrollFused: state0.h must be [2, 3], got [1,3]',
    );
  });
});
