import { unroll } from '@unroll/bptt';
import { LSTMCell, RNNCell } from '@unroll/cells';
import { numericalJacobian } from '@unroll/gradcheck';
import {
  add,
  fromData,
  linear,
  mul,
  noGrad,
  Rng,
  randn,
  sigmoid,
  type Tensor,
  tanh,
} from '@unroll/tensor';
import { describe, expect, it } from 'vitest';
import { cellRecurrence, jacobianNorms, type RecurrenceStep } from '../src/jacobian.ts';
import { type Dense, diagonal, multiply, referenceSigma1 } from './reference-linalg.ts';

function leaf(rng: Rng, shape: [number, number], scale: number): Tensor {
  const data = randn(shape, rng).data.map((v) => v * scale);
  return fromData(data, shape, { requiresGrad: true });
}

/** hₜ = tanh(W_ih xₜ + b + W_hh hₜ₋₁) over fixed inputs. */
function tanhStep(
  H: number,
  B: number,
  seed: number,
  scale = 0.5,
): { step: RecurrenceStep; h0: Tensor; whh: Tensor } {
  const rng = new Rng(seed);
  const I = 3;
  const wih = leaf(rng, [H, I], 0.5);
  const whh = leaf(rng, [H, H], scale);
  const xs = Array.from({ length: 20 }, () => randn([B, I], rng));
  const step: RecurrenceStep = ([h], t) => [tanh(add(linear(xs[t - 1]!, wih), linear(h!, whh)))];
  return { step, h0: randn([B, H], rng).mul(0.3), whh };
}

/** A two-tensor state like the LSTM's: c gated additively, h read from it. */
function gatedStep(H: number, B: number, seed: number): { step: RecurrenceStep; s0: Tensor[] } {
  const rng = new Rng(seed);
  const wf = leaf(rng, [H, H], 0.6);
  const wg = leaf(rng, [H, H], 0.6);
  const xs = Array.from({ length: 20 }, () => randn([B, H], rng));
  const step: RecurrenceStep = ([h, c], t) => {
    const f = sigmoid(add(linear(h!, wf), xs[t - 1]!));
    const g = tanh(linear(h!, wg));
    const cNext = add(mul(f, c!), g);
    return [tanh(cNext), cNext];
  };
  return { step, s0: [randn([B, H], rng).mul(0.3), randn([B, H], rng).mul(0.3)] };
}

/** σ₁ of ∂s_T/∂sₜ for batch element b, from central differences of the re-run recurrence. */
function finiteDifferenceNorm(
  step: RecurrenceStep,
  s0: Tensor[],
  T: number,
  t: number,
  b: number,
): number {
  const sizes = s0.map((s) => s.shape[1]!);
  const B = s0[0]!.shape[0]!;
  const states = noGrad(() => {
    const out = [s0];
    for (let k = 1; k <= T; k++) out.push([...step(out[k - 1]!, k)]);
    return out;
  });
  const x = Float64Array.from(
    states[t]!.flatMap((s, k) => Array.from(s.data.subarray(b * sizes[k]!, (b + 1) * sizes[k]!))),
  );
  const f = (v: Float64Array) =>
    noGrad(() => {
      let offset = 0;
      let state: readonly Tensor[] = states[t]!.map((s, k) => {
        const data = s.data.slice();
        data.set(v.subarray(offset, offset + sizes[k]!), b * sizes[k]!);
        offset += sizes[k]!;
        return fromData(data, [B, sizes[k]!]);
      });
      for (let k = t + 1; k <= T; k++) state = step(state, k);
      return Float64Array.from(
        state.flatMap((s, k) => Array.from(s.data.subarray(b * sizes[k]!, (b + 1) * sizes[k]!))),
      );
    });
  const { jacobian, rows, cols } = numericalJacobian(f, x);
  const dense: Dense = Array.from({ length: rows }, (_, i) =>
    Array.from(jacobian.subarray(i * cols, (i + 1) * cols)),
  );
  return referenceSigma1(dense);
}

