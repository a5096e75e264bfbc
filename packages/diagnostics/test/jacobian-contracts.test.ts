/**
 * jacobianNorms around its numbers: which method 'auto' picks (exact up to `exactUpTo`
 * numbers of state, power iteration above), a power iteration stopped at its limit
 * saying converged: false, the refusals of malformed states (naming the shapes), and
 * cellRecurrence starting from a given state. The reference is the linear recurrence
 * h_t = h_{t−1} Wᵀ with W diagonal, where ∂h_T/∂h_t = W^(T−t) and its norm is
 * max|d_i|^(T−t) (by hand).
 */

import { RNNCell } from '@unroll/cells';
import { fromData, linear, mul, narrow, noGrad, Rng, randn, type Tensor } from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { cellRecurrence, jacobianNorms, type RecurrenceStep } from '../src/jacobian.ts';
import { largestSingularValue } from '../src/spectral.ts';

const d = [0.9, -0.5, 0.3];
const W = fromData(Float64Array.of(0.9, 0, 0, 0, -0.5, 0, 0, 0, 0.3), [3, 3]);
const step: RecurrenceStep = ([h]) => [linear(h!, W)];
const h0 = randn([2, 3], new Rng(4));
const byHand = (T: number) => Array.from({ length: T }, (_, i) => Math.abs(d[0]!) ** (T - 1 - i));

describe("jacobianNorms' choice of method", () => {
  it("'auto' is exact for a small state and power iteration above exactUpTo", () => {
    expect(jacobianNorms(step, h0, 4).method).toBe('exact');
    expect(jacobianNorms(step, h0, 4, { exactUpTo: 3 }).method).toBe('exact');
    const above = jacobianNorms(step, h0, 4, { exactUpTo: 2, maxIterations: 300 });
    expect(above.method).toBe('power-iteration');
    expect(above.perSample[1]).toBeAllclose(byHand(4), { rtol: 1e-6, atol: 1e-12 });
  });
  it('a one-tensor state may be given bare or in an array', () => {
    expect(jacobianNorms(step, [h0], 3).perSample).toEqual(jacobianNorms(step, h0, 3).perSample);
  });
  it('power iteration stopped after one iteration says converged: false', () => {
    const result = jacobianNorms(step, h0, 4, { method: 'power-iteration', maxIterations: 1 });
    expect(result.converged).toBe(false);
    expect(result.perSample[0]![3]).toBe(1); // ∂h_T/∂h_T = I needs no iteration
  });
  it('a different seed starts elsewhere and converges to the same norms', () => {
    const options = { method: 'power-iteration', maxIterations: 300 } as const;
    const a = jacobianNorms(step, h0, 4, { ...options, seed: 1 });
    expect(a.converged).toBe(true);
    expect(a.mean).toBeAllclose(byHand(4), { rtol: 1e-6, atol: 1e-12 });
  });
});

describe('jacobianNorms refuses malformed states', () => {
  it('an empty state, and tensors that disagree on the batch', () => {
    expect(() => jacobianNorms(step, [], 2)).toThrow('jacobianNorms: the state has no tensors');
    const a = fromData(new Float64Array(6), [2, 3]);
    const b = fromData(new Float64Array(3), [1, 3]);
    expect(() => jacobianNorms(step, [a, b], 2)).toThrow(
      'jacobianNorms: every state tensor must be [B, H] with the same B, got [2, 3] and [1, 3] (tensor 1)',
    );
    const flat = fromData(new Float64Array(3), [3]);
    expect(() => jacobianNorms(step, [flat], 2)).toThrow('got [3] (tensor 0)');
  });
  it('a step that returns another batch size', () => {
    const half: RecurrenceStep = ([h]) => [narrow(linear(h!, W), 0, 0, 1)];
    expect(() => jacobianNorms(half, h0, 2)).toThrow(
      'jacobianNorms: step 1 returned a state of [1, 3], expected [2, 3]',
    );
  });
});

describe('cellRecurrence from a given state', () => {
  it('starts the steps from state0, not from zeros', () => {
    const rng = new Rng(7);
    const cell = new RNNCell({ inputSize: 2, hiddenSize: 3, rng });
    const xs = randn([2, 4, 2], rng);
    const start = { h: randn([2, 3], rng) };
    const { step: cellStep, initialState } = cellRecurrence(cell, xs, start);
    expect(initialState[0]).toBe(start.h);
    const first = noGrad(() => cellStep(initialState, 1)[0]!) as Tensor;
    const x1 = noGrad(() => narrow(xs, 1, 0, 1).reshape([2, 2]));
    expect(first.data).toEqual(noGrad(() => cell.step(x1, start).h).data);
  });
});

