/**
 * step-hook.ts: the `onStep` callback of the hand-derived backward passes hands over
 * ∂L/∂h_t of every step — checked against autodiff through `unroll`, whose hooks on
 * states[t].h see the same gradient by an independent route — and watching changes
 * nothing the pass returns.
 */

import { mul, sum } from '@unroll/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RecurrentState, type StepHook, unroll } from '../../src/index.ts';
import { cellCaseArb, cellProblem, weightsOf } from '../cell-problems.ts';
import { kinds, manual } from './hand-derived.ts';

/** The hand-derived pass of a cell case, with `options` passed on to its backward. */
function handPass(
  c: ReturnType<typeof cellProblem>,
  kind: (typeof kinds)[number],
  onStep?: StepHook,
) {
  const [B, T, I] = c.xs.shape as [number, number, number];
  const H = c.state0.h.shape[1]!;
  return manual(
    {
      kind,
      dims: { batchSize: B, steps: T, inputSize: I, hiddenSize: H },
      weights: weightsOf(c.cell),
      xs: c.xs.data,
      h0: c.state0.h.data,
      c0: c.state0.c?.data ?? new Float64Array(B * H),
      wOut: c.wOut.data,
      wH: c.wH.data,
      wC: c.wC.data,
    },
    onStep,
  );
}

describe('onStep in the hand-derived backward passes', () => {
  it('is called for t = T − 1 … 0 with ∂L/∂h_t, as autodiff through unroll measures it (1e-10)', () => {
    fc.assert(
      fc.property(cellCaseArb(kinds), (c) => {
        const problem = cellProblem(c);
        const { cell, xs, state0, wOut, wH, wC } = problem;
        const { states, outputs, final } = unroll<RecurrentState>(cell, xs, state0);
        const byAutodiff: Float64Array[] = new Array(c.T);
        states.forEach((s, t) => {
          s.h.registerHook((grad) => {
            byAutodiff[t] = grad.data.slice();
          });
        });
        let loss = sum(mul(outputs, wOut)).add(sum(mul(final.h, wH)));
        if (final.c) loss = loss.add(sum(mul(final.c, wC)));
        loss.backward();

        const seen: number[] = [];
        const byHand: Float64Array[] = new Array(c.T);
        handPass(problem, c.kind, (t, dh) => {
          seen.push(t);
          expect(dh).toHaveLength(c.B * c.H);
          byHand[t] = dh.slice(); // the buffer is reused from step to step
        });
        expect(seen).toEqual(Array.from({ length: c.T }, (_, k) => c.T - 1 - k));
        for (let t = 0; t < c.T; t++) {
          expect(byHand[t], `∂L/∂h at t = ${t}`).toBeAllclose(byAutodiff[t]!, {
            atol: 1e-300,
            rtol: 1e-10,
          });
        }
      }),
      { numRuns: 30, seed: 1406 },
    );
  });

  it('changes nothing the pass returns: the same bits with and without a watcher', () => {
    fc.assert(
      fc.property(cellCaseArb(kinds), (c) => {
        const problem = cellProblem(c);
        const plain = handPass(problem, c.kind);
        const watched = handPass(problem, c.kind, () => {});
        const { grads: a } = plain;
        const { grads: b } = watched;
        expect(b.weight_ih).toEqual(a.weight_ih);
        expect(b.weight_hh).toEqual(a.weight_hh);
        expect(b.bias_ih).toEqual(a.bias_ih);
        expect(b.bias_hh).toEqual(a.bias_hh);
        expect(b.dxs).toEqual(a.dxs);
        expect(b.dh0).toEqual(a.dh0);
        expect(b.dc0).toEqual(a.dc0);
      }),
      { numRuns: 20, seed: 1407 },
    );
  });
});