describe('jacobianNorms', () => {
  it('gives max|dᵢ|^(T−t) for the linear recurrence with a diagonal W_hh', () => {
    const d = [0.9, -0.5, 0.3];
    const W = fromData(Float64Array.from(diagonal(d).flat()), [3, 3]);
    const step: RecurrenceStep = ([h]) => [linear(h!, W)];
    const T = 10;
    const h0 = fromData(new Float64Array(6), [2, 3], { requiresGrad: false });
    const result = jacobianNorms(step, h0, T);
    expect(result.method).toBe('exact');
    for (const row of result.perSample) {
      expect(row).toBeAllclose(
        Array.from({ length: T }, (_, i) => 0.9 ** (T - (i + 1))),
        { rtol: 1e-10, atol: 0 },
      );
    }
  });

  it('gives σ₁(A^(T−t)) for the linear recurrence hₜ = A hₜ₋₁ with any A', () => {
    const rng = new Rng(4);
    const a: Dense = Array.from({ length: 4 }, () =>
      Array.from({ length: 4 }, () => rng.normal() * 0.5),
    );
    const A = fromData(Float64Array.from(a.flat()), [4, 4]);
    const step: RecurrenceStep = ([h]) => [linear(h!, A)]; // row form: hₜ = hₜ₋₁ Aᵀ, i.e. A hₜ₋₁
    const T = 6;
    const result = jacobianNorms(step, randn([1, 4], rng), T);
    let power: Dense = diagonal([1, 1, 1, 1]);
    const expected = new Array<number>(T).fill(1);
    for (let t = T - 1; t >= 1; t--) {
      power = multiply(power, a);
      expected[t - 1] = referenceSigma1(power);
    }
    expect(result.perSample[0]).toBeAllclose(expected, { rtol: 1e-9, atol: 0 });
  });

  it('matches σ₁ of the finite-difference Jacobian of the re-run recurrence (tanh RNN)', () => {
    const { step, h0 } = tanhStep(4, 2, 7, 0.8);
    const T = 7;
    const result = jacobianNorms(step, h0, T);
    for (const b of [0, 1]) {
      for (const t of [1, 4, 6]) {
        expect(result.perSample[b]![t - 1]).toBeAllclose(
          finiteDifferenceNorm(step, [h0], T, t, b),
          {
            rtol: 1e-6,
            atol: 1e-9,
          },
        );
      }
    }
  });

  it('agrees between the exact products and power iteration on VJPs and JVPs (one-tensor state)', () => {
    const { step, h0 } = tanhStep(6, 3, 11, 0.9);
    const exact = jacobianNorms(step, h0, 8, { method: 'exact' });
    const estimate = jacobianNorms(step, h0, 8, { method: 'power-iteration', maxIterations: 500 });
    expect(estimate.method).toBe('power-iteration');
    expect(estimate.converged).toBe(true);
    estimate.perSample.forEach((row, b) => {
      expect(row).toBeAllclose(exact.perSample[b]!, { rtol: 1e-6, atol: 1e-12 });
    });
    expect(estimate.mean).toBeAllclose(exact.mean, { rtol: 1e-6, atol: 1e-12 });
  });

  it('agrees between the two methods and finite differences for an [h; c] state', () => {
    const { step, s0 } = gatedStep(3, 2, 5);
    const T = 6;
    const exact = jacobianNorms(step, s0, T, { method: 'exact' });
    const estimate = jacobianNorms(step, s0, T, { method: 'power-iteration', maxIterations: 500 });
    expect(exact.stateSize).toBe(6);
    estimate.perSample.forEach((row, b) => {
      expect(row).toBeAllclose(exact.perSample[b]!, { rtol: 1e-6, atol: 1e-12 });
    });
    expect(exact.perSample[1]![1]).toBeAllclose(finiteDifferenceNorm(step, s0, T, 2, 1), {
      rtol: 1e-6,
      atol: 1e-9,
    });
  });

  it("leaves the weights' gradients and hooks alone", () => {
    const { step, h0, whh } = tanhStep(3, 1, 2);
    let fired = 0;
    whh.registerHook(() => {
      fired++;
    });
    jacobianNorms(step, h0, 5, { method: 'exact' });
    jacobianNorms(step, h0, 5, { method: 'power-iteration' });
    expect(whh.grad).toBeNull();
    expect(fired).toBe(0);
    expect(whh.requiresGrad).toBe(true);
  });

  it('says converged: false when σ₁ of an exact product cannot be separated from σ₂', () => {
    // σ₂/σ₁ = 1 − 10⁻⁹: power iteration on PᵀP gains a factor (σ₂/σ₁)² per step, far too slowly.
    const W = fromData(Float64Array.from(diagonal([1, 1 - 1e-9]).flat()), [2, 2]);
    const step: RecurrenceStep = ([h]) => [linear(h!, W)];
    const result = jacobianNorms(step, randn([1, 2], new Rng(1)), 3, { method: 'exact' });
    expect(result.converged).toBe(false);
    expect(result.perSample[0]).toBeAllclose([1, 1, 1], { atol: 1e-8, rtol: 0 });
    const separated = fromData(Float64Array.from(diagonal([1, 0.5]).flat()), [2, 2]);
    const clear = jacobianNorms(([h]) => [linear(h!, separated)], randn([1, 2], new Rng(1)), 3);
    expect(clear.converged).toBe(true);
  });

  it('refuses bad arguments with the reason', () => {
    const { step, h0 } = tanhStep(3, 1, 2);
    expect(() => jacobianNorms(step, h0, 0)).toThrow(
      'jacobianNorms: steps must be a positive integer, got 0',
    );
    expect(() => jacobianNorms(step, h0, 2, { method: 'svd' as 'exact' })).toThrow(
      "jacobianNorms: method must be 'auto', 'exact' or 'power-iteration', got 'svd'",
    );
    expect(() => jacobianNorms(([h]) => [h!.sum(1, true)], h0, 2)).toThrow(
      'jacobianNorms: step 1 returned a state of [1, 1], expected [1, 3]',
    );
  });
});