describe('jacobianNorms at the edges', () => {
  it('one step: ∂s_T/∂s_T = I, norm 1', () => {
    expect(jacobianNorms(step, h0, 1).perSample).toEqual([[1], [1]]);
  });
  it('a state part the step ignores, and one it makes from nothing: their blocks are 0', () => {
    // s = [h; c], h_t = h_{t−1} Wᵀ, c_t a constant: ∂s_T/∂s_t = [[W^(T−t), 0], [0, 0]]
    const constant = fromData(new Float64Array(4), [2, 2]);
    const split: RecurrenceStep = ([h]) => [linear(h!, W), constant];
    const s0 = [h0, fromData(new Float64Array(4), [2, 2])];
    for (const method of ['exact', 'power-iteration'] as const) {
      const result = jacobianNorms(split, s0, 4, { method, maxIterations: 300 });
      expect(result.perSample[0]).toBeAllclose(byHand(4), { rtol: 1e-6, atol: 1e-12 });
    }
  });
  it('a batch element whose Jacobian is 0 gets norm 0, and the others are unaffected', () => {
    const mask = fromData(Float64Array.of(1, 0), [2, 1]); // batch element 1 is reset each step
    const masked: RecurrenceStep = ([h]) => [mul(linear(h!, W), mask)];
    const result = jacobianNorms(masked, h0, 4, { method: 'power-iteration', maxIterations: 300 });
    expect(result.perSample[1]).toEqual([0, 0, 0, 1]);
    expect(result.perSample[0]).toBeAllclose(byHand(4), { rtol: 1e-6, atol: 1e-12 });
  });
  it('power iteration stops once ‖Pv‖ stops changing: at once when P is α·I', () => {
    const half = fromData(Float64Array.of(0.5, 0, 0, 0.5), [2, 2]);
    const scaled: RecurrenceStep = ([h]) => [linear(h!, half)];
    const x0 = randn([1, 2], new Rng(2));
    const options = { method: 'power-iteration' } as const;
    // iteration 0 has nothing to compare with; iteration 1 repeats it
    expect(jacobianNorms(scaled, x0, 3, { ...options, maxIterations: 1 }).converged).toBe(false);
    const two = jacobianNorms(scaled, x0, 3, { ...options, maxIterations: 2 });
    expect(two.converged).toBe(true);
    expect(two.perSample[0]).toBeAllclose([0.25, 0.5, 1], { rtol: 1e-8, atol: 0 });
  });
  it('the tolerance is relative: tiny norms are found as accurately', () => {
    // W = diag(0.01, 0.008, 0.001): ∂h_4/∂h_1 = W³, norm 10⁻⁶
    const small = fromData(Float64Array.of(0.01, 0, 0, 0, 0.008, 0, 0, 0, 0.001), [3, 3]);
    const result = jacobianNorms(([h]) => [linear(h!, small)], h0, 4, {
      method: 'power-iteration',
      maxIterations: 500,
    });
    expect(result.perSample[0]).toBeAllclose([1e-6, 1e-4, 1e-2, 1], { rtol: 1e-6, atol: 0 });
  });
  it('names a malformed state returned by the step, and each tensor’s size', () => {
    expect(() => jacobianNorms(() => [], h0, 2)).toThrow(
      'jacobianNorms: the step: the state has no tensors',
    );
    const c0 = fromData(new Float64Array(4), [2, 2]);
    const grown: RecurrenceStep = ([h]) => [h!, fromData(new Float64Array(6), [2, 3])];
    expect(() => jacobianNorms(grown, [h0, c0], 2)).toThrow(
      'jacobianNorms: step 1 returned a state of [2, 3+3], expected [2, 3+2]',
    );
  });
});

describe('matrices read with their shape named', () => {
  it('a 3-D shape is refused with every size', () => {
    expect(() => largestSingularValue({ data: new Float64Array(24), shape: [2, 3, 4] })).toThrow(
      'largestSingularValue: expected a 2-D matrix, got shape [2, 3, 4]',
    );
  });
});