describe('cellRecurrence', () => {
  it('gives an RNN cell whose last Jacobian is diag(1 − h_T²) W_hh', () => {
    const rng = new Rng(12);
    const cell = new RNNCell({ inputSize: 2, hiddenSize: 4, rng });
    const xs = randn([2, 5, 2], rng);
    const { step, initialState, steps } = cellRecurrence(cell, xs);
    const result = jacobianNorms(step, initialState, steps);
    const hs = noGrad(() => unroll(cell, xs).states.map((s) => s.h));
    const W = Array.from({ length: 4 }, (_, i) =>
      Array.from(cell.weight_hh.data.subarray(i * 4, i * 4 + 4)),
    );
    for (const b of [0, 1]) {
      const hT = hs[4]!.data.subarray(b * 4, b * 4 + 4);
      const J = W.map((row, i) => row.map((w) => (1 - hT[i]! ** 2) * w));
      expect(result.perSample[b]![3]).toBeAllclose(referenceSigma1(J), { rtol: 1e-10 });
    }
  });

  it('treats an LSTM state as [h; c], and both methods agree on it', () => {
    const rng = new Rng(13);
    const cell = new LSTMCell({ inputSize: 3, hiddenSize: 3, rng });
    const xs = randn([2, 6, 3], rng);
    const { step, initialState, steps } = cellRecurrence(cell, xs);
    const exact = jacobianNorms(step, initialState, steps, { method: 'exact' });
    const estimate = jacobianNorms(step, initialState, steps, {
      method: 'power-iteration',
      maxIterations: 500,
    });
    expect(exact.stateSize).toBe(6);
    exact.perSample.forEach((row, b) => {
      expect(estimate.perSample[b]).toBeAllclose(row, { rtol: 1e-6, atol: 1e-12 });
    });
    expect(() => cellRecurrence(cell, randn([2, 3], rng))).toThrow(
      'cellRecurrence: xs must be [batch, steps, inputSize], got [2, 3]',
    );
  });
});
